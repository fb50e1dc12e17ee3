package io.medseg.io.dicom;

import io.medseg.image.Geometry;
import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.ReadLimits;
import io.medseg.io.ScanHeader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * DICOM series in a folder: files grouped by Series Instance UID, image planes (single-frame files,
 * or each frame of a multi-frame file with its functional groups) ordered by Image Position
 * (Patient) projected on the slice normal (not by name, Instance Number or frame number), slice
 * spacing from those positions (not Slice Thickness), directions from Image Orientation (Patient).
 * A series with mixed sizes or orientations, two planes at one position, or uneven gaps (a missing
 * slice) is reported, never silently stacked. A series whose planes are shifted in-plane by equal
 * steps (a gantry tilt) is resampled onto a regular grid with a note, as dcm2niix does; shifts of
 * any other kind are refused.
 */
public final class DicomSeries {
    /** Relative tolerance on slice gaps before a series counts as unevenly spaced. */
    static final double GAP_TOLERANCE = 0.01;
    /** SOP Class UID of DICOM Segmentation objects, whose frames are segments' masks, not a scan's planes. */
    static final String SEGMENTATION = "1.2.840.10008.5.1.4.1.1.66.4";
    /** In-plane shift between planes, in pixels, below which a stack counts as unsheared. */
    static final double SHEAR_TOLERANCE_PIXELS = 0.01;

    private final String uid;
    private final List<Plane> planes;
    private final double[] normal;

    /** One image plane of the series: frame {@code header.frame()} of a file, with its own geometry and rescale. */
    private record Plane(DicomFile file, ImageHeader header) {
        Path path() {
            return file.path();
        }

        DicomDataset dataset() {
            return file.dataset();
        }

        String where() {
            return header.frames() > 1 ? path() + " frame " + (header.frame() + 1) : path().toString();
        }
    }

    private DicomSeries(String uid, List<Plane> planes, double[] normal) {
        this.uid = uid;
        this.planes = planes;
        this.normal = normal;
    }

    /** The series found in a folder and the files that are not part of any. */
    public record Scan(List<DicomSeries> series, Map<Path, String> skipped) {}

    /** Reads every file below {@code dir}; files that are not DICOM images are listed as skipped with the reason. */
    public static Scan scan(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ImageFileException(dir, "no such folder");
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        return scanFiles(files);
    }

    /** Reads exactly these files (e.g. one file a user pointed at) and groups them into series. */
    public static Scan scanFiles(List<Path> files) {
        // parse on all cores; the ordered stream keeps the file order, so results do not depend on timing
        List<Parsed> parsed = files.parallelStream().map(DicomSeries::parseOrSkip).toList();
        Map<String, List<Plane>> byUid = new LinkedHashMap<>();
        Map<Path, String> skipped = new TreeMap<>();
        for (Parsed p : parsed) {
            if (p.planes() == null) {
                skipped.put(p.path(), p.skipReason());
                continue;
            }
            String uid = p.planes().get(0).dataset().string(Tags.SERIES_INSTANCE_UID);
            byUid.computeIfAbsent(uid == null || uid.isEmpty() ? "(no series UID) " + p.path() : uid, k -> new ArrayList<>())
                    .addAll(p.planes());
        }
        List<DicomSeries> series = new ArrayList<>();
        for (Map.Entry<String, List<Plane>> e : byUid.entrySet()) {
            series.add(of(e.getKey(), e.getValue()));
        }
        return new Scan(series, skipped);
    }

    /** A parsed image file's planes, or why it was skipped. */
    private record Parsed(Path path, List<Plane> planes, String skipReason) {}

    private static Parsed parseOrSkip(Path p) {
        try {
            if (!DicomParser.looksLikeDicom(head(p))) {
                return new Parsed(p, null, "not a DICOM file");
            }
            DicomFile f = DicomParser.parse(p);
            if (PixelDecoder.pixelElement(f.dataset()) == null) {
                return new Parsed(p, null, "DICOM without pixel data (e.g. DICOMDIR, report, structure set)");
            }
            if (SEGMENTATION.equals(f.dataset().string(Tags.SOP_CLASS_UID))) {
                return new Parsed(p, null, "a DICOM Segmentation (SEG) object: a mask, not a scan");
            }
            List<Plane> planes = new ArrayList<>();
            for (ImageHeader h : ImageHeader.frames(f)) {
                planes.add(new Plane(f, h));
            }
            return new Parsed(p, planes, null);
        } catch (ImageFileException e) {
            return new Parsed(p, null, e.problem());
        } catch (IOException e) {
            return new Parsed(p, null, "cannot be read: " + e.getMessage());
        }
    }

