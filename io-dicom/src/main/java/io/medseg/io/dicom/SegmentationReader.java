package io.medseg.io.dicom;

import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.io.ImageFileException;
import io.medseg.io.ReadLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A DICOM Segmentation object (from this project or any other tool) as a label map: segment k
 * becomes label k, each frame is placed by its own Image Position (Patient). On the grid of the
 * series it was made on when that series is given (the way a viewer overlays it; frames the SEG left
 * out because they were empty stay background), else on the grid its frames span. BINARY segments
 * as they are; FRACTIONAL ones (probability or occupancy) thresholded at half their maximum, with a
 * note. Refused, with the reason: other segmentation types, frames that do not lie on one regular
 * grid (or not on the reference's), and segments that overlap (a label map holds one label per voxel).
 */
public final class SegmentationReader {
    /** Position tolerance in mm: DICOM decimal strings carry 16 characters. */
    private static final double TOLERANCE_MM = 1e-3;

    /**
     * The label map, what its segments are, the series the SEG names as its source, and what the
     * reader did that the user should know.
     */
    public record Segmentation(LabelMap labels, List<SegmentDescription> segments, String referencedSeriesUid,
            List<String> notes) {}

    /** Who and what a SEG is about, from its header: what a converter names its output by. */
    public record Identity(String sopInstanceUid, String studyUid, String seriesUid, String patientName,
            String studyDate, String seriesNumber, String description, String referencedSeriesUid) {}

    private SegmentationReader() {}

    /**
     * The SEG's own instance, study, series, patient, date, number and description (each "" when absent) and the series
     * it names as its source (null when it names none).
     *
     * @throws ImageFileException when the file is not a DICOM Segmentation
     */
    public static Identity identify(Path file) throws IOException {
        DicomDataset d = DicomParser.parse(file).dataset();
        if (!DicomSeries.SEGMENTATION.equals(d.string(Tags.SOP_CLASS_UID))) {
            throw new ImageFileException(file, "is not a DICOM Segmentation (SOP Class UID " + d.string(Tags.SOP_CLASS_UID)
                    + ", expected " + DicomSeries.SEGMENTATION + ")");
        }
        return new Identity(text(d, Tags.SOP_INSTANCE_UID), text(d, Tags.STUDY_INSTANCE_UID),
                text(d, Tags.SERIES_INSTANCE_UID), text(d, Tags.PATIENT_NAME), text(d, Tags.STUDY_DATE),
                text(d, Tags.SERIES_NUMBER), text(d, Tags.SERIES_DESCRIPTION), referencedSeries(d));
    }

    private static String text(DicomDataset d, int tag) {
        String v = d.string(tag);
        return v == null ? "" : v;
    }

    private static String referencedSeries(DicomDataset d) {
        List<DicomDataset> referenced = d.sequence(Tags.REFERENCED_SERIES_SEQUENCE);
        return referenced.isEmpty() ? null : referenced.get(0).string(Tags.SERIES_INSTANCE_UID);
    }

    /** Whether {@code file} is a DICOM file of the Segmentation SOP class. */
    public static boolean isSegmentation(Path file) {
        try {
            return DicomSeries.SEGMENTATION.equals(DicomParser.parse(file).dataset().string(Tags.SOP_CLASS_UID));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The SEG on the grid its frames span (from the first to the last frame's plane). */
    public static Segmentation read(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * The SEG on the grid of {@code reference} (the series it was made on), or, when null, on the
     * grid its frames span.
     *
     * @throws ImageFileException naming the file and the problem
     */
    public static Segmentation read(Path file, DicomSeries reference) throws IOException {
        DicomFile f = DicomParser.parse(file);
        DicomDataset d = f.dataset();
        if (!DicomSeries.SEGMENTATION.equals(d.string(Tags.SOP_CLASS_UID))) {
            throw new ImageFileException(file, "is not a DICOM Segmentation (SOP Class UID " + d.string(Tags.SOP_CLASS_UID)
                    + ", expected " + DicomSeries.SEGMENTATION + ")");
        }
        List<String> notes = new ArrayList<>();
        String type = d.string(Tags.SEGMENTATION_TYPE);
        double threshold;
        if ("BINARY".equals(type)) {
            threshold = 1;
        } else if ("FRACTIONAL".equals(type)) {
            double max = d.number(Tags.MAXIMUM_FRACTIONAL_VALUE, Double.NaN);
            if (!(max > 0)) {
                throw new ImageFileException(file, "is a FRACTIONAL segmentation without a Maximum Fractional Value"
                        + " (0062,000E) > 0");
            }
            threshold = max / 2;
            notes.add(file + ": FRACTIONAL segmentation (" + d.string(Tags.SEGMENTATION_FRACTIONAL_TYPE) + ", maximum "
                    + (int) max + "); a voxel belongs to a segment when its value is at least half the maximum");
        } else {
            throw new ImageFileException(file, "has Segmentation Type (0062,0001) '" + type + "'; only BINARY and"
                    + " FRACTIONAL segmentations are read");
        }
        List<SegmentDescription> segments = segments(file, d);
        List<ImageHeader> headers = ImageHeader.frames(f);
        int[] segmentOfFrame = segmentOfEachFrame(file, d, headers.size(), segments.size());
        ImageHeader h0 = headers.get(0);
        for (ImageHeader h : headers) {
            if (h.position() == null || h.orientation() == null) {
                throw new ImageFileException(file, "frame " + (h.frame() + 1) + " has no Image Position or Orientation"
                        + " (Patient); its place in the scan is unknown");
            }
            if (maxDiff(h.orientation(), h0.orientation()) > 1e-4) {
                throw new ImageFileException(file, "its frames have different orientations (frame " + (h.frame() + 1)
                        + "); they do not form one grid");
            }
        }
        if (h0.pixelSpacing() == null) {
            throw new ImageFileException(file, "has no Pixel Spacing (0028,0030) in its functional groups");
        }
        Grid grid = reference != null ? referenceGrid(file, reference, h0) : ownGrid(file, d, headers, notes);
        int columns = h0.columns();
        int rows = h0.rows();
        int plane = rows * columns;
        byte[] labels = new byte[Math.toIntExact((long) plane * grid.slices())];
        Frames pixels = PixelDecoder.decode(f);
        long overlaps = 0;
        String firstOverlap = null;
        for (int k = 0; k < headers.size(); k++) {
            int z = grid.slice(file, headers.get(k));
            int label = segmentOfFrame[k];
            int src = k * plane;
            int dst = z * plane;
            for (int i = 0; i < plane; i++) {
                if (pixels.values()[src + i] >= threshold) {
                    int there = labels[dst + i] & 0xFF;
                    if (there != 0 && there != label) {
                        overlaps++;
                        if (firstOverlap == null) {
                            firstOverlap = "segments " + there + " and " + label;
                        }
                    }
                    labels[dst + i] = (byte) label;
                }
            }
        }
        if (overlaps > 0) {
            throw new ImageFileException(file, "its segments overlap on " + overlaps + " voxel(s) (first: " + firstOverlap
                    + "); a label map holds one label per voxel, so it cannot be read as one");
        }
        Map<Integer, String> names = new TreeMap<>();
        segments.forEach(s -> names.put(s.label(), s.name()));
        String referencedSeries = referencedSeries(d);
        if (reference != null && referencedSeries != null && !referencedSeries.equals(reference.uid())) {
            notes.add(file + ": it names series " + referencedSeries + " as its source, not " + reference.uid()
                    + "; placed on that series by position (same frame of reference)");
        }
        return new Segmentation(LabelMap.wrap(labels, new long[] {columns, rows, grid.slices()}, grid.geometry(), names),
                segments, referencedSeries, notes);
    }

    /** The Segment Sequence: numbers 1..n (each once, up to 255) with labels and codes. */
    private static List<SegmentDescription> segments(Path file, DicomDataset d) throws ImageFileException {
        List<DicomDataset> items = d.sequence(Tags.SEGMENT_SEQUENCE);
        if (items.isEmpty()) {
            throw new ImageFileException(file, "has no Segment Sequence (0062,0002)");
        }
        List<SegmentDescription> segments = new ArrayList<>();
        boolean[] seen = new boolean[256];
        for (DicomDataset item : items) {
            int number = item.integer(Tags.SEGMENT_NUMBER, -1);
            if (number < 1 || number > 255 || seen[number]) {
                throw new ImageFileException(file, "has Segment Number " + number + (number >= 1 && number <= 255
                        ? " twice" : "; a label map holds segments 1..255"));
            }
            seen[number] = true;
            String label = item.string(Tags.SEGMENT_LABEL);
            try {
                segments.add(new SegmentDescription(number, label == null || label.isBlank() ? "segment " + number : label,
                        code(item, Tags.SEGMENTED_PROPERTY_CATEGORY_CODE_SEQUENCE),
                        code(item, Tags.SEGMENTED_PROPERTY_TYPE_CODE_SEQUENCE)));
            } catch (IllegalArgumentException e) {
                throw new ImageFileException(file, "segment " + number + ": " + e.getMessage());
            }
        }
        segments.sort(java.util.Comparator.comparingInt(SegmentDescription::label));
        return segments;
    }

    private static Code code(DicomDataset item, int sequence) {
        List<DicomDataset> codes = item.sequence(sequence);
        if (codes.isEmpty()) {
            return null;
        }
        DicomDataset c = codes.get(0);
        return new Code(c.string(Tags.CODE_VALUE), c.string(Tags.CODING_SCHEME_DESIGNATOR), c.string(Tags.CODE_MEANING));
    }

    /** Each frame's Referenced Segment Number (per-frame, or shared when the SEG has one segment). */
    private static int[] segmentOfEachFrame(Path file, DicomDataset d, int frames, int segments)
            throws ImageFileException {
        List<DicomDataset> perFrame = d.sequence(Tags.PER_FRAME_FUNCTIONAL_GROUPS);
        List<DicomDataset> shared = d.sequence(Tags.SHARED_FUNCTIONAL_GROUPS);
        int[] segment = new int[frames];
        for (int k = 0; k < frames; k++) {
            List<DicomDataset> ident = perFrame.size() == frames
                    ? perFrame.get(k).sequence(Tags.SEGMENT_IDENTIFICATION_SEQUENCE) : List.of();
            if (ident.isEmpty() && !shared.isEmpty()) {
                ident = shared.get(0).sequence(Tags.SEGMENT_IDENTIFICATION_SEQUENCE);
            }
            int number = ident.isEmpty() ? -1 : ident.get(0).integer(Tags.REFERENCED_SEGMENT_NUMBER, -1);
            if (number < 1 || number > segments && !described(d, number)) {
                throw new ImageFileException(file, "frame " + (k + 1) + " names segment " + number
                        + ", which the Segment Sequence does not describe");
            }
            segment[k] = number;
        }
        return segment;
    }

    private static boolean described(DicomDataset d, int number) {
        return d.sequence(Tags.SEGMENT_SEQUENCE).stream().anyMatch(s -> s.integer(Tags.SEGMENT_NUMBER, -1) == number);
    }

    /** A regular grid of slices, and where a frame falls on it. */
    private record Grid(Geometry geometry, int slices, double[] origin, double[] row, double[] col, double[] normal,
            double gap) {
        int slice(Path file, ImageHeader h) throws ImageFileException {
            double[] d = new double[3];
            for (int r = 0; r < 3; r++) {
                d[r] = h.position()[r] - origin[r];
            }
            double along = dot(d, normal) / gap;
            int z = (int) Math.round(along);
            if (Math.abs(dot(d, row)) > TOLERANCE_MM * 10 || Math.abs(dot(d, col)) > TOLERANCE_MM * 10
                    || Math.abs(along - z) * gap > TOLERANCE_MM * 10 || z < 0 || z >= slices) {
                throw new ImageFileException(file, String.format(Locale.ROOT, "frame %d at %s does not lie on a slice of"
                        + " the grid (%.4f slices along the normal, %.4f / %.4f mm in-plane off)", h.frame() + 1,
                        Arrays.toString(h.position()), along, dot(d, row), dot(d, col)));
            }
            return z;
        }
    }

    /** The reference series' grid; the SEG's frames must share its orientation, spacing and size. */
    private static Grid referenceGrid(Path file, DicomSeries reference, ImageHeader h0) throws ImageFileException {
        List<Plane> planes = reference.planes();
        ImageHeader r0 = planes.get(0).header();
        PlaneStack stack = PlaneStack.of(reference.uid(), planes, reference.normal());
        if (stack.shifts() != null) {
            throw new ImageFileException(file, "its reference series " + reference.uid() + " is resampled for a gantry tilt;"
                    + " the SEG's frames cannot be placed on that grid");
        }
        if (r0.orientation() == null || maxDiff(r0.orientation(), h0.orientation()) > 1e-4
                || r0.rows() != h0.rows() || r0.columns() != h0.columns()
                || r0.pixelSpacing() == null || maxDiff(r0.pixelSpacing(), h0.pixelSpacing()) > TOLERANCE_MM) {
            throw new ImageFileException(file, "its frames (" + h0.rows() + " x " + h0.columns() + ", orientation "
                    + Arrays.toString(h0.orientation()) + ") are not on the planes of series " + reference.uid()
                    + "; read it without a reference");
        }
        Geometry g = stack.header().geometry();
        return grid(g, planes.size(), r0.orientation(), reference.normal());
    }

    /** The grid the frames span: from the lowest to the highest plane along the normal, evenly spaced. */
    private static Grid ownGrid(Path file, DicomDataset d, List<ImageHeader> headers, List<String> notes)
            throws ImageFileException {
        ImageHeader h0 = headers.get(0);
        double[] normal = h0.normal();
        double[] along = distinct(headers.stream().mapToDouble(h -> dot(h.position(), normal)).sorted().toArray());
        ImageHeader lowest = headers.stream().min(java.util.Comparator.comparingDouble(h -> dot(h.position(), normal)))
                .orElseThrow();
        double low = dot(lowest.position(), normal);
        // Spacing Between Slices only: Slice Thickness is not a spacing (slices may overlap or leave gaps)
        double gap = spacingBetweenSlices(d);
        if (!(gap > 0)) {
            gap = Double.POSITIVE_INFINITY;
            for (int i = 1; i < along.length; i++) {
                gap = Math.min(gap, along[i] - along[i - 1]);
            }
            if (along.length == 1) {
                gap = 1;
            }
            notes.add(String.format(Locale.ROOT, "%s: no Spacing Between Slices; slices taken %.4g mm apart (the"
                    + " smallest gap between its frames)", file, gap));
        }
        double count = Math.rint((along[along.length - 1] - low) / gap) + 1;
        // a hostile spacing (tiny, or frames far apart) claims a grid no memory holds: refused before allocating
        ReadLimits.checkVoxels(file, String.format(Locale.ROOT, "a grid of %d x %d x %.4g voxels (frames %.4g mm apart"
                + " at %.4g mm spacing)", h0.columns(), h0.rows(), count, along[along.length - 1] - low, gap),
                h0.columns(), h0.rows(), (long) Math.min(count, Long.MAX_VALUE));
        int slices = (int) count;
        double[] ps = h0.pixelSpacing();
        double[] o = h0.orientation();
        double[] direction = new double[9];
        for (int r = 0; r < 3; r++) {
            direction[r * 3] = o[r];
            direction[r * 3 + 1] = o[3 + r];
            direction[r * 3 + 2] = normal[r];
        }
        Geometry g = new Geometry(new double[] {ps[1], ps[0], gap}, lowest.position().clone(), direction);
        notes.add(file + ": placed on the grid its frames span (" + slices + " slices); give the series it was made on"
                + " to place it on the whole scan");
        return grid(g, slices, o, normal);
    }

    /** Spacing Between Slices of the shared Pixel Measures (or the top level), NaN when absent. */
    private static double spacingBetweenSlices(DicomDataset d) {
        List<DicomDataset> shared = d.sequence(Tags.SHARED_FUNCTIONAL_GROUPS);
        if (!shared.isEmpty()) {
            List<DicomDataset> measures = shared.get(0).sequence(Tags.PIXEL_MEASURES_SEQUENCE);
            if (!measures.isEmpty() && measures.get(0).contains(Tags.SPACING_BETWEEN_SLICES)) {
                return Math.abs(measures.get(0).number(Tags.SPACING_BETWEEN_SLICES, Double.NaN));
            }
        }
        return Math.abs(d.number(Tags.SPACING_BETWEEN_SLICES, Double.NaN));
    }

    /** Sorted positions with those closer than the tolerance merged: the frames of several segments share planes. */
    private static double[] distinct(double[] sorted) {
        double[] out = new double[sorted.length];
        int n = 0;
        for (double v : sorted) {
            if (n == 0 || v - out[n - 1] > TOLERANCE_MM) {
                out[n++] = v;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static Grid grid(Geometry g, int slices, double[] orientation, double[] normal) {
        return new Grid(g, slices, g.originMm(), Arrays.copyOfRange(orientation, 0, 3),
                Arrays.copyOfRange(orientation, 3, 6), normal, g.spacingMm()[2]);
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return a.length == b.length ? m : Double.POSITIVE_INFINITY;
    }
}
