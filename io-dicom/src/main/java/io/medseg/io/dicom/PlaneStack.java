package io.medseg.io.dicom;

import io.medseg.image.Geometry;
import io.medseg.io.ImageFileException;
import io.medseg.io.ReadLimits;
import io.medseg.io.ScanHeader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How the image planes of a series stack into a volume, checked before any pixel is decoded: every
 * plane of one size, orientation and colour model; the distance between planes from their
 * positions, even (no duplicate, no missing slice); and straight, or sheared by one in-plane step
 * per slice (a gantry tilt, to be resampled by {@link GantryTilt}); frames without positions stack in
 * file order only when they are one file's. Gives the volume's size, channels, geometry and notes.
 */
final class PlaneStack {
    /** Relative tolerance on slice gaps before a series counts as unevenly spaced. */
    static final double GAP_TOLERANCE = 0.01;
    /** In-plane shift between planes, in pixels, below which a stack counts as unsheared. */
    static final double SHEAR_TOLERANCE_PIXELS = 0.01;

    private final String uid;
    private final List<Plane> planes;
    private final double[] normal;
    private double gap;
    private double[][] shifts;
    private ScanHeader header;

    private PlaneStack(String uid, List<Plane> planes, double[] normal) {
        this.uid = uid;
        this.planes = planes;
        this.normal = normal;
    }

    /** The distance between slice planes. */
    double gap() {
        return gap;
    }

    /** Each plane's in-plane offset from the first in pixels (x, y) when the stack is sheared; null when straight. */
    double[][] shifts() {
        return shifts;
    }

    /** Size, channels, geometry (of the regular grid) and notes of the volume. */
    ScanHeader header() {
        return header;
    }

    /** A plane's position along the normal (0 without a position). */
    static double along(Plane f, double[] normal) {
        double[] ipp = f.header().position();
        return ipp == null ? 0 : ipp[0] * normal[0] + ipp[1] * normal[1] + ipp[2] * normal[2];
    }

    /**
     * How the planes stack: the distance between them, the in-plane shift of each (in pixels, x and
     * y) when the stack is sheared, the resulting header, and what the user should be told.
     */

    static PlaneStack of(String uid, List<Plane> planes, double[] normal) throws ImageFileException {
        return new PlaneStack(uid, planes, normal).stack();
    }

    private PlaneStack stack() throws ImageFileException {
        Plane first = planes.get(0);
        ImageHeader h0 = first.header();
        for (Plane p : planes) {
            checkSameKind(p, first);
        }
        List<String> notes = new ArrayList<>();
        double gap;
        double[][] shifts = null;
        boolean unplaced = planes.stream().anyMatch(p -> p.header().position() == null);
        if (planes.size() == 1) {
            gap = h0.nominalSpacing() > 0 ? h0.nominalSpacing() : 1;
        } else if (unplaced) {
            gap = unplacedFrames(notes);
        } else {
            gap = evenGap();
            shifts = inPlaneShifts(notes, gap);
        }
        for (DicomFile f : planes.stream().map(Plane::file).distinct().toList()) {
            PixelDecoder.check(f);
        }
        int channels = Photometric.channels(first.dataset(), h0.samples());
        long[] size = {h0.columns(), h0.rows(), planes.size()};
        ReadLimits.checkVoxels(first.path(), "series " + uid + " of " + size[0] + " x " + size[1] + " x " + size[2]
                + (channels == 1 ? "" : " x " + channels) + " voxels", channels, size[0], size[1], size[2]);
        Geometry geometry = geometry(gap);
        if (shifts != null) {
            long[] grown = GantryTilt.gridSize(size, shifts);
            ReadLimits.checkVoxels(first.path(), "series " + uid + " resampled to " + grown[0] + " x " + grown[1] + " x "
                    + grown[2] + " voxels", channels, grown[0], grown[1], grown[2]);
            geometry = GantryTilt.geometry(geometry, shifts);
            size = grown;
        }
        this.gap = gap;
        this.shifts = shifts;
        this.header = new ScanHeader(size, channels, geometry, notes);
        return this;
    }