    private static byte[] head(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes(132);
        }
    }

    private static DicomSeries of(String uid, List<Plane> planes) {
        double[] normal = planes.get(0).header().normal();
        List<Plane> sorted = new ArrayList<>(planes);
        // planes without a position keep their file and frame order (a classic multi-frame file)
        sorted.sort(Comparator.comparingDouble((Plane f) -> along(f, normal)).thenComparing(f -> f.path().toString())
                .thenComparingInt(f -> f.header().frame()));
        return new DicomSeries(uid, List.copyOf(sorted), normal);
    }

    private static double along(Plane f, double[] normal) {
        double[] ipp = f.header().position();
        return ipp == null ? 0 : ipp[0] * normal[0] + ipp[1] * normal[1] + ipp[2] * normal[2];
    }

    public String uid() {
        return uid;
    }

    /** The files of the series, each once, in the order of their first plane. */
    public List<Path> files() {
        return planes.stream().map(Plane::path).distinct().toList();
    }

    public String modality() {
        return text(Tags.MODALITY);
    }

    public String description() {
        return text(Tags.SERIES_DESCRIPTION);
    }

    /** Patient's Name as stored (components separated by ^), or "". */
    public String patientName() {
        return text(Tags.PATIENT_NAME);
    }

    /** Study Date (YYYYMMDD), or "". */
    public String studyDate() {
        return text(Tags.STUDY_DATE);
    }

    /** Series Number, or "". */
    public String seriesNumber() {
        return text(Tags.SERIES_NUMBER);
    }

    private String text(int tag) {
        String v = planes.get(0).dataset().string(tag);
        return v == null ? "" : v;
    }

    /**
     * Size, channels and geometry of the volume {@link #load} would give, and its notes, from the
     * headers alone: every check of {@code load} but the pixel decoding.
     *
     * @throws ImageFileException naming the offending file for inconsistent series
     */
    public ScanHeader header() throws ImageFileException {
        return stack().header();
    }

    /**
     * Checks the series and stacks it into a volume: stored values × Rescale Slope + Intercept
     * (per plane; Hounsfield units for CT), MONOCHROME1 inverted so that bright means dense, palette
     * and YBR colour as RGB channels. Before the volume is allocated, every file's pixel data must be
     * able to hold the image its header claims, and the volume must fit within {@link ReadLimits}.
     *
     * @throws ImageFileException naming the offending file for inconsistent series
     */
    public Volume load() throws IOException {
        Stack stack = stack();
        ScanHeader h = stack.header();
        Plane first = planes.get(0);
        int rows = first.header().rows();
        int columns = first.header().columns();
        int plane = rows * columns;
        int slices = planes.size();
        int channels = h.channels();
        float[] data = new float[Math.toIntExact((long) channels * slices * plane)];
        // each file decoded once, on all cores; its frames go to the slices its planes sorted into
        Map<DicomFile, List<Integer>> slicesOfFile = new LinkedHashMap<>();
        for (int z = 0; z < slices; z++) {
            slicesOfFile.computeIfAbsent(planes.get(z).file(), k -> new ArrayList<>()).add(z);
        }
        try {
            slicesOfFile.entrySet().parallelStream().forEach(e -> {
                try {
                    Frames fr = PixelDecoder.decode(e.getKey());
                    float[] values = Photometric.apply(fr, e.getKey(), bitsStored(e.getKey()));
                    for (int z : e.getValue()) {
                        copyRescaled(values, fr.frames(), planes.get(z), data, z, slices, plane, channels);
                    }
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        long[] size = {columns, rows, slices};
        if (stack.shifts() != null) {
            return GantryTilt.resample(data, size, channels, stack.shifts(), h).withNotes(h.notes());
        }
        return Volume.wrap(data, size, channels, h.geometry()).withNotes(h.notes());
    }

    private static int bitsStored(DicomFile f) {
        return f.dataset().integer(Tags.BITS_STORED, f.dataset().integer(Tags.BITS_ALLOCATED, 8));
    }

    /**
     * Writes one plane's frame into slice {@code z}: monochrome values × slope + intercept (MONOCHROME1
     * inverted first), colour values as they are.
     */
    private static void copyRescaled(float[] values, int framesInFile, Plane p, float[] data, int z, int slices,
            int plane, int channels) {
        DicomDataset d = p.dataset();
        String photometric = Photometric.of(d);
        boolean monochrome = photometric.startsWith("MONOCHROME");
        double slope = monochrome ? p.header().slope() : 1;
        double intercept = monochrome ? p.header().intercept() : 0;
        boolean invert = photometric.equals("MONOCHROME1");
        // decode() has checked these attributes
        boolean signed = d.integer(Tags.PIXEL_REPRESENTATION, 0) == 1;
        double maxStored = (1L << d.integer(Tags.BITS_STORED, 16)) - 1;
        int k = p.header().frame();
        for (int c = 0; c < channels; c++) {
            int src = (c * framesInFile + k) * plane;
            int dst = (c * slices + z) * plane;
            for (int i = 0; i < plane; i++) {
                double v = values[src + i];
                if (invert) {
                    v = signed ? -v : maxStored - v;
                }
                data[dst + i] = (float) (v * slope + intercept);
            }
        }
    }

    /** The distance between slice planes (Spacing Between Slices or Slice Thickness for a single plane). */
    public double sliceSpacing() throws ImageFileException {
        return stack().gap();
    }

    /**
     * How the planes stack: the distance between them, the in-plane shift of each (in pixels, x and
     * y) when the stack is sheared, the resulting header, and what the user should be told.
     */
    private record Stack(double gap, double[][] shifts, ScanHeader header) {}

    private Stack stack() throws ImageFileException {
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
        return new Stack(gap, shifts, new ScanHeader(size, channels, geometry, notes));
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

    @Override
    public String toString() {
        return uid + " (" + modality() + ", " + files().size() + " files, " + planes.size() + " planes)";
    }
}
