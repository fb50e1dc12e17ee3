package io.medseg.io.dicom;

import io.medseg.io.ImageFileException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The attributes that place one image plane's pixels in the patient and turn stored values into
 * physical ones, read once and checked: a file whose orientation, position, spacing or rescale
 * cannot be used is refused here with the tag, what was found and what was expected, before any
 * series is assembled or any pixel buffer allocated from it.
 *
 * <p>A plane is a frame of a file: the only frame of a classic image, or one of many in a
 * multi-frame file. Enhanced multi-frame objects (Enhanced CT/MR, Parametric Map, ...) keep these
 * attributes in the Shared and Per-frame Functional Groups (Pixel Measures, Plane Position, Plane
 * Orientation, Pixel Value Transformation): each frame's value is taken from its own group first,
 * then the shared one, then the top level. Classic multi-frame files (RT Dose, NM) place frame k by
 * Grid Frame Offset Vector or k × Spacing Between Slices along the normal; without either, frames
 * after the first have no position.
 *
 * @param frame the frame in its file (0 for single-frame files)
 * @param frames the frames of the whole file
 * @param orientation the six direction cosines of (0020,0037), or null when absent
 * @param position (0020,0032) in mm, or null when absent
 * @param pixelSpacing (0028,0030) as stored (between rows, between columns), or null when absent
 * @param nominalSpacing Spacing Between Slices, else Slice Thickness, else 0: the only spacing a lone
 *     plane or an unplaced stack of frames has
 */
