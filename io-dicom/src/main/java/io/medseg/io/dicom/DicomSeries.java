package io.medseg.io.dicom;

import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.ImageFiles;
import io.medseg.io.ScanHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** SOP Class UID of DICOM Segmentation objects, whose frames are segments' masks, not a scan's planes. */
    static final String SEGMENTATION = "1.2.840.10008.5.1.4.1.1.66.4";

    private final String uid;
    private final List<Plane> planes;
    private final double[] normal;

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
            if (!ImageFiles.isDicom(p)) {
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

    private static DicomSeries of(String uid, List<Plane> planes) {
        double[] normal = planes.get(0).header().normal();
        List<Plane> sorted = new ArrayList<>(planes);
        Comparator<Plane> fileOrder = Comparator.comparing((Plane f) -> f.path().toString())
                .thenComparingInt(f -> f.header().frame());
        // when a plane has no position (a classic multi-frame file placing only its first frame) the
        // planes keep their file and frame order: sorting the one placed frame among them would move it
        boolean unplaced = planes.stream().anyMatch(p -> p.header().position() == null);
        sorted.sort(unplaced ? fileOrder
                : Comparator.comparingDouble((Plane f) -> PlaneStack.along(f, normal)).thenComparing(fileOrder));
        return new DicomSeries(uid, List.copyOf(sorted), normal);
    }

    public String uid() {
        return uid;
    }

    /** The image planes in volume order: slice z of {@link #load} is plane z. */
    List<Plane> planes() {
        return planes;
    }

    /** The slice normal the planes are ordered along (row direction × column direction). */
    double[] normal() {
        return normal.clone();
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
        return PlaneStack.of(uid, planes, normal).header();
    }

    /**
     * Checks the series and stacks it into a volume: stored values × Rescale Slope + Intercept
     * (per plane; Hounsfield units for CT), MONOCHROME1 inverted so that bright means dense, palette
     * and YBR colour as RGB channels. Before the volume is allocated, every file's pixel data must be
     * able to hold the image its header claims, and the volume must fit within {@link io.medseg.io.ReadLimits}.
     *
     * @throws ImageFileException naming the offending file for inconsistent series
     */
    public Volume load() throws IOException {
        PlaneStack stack = PlaneStack.of(uid, planes, normal);
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
                    throw new UncheckedIOException(ex);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        long[] size = {columns, rows, slices};
        if (stack.shifts() != null) {
            return GantryTilt.resample(data, size, channels, stack.shifts(), h).withNotes(h.notes()).withModality(modality());
        }
        return Volume.wrap(data, size, channels, h.geometry()).withNotes(h.notes()).withModality(modality());
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
        return PlaneStack.of(uid, planes, normal).gap();
    }

    @Override
    public String toString() {
        return uid + " (" + modality() + ", " + files().size() + " files, " + planes.size() + " planes)";
    }
}
