package io.medseg.pipeline;

import io.medseg.image.Geometry;
import java.util.Arrays;
import java.util.Locale;

/** Whether a mask sits where its scan sits: spacing, origin and directions within 1e-3 (mm). */
public final class GeometryCheck {
    public static final double TOLERANCE = 1e-3;

    private GeometryCheck() {}

    /** A description of the first difference, or null if none. */
    public static String mismatch(Geometry a, Geometry b) {
        if (a.numDimensions() != b.numDimensions()) {
            return a.numDimensions() + "D vs " + b.numDimensions() + "D";
        }
        String[] names = {"spacing (mm)", "origin (mm)", "direction"};
        double[][] x = {a.spacingMm(), a.originMm(), a.direction()};
        double[][] y = {b.spacingMm(), b.originMm(), b.direction()};
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < x[k].length; i++) {
                if (Math.abs(x[k][i] - y[k][i]) > TOLERANCE) {
                    return String.format(Locale.ROOT, "%s %s vs %s", names[k], Arrays.toString(x[k]), Arrays.toString(y[k]));
                }
            }
        }
        return null;
    }
}