    /** Every plane like the first: size, orientation, samples, colour model. */
    private void checkSameKind(Plane p, Plane first) throws ImageFileException {
        ImageHeader h0 = first.header();
        ImageHeader h = p.header();
        if (h.rows() != h0.rows() || h.columns() != h0.columns()) {
            throw new ImageFileException(p.path(), "series " + uid + " mixes image sizes: " + h.rows() + " x " + h.columns()
                    + " here, " + h0.rows() + " x " + h0.columns() + " in " + first.where());
        }
        if (h0.orientation() != null && (h.orientation() == null || maxDiff(h.orientation(), h0.orientation()) > 1e-4)) {
            throw new ImageFileException(p.path(), "series " + uid + " mixes orientations: "
                    + Arrays.toString(h.orientation()) + " here" + (h.frames() > 1 ? " (frame " + (h.frame() + 1) + ")" : "")
                    + ", " + Arrays.toString(h0.orientation()) + " in " + first.where());
        }
        if (h.samples() != h0.samples() || !Photometric.of(p.dataset()).equals(Photometric.of(first.dataset()))) {
            throw new ImageFileException(p.path(), "series " + uid + " mixes sample counts or colour models ("
                    + h.samples() + " " + Photometric.of(p.dataset()) + " here, " + h0.samples() + " "
                    + Photometric.of(first.dataset()) + " in " + first.where() + ")");
        }
    }

    /**
     * Planes without positions: the frames of one classic multi-frame file (cine, NM without
     * spacing) stack in frame order, Spacing Between Slices or Slice Thickness apart, else 1 mm, and
     * the note says so; planes of several files cannot be ordered and are refused.
     */
    private double unplacedFrames(List<String> notes) throws ImageFileException {
        Plane first = planes.get(0);
        boolean oneFile = planes.stream().allMatch(p -> p.file() == first.file());
        if (!oneFile) {
            Plane missing = planes.stream().filter(p -> p.header().position() == null).findFirst().orElseThrow();
            throw new ImageFileException(missing.path(), "lacks Image Position (Patient) (0020,0032)"
                    + (missing.header().frames() > 1 ? " for frame " + (missing.header().frame() + 1) : "")
                    + "; slices cannot be ordered");
        }
        double nominal = first.header().nominalSpacing();
        notes.add(first.path() + ": its " + planes.size() + " frames have no positions; stacked in file order "
                + (nominal > 0 ? String.format(Locale.ROOT, "%.4g mm apart (its Slice Thickness or Spacing Between"
                + " Slices)", nominal) : "1 mm apart (the file gives no slice spacing)"));
        return nominal > 0 ? nominal : 1;
    }

