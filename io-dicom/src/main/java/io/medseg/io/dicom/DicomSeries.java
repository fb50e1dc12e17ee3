package io.medseg.io.dicom;

import io.medseg.image.Geometry;
import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.ReadLimits;
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
 * DICOM series in a folder: files grouped by Series Instance UID, slices ordered by Image Position
 * (Patient) projected on the slice normal (not by name or Instance Number), slice spacing from
 * those positions (not Slice Thickness), directions from Image Orientation (Patient). A series
 * with mixed sizes or orientations, two slices at one position, or uneven gaps (a missing slice)
 * is reported, never silently stacked.
 */
public final class DicomSeries {
    /** Relative tolerance on slice gaps before a series counts as unevenly spaced. */
    static final double GAP_TOLERANCE = 0.01;

    private final String uid;
    private final List<Slice> slices;
    private final double[] normal;

    /** One file of the series and its checked geometry. */
    private record Slice(DicomFile file, ImageHeader header) {
        Path path() {
            return file.path();
        }

        DicomDataset dataset() {
            return file.dataset();
        }
    }

    private DicomSeries(String uid, List<Slice> slices, double[] normal) {
        this.uid = uid;
        this.slices = slices;
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
        Map<String, List<Slice>> byUid = new LinkedHashMap<>();
        Map<Path, String> skipped = new TreeMap<>();
        for (Parsed p : parsed) {
            if (p.slice() == null) {
                skipped.put(p.path(), p.skipReason());
                continue;
            }
            String uid = p.slice().dataset().string(Tags.SERIES_INSTANCE_UID);
            byUid.computeIfAbsent(uid == null || uid.isEmpty() ? "(no series UID) " + p.path() : uid, k -> new ArrayList<>())
                    .add(p.slice());
        }
        List<DicomSeries> series = new ArrayList<>();
        for (Map.Entry<String, List<Slice>> e : byUid.entrySet()) {
            series.add(of(e.getKey(), e.getValue()));
        }
        return new Scan(series, skipped);
    }

    /** A parsed image file, or why it was skipped. */
    private record Parsed(Path path, Slice slice, String skipReason) {}

    private static Parsed parseOrSkip(Path p) {
        try {
            if (!DicomParser.looksLikeDicom(head(p))) {
                return new Parsed(p, null, "not a DICOM file");
            }
            DicomFile f = DicomParser.parse(p);
            if (!f.dataset().contains(Tags.PIXEL_DATA)) {
                return new Parsed(p, null, "DICOM without pixel data (e.g. DICOMDIR, report, structure set)");
            }
            return new Parsed(p, new Slice(f, ImageHeader.of(f)), null);
        } catch (ImageFileException e) {
            return new Parsed(p, null, e.getMessage().substring(Math.min(e.getMessage().length(), p.toString().length() + 2)));
        } catch (IOException e) {
            return new Parsed(p, null, "cannot be read: " + e.getMessage());
        }
    }

