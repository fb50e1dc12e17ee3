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
}