record ImageHeader(int frame, int rows, int columns, int frames, int samples, double[] orientation, double[] position,
        double[] pixelSpacing, double slope, double intercept, double nominalSpacing) {

    /** Direction cosines must be unit vectors and perpendicular to this tolerance (scanners write 6+ decimals). */
    static final double COSINE_TOLERANCE = 1e-2;

    /** Rows, columns, frames and samples: what decoding the pixels needs, without the geometry. */
    record Size(int rows, int columns, int frames, int samples) {}

    static Size size(DicomFile f) throws ImageFileException {
        DicomDataset d = f.dataset();
        Path file = f.path();
        // some writers put 0 in Number of Frames of a single-frame image
        int frames = d.contains(Tags.NUMBER_OF_FRAMES) && scalar(file, d, Tags.NUMBER_OF_FRAMES, 1) == 0 ? 1
                : count(file, d, Tags.NUMBER_OF_FRAMES, 1);
        return new Size(count(file, d, Tags.ROWS, -1), count(file, d, Tags.COLUMNS, -1), frames,
                count(file, d, Tags.SAMPLES_PER_PIXEL, 1));
    }

    /** The header of a file's first frame (single-frame files: its only one). */
    static ImageHeader of(DicomFile f) throws ImageFileException {
        return frames(f, 1).get(0);
    }

    /**
     * One header per frame of the file.
     *
     * @throws ImageFileException naming the file and the attribute (and the frame) when a value is
     *     not a number, has the wrong count, or is out of range
     */
    static List<ImageHeader> frames(DicomFile f) throws ImageFileException {
        return frames(f, Integer.MAX_VALUE);
    }

    /** The headers of the first {@code limit} frames. */
    private static List<ImageHeader> frames(DicomFile f, int limit) throws ImageFileException {
        DicomDataset d = f.dataset();
        Path file = f.path();
        Size size = size(f);
        int rows = size.rows();
        int columns = size.columns();
        int frames = size.frames();
        int samples = size.samples();
        if (frames > 1 && limit > 1) {
            // a header may claim a billion frames: the pixel data must hold them before a header is made per frame
            PixelDecoder.check(f);
        }
        List<DicomDataset> perFrame = d.sequence(Tags.PER_FRAME_FUNCTIONAL_GROUPS);
        List<DicomDataset> shared = d.sequence(Tags.SHARED_FUNCTIONAL_GROUPS);
        if (!perFrame.isEmpty() && perFrame.size() != frames) {
            throw invalid(file, Tags.PER_FRAME_FUNCTIONAL_GROUPS, "has " + perFrame.size() + " items for " + frames
                    + " frames");
        }
        if (perFrame.size() + shared.size() > 0) {
            List<ImageHeader> headers = new ArrayList<>();
            for (int k = 0; k < Math.min(frames, limit); k++) {
                FunctionalGroups groups = new FunctionalGroups(perFrame.isEmpty() ? null : perFrame.get(k),
                        shared.isEmpty() ? null : shared.get(0), d);
                headers.add(read(file, k, frames, rows, columns, samples, groups::holding));
            }
            return headers;
        }
        ImageHeader first = read(file, 0, frames, rows, columns, samples, tag -> d);
        List<ImageHeader> headers = new ArrayList<>();
        headers.add(first);
        double[] offsets = frames > 1 && limit > 1 ? frameOffsets(file, d, frames, first) : null;
        for (int k = 1; k < Math.min(frames, limit); k++) {
            double[] position = null;
            if (offsets != null && first.position() != null) {
                double[] n = first.normal();
                position = new double[3];
                for (int r = 0; r < 3; r++) {
                    position[r] = first.position()[r] + (offsets[k] - offsets[0]) * n[r];
                }
            }
            headers.add(new ImageHeader(k, rows, columns, frames, samples, first.orientation(), position,
                    first.pixelSpacing(), first.slope(), first.intercept(), first.nominalSpacing()));
        }
        return headers;
    }

    /**
     * Where the frames of a classic multi-frame file lie along the normal: Grid Frame Offset Vector
     * (RT Dose; its first value is the first frame's, so differences are used), else k × Spacing
     * Between Slices; null when the file says neither.
     */
    private static double[] frameOffsets(Path file, DicomDataset d, int frames, ImageHeader first)
            throws ImageFileException {
        double[] grid = numbers(file, d, Tags.GRID_FRAME_OFFSET_VECTOR);
        if (grid != null) {
            if (grid.length != frames) {
                throw invalid(file, Tags.GRID_FRAME_OFFSET_VECTOR, "has " + grid.length + " values for " + frames
                        + " frames");
            }
            for (double g : grid) {
                if (!Double.isFinite(g)) {
                    throw invalid(file, Tags.GRID_FRAME_OFFSET_VECTOR, "is " + values(grid) + ", expected finite numbers");
                }
            }
            return grid;
        }
        double between = Math.abs(scalar(file, d, Tags.SPACING_BETWEEN_SLICES, 0));
        if (between > 0) {
            double[] offsets = new double[frames];
            for (int k = 0; k < frames; k++) {
                offsets[k] = k * between;
            }
            return offsets;
        }
        return null;
    }

    /** The data set an attribute is read from. */
    private interface Source {
        DicomDataset holding(int tag);
    }

    /**
     * Where an enhanced object keeps each attribute: the frame's own functional group, else the
     * shared one, else the top level of the data set.
     */
    private record FunctionalGroups(DicomDataset frame, DicomDataset shared, DicomDataset top) {
        DicomDataset holding(int tag) {
            int macro = switch (tag) {
                case Tags.IMAGE_POSITION_PATIENT -> Tags.PLANE_POSITION_SEQUENCE;
                case Tags.IMAGE_ORIENTATION_PATIENT -> Tags.PLANE_ORIENTATION_SEQUENCE;
                case Tags.PIXEL_SPACING, Tags.SLICE_THICKNESS, Tags.SPACING_BETWEEN_SLICES -> Tags.PIXEL_MEASURES_SEQUENCE;
                case Tags.RESCALE_SLOPE, Tags.RESCALE_INTERCEPT -> Tags.PIXEL_VALUE_TRANSFORMATION_SEQUENCE;
                default -> 0;
            };
            for (DicomDataset group : new DicomDataset[] {frame, shared}) {
                if (group != null && macro != 0) {
                    List<DicomDataset> items = group.sequence(macro);
                    if (!items.isEmpty() && items.get(0).contains(tag)) {
                        return items.get(0);
                    }
                }
            }
            return top;
        }
    }

    private static ImageHeader read(Path file, int frame, int frames, int rows, int columns, int samples, Source at)
            throws ImageFileException {
        String where = frames > 1 ? " of frame " + (frame + 1) : "";
        try {
            double[] orientation = vector(file, at.holding(Tags.IMAGE_ORIENTATION_PATIENT), Tags.IMAGE_ORIENTATION_PATIENT, 6);
            if (orientation != null) {
                checkCosines(file, orientation);
            }
            double[] position = vector(file, at.holding(Tags.IMAGE_POSITION_PATIENT), Tags.IMAGE_POSITION_PATIENT, 3);
            double[] spacing = vector(file, at.holding(Tags.PIXEL_SPACING), Tags.PIXEL_SPACING, 2);
            if (spacing != null && !(spacing[0] > 0 && spacing[1] > 0)) {
                throw invalid(file, Tags.PIXEL_SPACING, "is " + values(spacing) + ", expected two distances > 0 mm");
            }
            double slope = scalar(file, at.holding(Tags.RESCALE_SLOPE), Tags.RESCALE_SLOPE, 1);
            if (slope == 0) {
                throw invalid(file, Tags.RESCALE_SLOPE, "is 0, which would map every pixel to the intercept");
            }
            double intercept = scalar(file, at.holding(Tags.RESCALE_INTERCEPT), Tags.RESCALE_INTERCEPT, 0);
            double nominal = Math.abs(scalar(file, at.holding(Tags.SPACING_BETWEEN_SLICES), Tags.SPACING_BETWEEN_SLICES, 0));
            if (!(nominal > 0)) {
                nominal = Math.abs(scalar(file, at.holding(Tags.SLICE_THICKNESS), Tags.SLICE_THICKNESS, 0));
            }
            return new ImageHeader(frame, rows, columns, frames, samples, orientation, position, spacing, slope, intercept,
                    nominal);
        } catch (ImageFileException e) {
            if (where.isEmpty()) {
                throw e;
            }
            throw new ImageFileException(file, e.problem() + where, e);
        }
    }

    /** The slice normal (row × column direction), or +z without an orientation. */
    double[] normal() {
        if (orientation == null) {
            return new double[] {0, 0, 1};
        }
        double[] o = orientation;
        return new double[] {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
    }

    /** The first number of an attribute, or {@code fallback} when absent. */
    static double scalar(Path file, DicomDataset d, int tag, double fallback) throws ImageFileException {
        double[] v = numbers(file, d, tag);
        if (v == null || v.length == 0) {
            return fallback;
        }
        if (!Double.isFinite(v[0])) {
            throw invalid(file, tag, "is " + values(v) + ", expected a finite number");
        }
        return v[0];
    }

    private static int count(Path file, DicomDataset d, int tag, int fallback) throws ImageFileException {
        double[] v = numbers(file, d, tag);
        if (v == null || v.length == 0) {
            if (fallback < 0) {
                throw invalid(file, tag, "is missing; an image needs it");
            }
            return fallback;
        }
        if (!(v[0] >= 1 && v[0] <= Integer.MAX_VALUE) || v[0] != Math.rint(v[0])) {
            throw invalid(file, tag, "is " + values(v) + ", expected a whole number >= 1");
        }
        return (int) v[0];
    }

    private static double[] vector(Path file, DicomDataset d, int tag, int length) throws ImageFileException {
        double[] v = numbers(file, d, tag);
        if (v == null) {
            return null;
        }
        if (v.length != length) {
            throw invalid(file, tag, "has " + v.length + " value" + (v.length == 1 ? "" : "s") + " " + values(v)
                    + ", expected " + length);
        }
        for (double x : v) {
            if (!Double.isFinite(x)) {
                throw invalid(file, tag, "is " + values(v) + ", expected finite numbers");
            }
        }
        return v;
    }

    private static void checkCosines(Path file, double[] o) throws ImageFileException {
        double row = Math.sqrt(o[0] * o[0] + o[1] * o[1] + o[2] * o[2]);
        double col = Math.sqrt(o[3] * o[3] + o[4] * o[4] + o[5] * o[5]);
        double dot = o[0] * o[3] + o[1] * o[4] + o[2] * o[5];
        if (Math.abs(row - 1) > COSINE_TOLERANCE || Math.abs(col - 1) > COSINE_TOLERANCE) {
            throw invalid(file, Tags.IMAGE_ORIENTATION_PATIENT, "is " + values(o) + ": the row and column directions"
                    + " have lengths " + rounded(row) + " and " + rounded(col) + ", expected unit vectors");
        }
        if (Math.abs(dot) > COSINE_TOLERANCE) {
            throw invalid(file, Tags.IMAGE_ORIENTATION_PATIENT, "is " + values(o)
                    + ": the row and column directions are not perpendicular (cosine " + rounded(dot) + ")");
        }
    }

    private static double[] numbers(Path file, DicomDataset d, int tag) throws ImageFileException {
        try {
            return d.numbers(tag);
        } catch (NumberFormatException e) {
            throw invalid(file, tag, "is '" + d.string(tag) + "', expected numbers");
        }
    }

    private static ImageFileException invalid(Path file, int tag, String problem) {
        return new ImageFileException(file, Tags.describe(tag) + " " + problem);
    }

    private static String values(double[] v) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : "\\").append(text(v[i]));
        }
        return b.append("'").toString();
    }

    /** Four significant digits without trailing zeros. */
    private static String rounded(double x) {
        return new BigDecimal(x).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** A number as a decimal string would hold it: no trailing ".0". */
    private static String text(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }

    @Override
    public String toString() {
        return "ImageHeader[" + rows + "x" + columns + "x" + frames + ", orientation " + Arrays.toString(orientation)
                + ", position " + Arrays.toString(position) + ", spacing " + Arrays.toString(pixelSpacing) + "]";
    }
}
