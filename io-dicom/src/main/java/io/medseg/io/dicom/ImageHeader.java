package io.medseg.io.dicom;

import io.medseg.io.ImageFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The attributes that place one image file's pixels in the patient and turn stored values into
 * physical ones, read once and checked: a file whose orientation, position, spacing or rescale
 * cannot be used is refused here with the tag, what was found and what was expected, before any
 * series is assembled or any pixel buffer allocated from it.
 *
 * @param orientation the six direction cosines of (0020,0037), or null when absent
 * @param position (0020,0032) in mm, or null when absent
 * @param pixelSpacing (0028,0030) as stored (between rows, between columns), or null when absent
 */
record ImageHeader(int rows, int columns, int frames, int samples, double[] orientation, double[] position,
        double[] pixelSpacing, double slope, double intercept) {

    /** Direction cosines must be unit vectors and perpendicular to this tolerance (scanners write 6+ decimals). */
    static final double COSINE_TOLERANCE = 1e-2;

    /**
     * @throws ImageFileException naming the file and the attribute when a value is not a number,
     *     has the wrong count, or is out of range
     */
    static ImageHeader of(DicomFile f) throws ImageFileException {
        DicomDataset d = f.dataset();
        Path file = f.path();
        int rows = count(file, d, Tags.ROWS, -1);
        int columns = count(file, d, Tags.COLUMNS, -1);
        // some writers put 0 in Number of Frames of a single-frame image
        int frames = d.contains(Tags.NUMBER_OF_FRAMES) && scalar(file, d, Tags.NUMBER_OF_FRAMES, 1) == 0 ? 1
                : count(file, d, Tags.NUMBER_OF_FRAMES, 1);
        int samples = count(file, d, Tags.SAMPLES_PER_PIXEL, 1);
        double[] orientation = vector(file, d, Tags.IMAGE_ORIENTATION_PATIENT, 6);
        if (orientation != null) {
            checkCosines(file, orientation);
        }
        double[] position = vector(file, d, Tags.IMAGE_POSITION_PATIENT, 3);
        double[] spacing = vector(file, d, Tags.PIXEL_SPACING, 2);
        if (spacing != null && !(spacing[0] > 0 && spacing[1] > 0)) {
            throw invalid(file, Tags.PIXEL_SPACING, "is " + values(spacing) + ", expected two distances > 0 mm");
        }
        double slope = scalar(file, d, Tags.RESCALE_SLOPE, 1);
        if (slope == 0) {
            throw invalid(file, Tags.RESCALE_SLOPE, "is 0, which would map every pixel to the intercept");
        }
        return new ImageHeader(rows, columns, frames, samples, orientation, position, spacing, slope,
                scalar(file, d, Tags.RESCALE_INTERCEPT, 0));
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
        return new java.math.BigDecimal(x).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
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
