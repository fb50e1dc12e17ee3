package io.medseg.nnunet;

/**
 * numpy's pairwise summation ({@code pairwise_sum} in numpy's loops), which {@code ndarray.sum}
 * and {@code mean} use on a contiguous array: reproducing nnU-Net's numbers to the last bit needs
 * the same order of additions.
 */
final class NumpySum {
    private static final int BLOCK = 128;

    private NumpySum() {}

    /** The sum of {@code a[from, from + n)} in numpy's order. */
    static double pairwise(double[] a, int from, int n) {
        if (n < 8) {
            double s = 0; // numpy starts from -0.0; the same for any non-empty sum of these values
            for (int i = 0; i < n; i++) {
                s += a[from + i];
            }
            return n == 0 ? 0 : s;
        }
        if (n <= BLOCK) {
            double[] r = new double[8];
            for (int j = 0; j < 8; j++) {
                r[j] = a[from + j];
            }
            int i;
            for (i = 8; i < n - n % 8; i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                s += a[from + i];
            }
            return s;
        }
        int half = n / 2;
        half -= half % 8;
        return pairwise(a, from, half) + pairwise(a, from + half, n - half);
    }

    /** The same for float32 values with float32 accumulators, as numpy sums a float32 array. */
    static float pairwise(float[] a, int from, int n) {
        if (n < 8) {
            float s = 0;
            for (int i = 0; i < n; i++) {
                s += a[from + i];
            }
            return s;
        }
        if (n <= BLOCK) {
            float[] r = new float[8];
            for (int j = 0; j < 8; j++) {
                r[j] = a[from + j];
            }
            int i;
            for (i = 8; i < n - n % 8; i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[from + i + j];
                }
            }
            float s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                s += a[from + i];
            }
            return s;
        }
        int half = n / 2;
        half -= half % 8;
        return pairwise(a, from, half) + pairwise(a, from + half, n - half);
    }

    /** numpy's float32 {@code mean()} and {@code std()} (ddof 0) of {@code a}: {mean, std}. */
    static float[] meanAndStd(float[] a) {
        int n = a.length;
        // numpy divides the float32 sum by the integer count in double and stores the result as float32
        float mean = (float) ((double) pairwise(a, 0, n) / n);
        float[] squares = new float[n];
        for (int i = 0; i < n; i++) {
            float d = a[i] - mean;
            squares[i] = d * d;
        }
        float variance = (float) ((double) pairwise(squares, 0, n) / n);
        return new float[] {mean, (float) Math.sqrt(variance)};
    }
}
