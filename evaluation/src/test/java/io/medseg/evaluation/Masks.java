package io.medseg.evaluation;

import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import java.util.Map;

/** Small label maps for tests, written as rows of characters. */
final class Masks {
    static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "one", 2, "two");

    private Masks() {}

    /** Rows top first: {@code #} = 1, {@code .} = 0, digits = that label; x = column, y = row; spacing 1. */
    static LabelMap mask(String... rows) {
        return mask(new double[] {1, 1}, rows);
    }

    /** As {@link #mask(String...)} with spacing (x = column, y = row) in mm. */
    static LabelMap mask(double[] spacingXy, String... rows) {
        int h = rows.length;
        int w = rows[0].length();
        byte[] data = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                char c = rows[y].charAt(x);
                data[y * w + x] = (byte) (c == '#' ? 1 : c == '.' ? 0 : c - '0');
            }
        }
        return LabelMap.wrap(data, new long[] {w, h}, geometry(spacingXy), LABELS);
    }

    static LabelMap map(byte[] data, long[] sizeXyz, double[] spacing) {
        return LabelMap.wrap(data, sizeXyz, geometry(spacing), LABELS);
    }

    static Geometry geometry(double[] spacing) {
        int n = spacing.length;
        double[] direction = new double[n * n];
        for (int k = 0; k < n; k++) {
            direction[k * n + k] = 1;
        }
        return new Geometry(spacing, new double[n], direction);
    }
}