    private static byte[] head(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes(132);
        }
    }

    private static DicomSeries of(String uid, List<Slice> files) {
        double[] normal = files.get(0).header().normal();
        List<Slice> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparingDouble((Slice f) -> along(f, normal)).thenComparing(f -> f.path().toString()));
        return new DicomSeries(uid, List.copyOf(sorted), normal);
    }

    private static double along(Slice f, double[] normal) {
        double[] ipp = f.header().position();
        return ipp == null ? 0 : ipp[0] * normal[0] + ipp[1] * normal[1] + ipp[2] * normal[2];
    }

    public String uid() {
        return uid;
    }

    public List<Path> files() {
        return slices.stream().map(Slice::path).toList();
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
        String v = slices.get(0).dataset().string(tag);
        return v == null ? "" : v;
    }

    /**
     * Checks the series and stacks it into a volume: stored values × Rescale Slope + Intercept
     * (per slice; Hounsfield units for CT), MONOCHROME1 inverted so that bright means dense.
     * Before the volume is allocated, every slice's pixel data must be able to hold the image its
     * header claims, and the volume must fit within {@link ReadLimits}.
     *
     * @throws ImageFileException naming the offending file for inconsistent series
     */
    public Volume load() throws IOException {
        Slice first = slices.get(0);
        ImageHeader h0 = first.header();
        int rows = h0.rows();
        int columns = h0.columns();
        for (Slice f : slices) {
            ImageHeader h = f.header();
            if (h.rows() != rows || h.columns() != columns) {
                throw new ImageFileException(f.path(), "series " + uid + " mixes image sizes: " + h.rows() + " x "
                        + h.columns() + " here, " + rows + " x " + columns + " in " + first.path());
            }
            if (h0.orientation() != null && (h.orientation() == null || maxDiff(h.orientation(), h0.orientation()) > 1e-4)) {
                throw new ImageFileException(f.path(), "series " + uid + " mixes orientations: "
                        + Arrays.toString(h.orientation()) + " here, " + Arrays.toString(h0.orientation()) + " in "
                        + first.path());
            }
            if (slices.size() > 1 && (h.frames() != 1 || h.samples() != h0.samples())) {
                throw new ImageFileException(f.path(), "series " + uid + " mixes multi-frame files or sample counts"
                        + " with single slices (" + h.frames() + " frames, " + h.samples() + " samples here)");
            }
            PixelDecoder.check(f.file());
        }
        double sliceGap = sliceSpacing();
        int samples = h0.samples();
        long plane = (long) rows * columns;
        long frames = slices.size() == 1 ? h0.frames() : slices.size();
        ReadLimits.checkVoxels(first.path(), "series " + uid + " of " + columns + " x " + rows + " x " + frames
                + (samples == 1 ? "" : " x " + samples) + " voxels", samples, frames, plane);
        if (slices.size() == 1) {
            Frames fr = PixelDecoder.decode(first.file());
            float[] data = new float[fr.values().length];
            copyRescaled(fr, first, data, 0, fr.frames(), fr.frames(), (int) plane);
            return Volume.wrap(data, new long[] {columns, rows, fr.frames()}, fr.samples(), geometry(sliceGap));
        }
        float[] data = new float[Math.toIntExact(samples * frames * plane)];
        try {
            // decode slices on all cores, each into its own part of the volume
            java.util.stream.IntStream.range(0, (int) frames).parallel().forEach(z -> {
                try {
                    Frames fr = PixelDecoder.decode(slices.get(z).file());
                    copyRescaled(fr, slices.get(z), data, z, 1, (int) frames, (int) plane);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return Volume.wrap(data, new long[] {columns, rows, frames}, samples, geometry(sliceGap));
    }

    /**
     * Writes a file's frames into the volume from slice {@code z}: stored × slope + intercept,
     * MONOCHROME1 inverted first.
     */
    private static void copyRescaled(Frames fr, Slice slice, float[] data, int z, int count, int totalSlices, int plane) {
        DicomDataset d = slice.dataset();
        double slope = slice.header().slope();
        double intercept = slice.header().intercept();
        boolean invert = "MONOCHROME1".equals(d.string(Tags.PHOTOMETRIC_INTERPRETATION));
        // decode() has checked these attributes
        boolean signed = d.integer(Tags.PIXEL_REPRESENTATION, 0) == 1;
        double maxStored = (1L << d.integer(Tags.BITS_STORED, 16)) - 1;
        float[] values = fr.values();
        for (int s = 0; s < fr.samples(); s++) {
            for (int k = 0; k < count; k++) {
                int src = (s * fr.frames() + k) * plane;
                int dst = (s * totalSlices + z + k) * plane;
                for (int p = 0; p < plane; p++) {
                    double v = values[src + p];
                    if (invert) {
                        v = signed ? -v : maxStored - v;
                    }
                    data[dst + p] = (float) (v * slope + intercept);
                }
            }
        }
    }

    /** The distance between slice positions, checked to be even; 1-slice series use Slice Thickness. */
    public double sliceSpacing() throws ImageFileException {
        if (slices.size() == 1) {
            // Spacing Between Slices, else Slice Thickness, else 1 mm; unusable values count as absent
            Slice only = slices.get(0);
            for (int tag : new int[] {Tags.SPACING_BETWEEN_SLICES, Tags.SLICE_THICKNESS}) {
                double v = Math.abs(ImageHeader.scalar(only.path(), only.dataset(), tag, 0));
                if (v > 0) {
                    return v;
                }
            }
            return 1;
        }
        double[] pos = new double[slices.size()];
        for (int i = 0; i < pos.length; i++) {
            if (slices.get(i).header().position() == null) {
                throw new ImageFileException(slices.get(i).path(), "lacks Image Position (Patient) (0020,0032);"
                        + " slices cannot be ordered");
            }
            pos[i] = along(slices.get(i), normal);
        }
        double[] gaps = new double[pos.length - 1];
        for (int i = 1; i < pos.length; i++) {
            gaps[i - 1] = pos[i] - pos[i - 1];
            if (gaps[i - 1] < 1e-6) {
                throw new ImageFileException(slices.get(i).path(), "is at the same position as " + slices.get(i - 1).path()
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
            throw new ImageFileException(slices.get(worst + 1).path(), String.format(Locale.ROOT,
                    "series %s has uneven slice spacing: a gap of %.3f mm before this slice, %.3f mm elsewhere"
                            + " (a missing slice?)", uid, gaps[worst], typical));
        }
        double mean = (pos[pos.length - 1] - pos[0]) / (pos.length - 1);
        return mean;
    }

    private Geometry geometry(double sliceGap) {
        ImageHeader h = slices.get(0).header();
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
        return uid + " (" + modality() + ", " + slices.size() + " files)";
    }
}