    /** The distance between slice planes, checked to be even: no duplicates, no missing slice. */
    private double evenGap() throws ImageFileException {
        double[] pos = new double[planes.size()];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = along(planes.get(i), normal);
        }
        double[] gaps = new double[pos.length - 1];
        for (int i = 1; i < pos.length; i++) {
            gaps[i - 1] = pos[i] - pos[i - 1];
            if (gaps[i - 1] < 1e-6) {
                throw new ImageFileException(planes.get(i).path(), "is at the same position as " + planes.get(i - 1).where()
                        + " (series " + uid + " has two slices at " + String.format(Locale.ROOT, "%.3f", pos[i])
                        + " mm along the normal: several acquisitions or duplicate files?)");
            }
        }
        double[] sorted = gaps.clone();
        Arrays.sort(sorted);
        double typical = sorted[sorted.length / 2];
        int worst = 0;
        for (int i = 1; i < gaps.length; i++) {
            if (Math.abs(gaps[i] - typical) > Math.abs(gaps[worst] - typical)) {
                worst = i;
            }
        }
        if (Math.abs(gaps[worst] - typical) > GAP_TOLERANCE * typical) {
            throw new ImageFileException(planes.get(worst + 1).path(), String.format(Locale.ROOT,
                    "series %s has uneven slice spacing: a gap of %.3f mm before this slice, %.3f mm elsewhere"
                            + " (a missing slice?)", uid, gaps[worst], typical));
        }
        return (pos[pos.length - 1] - pos[0]) / (pos.length - 1);
    }

    /**
     * The in-plane offset of every plane from the first, in pixels (x, y), when the planes are
     * sheared; null when they stack straight. Equal steps are a gantry tilt and resampled (with a
     * note); anything else is refused.
     */
    private double[][] inPlaneShifts(List<String> notes, double gap) throws ImageFileException {
        ImageHeader h0 = planes.get(0).header();
        double[] o = h0.orientation() == null ? new double[] {1, 0, 0, 0, 1, 0} : h0.orientation();
        double[] ps = h0.pixelSpacing() == null ? new double[] {1, 1} : h0.pixelSpacing();
        int n = planes.size();
        double[][] shifts = new double[n][2];
        double largest = 0;
        for (int k = 1; k < n; k++) {
            double[] d = new double[3];
            for (int r = 0; r < 3; r++) {
                d[r] = planes.get(k).header().position()[r] - h0.position()[r];
            }
            shifts[k][0] = (d[0] * o[0] + d[1] * o[1] + d[2] * o[2]) / ps[1];
            shifts[k][1] = (d[0] * o[3] + d[1] * o[4] + d[2] * o[5]) / ps[0];
            largest = Math.max(largest, Math.max(Math.abs(shifts[k][0]), Math.abs(shifts[k][1])));
        }
        if (largest <= SHEAR_TOLERANCE_PIXELS) {
            return null;
        }
        double[] step = {shifts[n - 1][0] / (n - 1), shifts[n - 1][1] / (n - 1)};
        for (int k = 1; k < n; k++) {
            if (Math.abs(shifts[k][0] - k * step[0]) > SHEAR_TOLERANCE_PIXELS
                    || Math.abs(shifts[k][1] - k * step[1]) > SHEAR_TOLERANCE_PIXELS) {
                throw new ImageFileException(planes.get(k).path(), String.format(Locale.ROOT, "series %s: this slice is"
                        + " shifted in-plane by (%.3f, %.3f) pixels from the first, not by a constant step per slice"
                        + " as a gantry tilt shifts them; the slices do not form a volume", uid, shifts[k][0], shifts[k][1]));
            }
        }
        double stepMm = Math.hypot(step[0] * ps[1], step[1] * ps[0]);
        double tilt = Math.toDegrees(Math.atan2(stepMm, gap));
        double tag = planes.get(0).dataset().number(Tags.GANTRY_DETECTOR_TILT, Double.NaN);
        notes.add(String.format(Locale.ROOT, "series %s: gantry tilt of %.2f degrees (%s): each slice shifted %.3f mm"
                + " in-plane from the last; resampled onto a regular grid perpendicular to the slices (bilinear in the"
                + " plane, outside filled with the scan's minimum), as dcm2niix does", uid, tilt,
                Double.isNaN(tag) ? "from the slice positions; (0018,1120) absent"
                        : String.format(Locale.ROOT, "(0018,1120) says %.4g", tag), stepMm));
        return shifts;
    }

    private Geometry geometry(double sliceGap) {
        ImageHeader h = planes.get(0).header();
        double[] iop = h.orientation();
        double[] row = iop == null ? new double[] {1, 0, 0} : new double[] {iop[0], iop[1], iop[2]};
        double[] col = iop == null ? new double[] {0, 1, 0} : new double[] {iop[3], iop[4], iop[5]};
        double[] direction = new double[9];
        for (int r = 0; r < 3; r++) {
            direction[r * 3] = row[r];
            direction[r * 3 + 1] = col[r];
            direction[r * 3 + 2] = normal[r];
        }
        // Pixel Spacing is (between rows, between columns) = (y, x)
        double[] ps = h.pixelSpacing();
        double[] spacing = {ps == null ? 1 : ps[1], ps == null ? 1 : ps[0], sliceGap};
        return new Geometry(spacing, h.position() == null ? new double[3] : h.position().clone(), direction);
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = a.length == b.length ? 0 : Double.POSITIVE_INFINITY;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
