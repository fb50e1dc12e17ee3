package io.medseg.nnunet;

/**
 * Rounding to IEEE 754 half precision, kept in a float. nnU-Net's predictor accumulates tile
 * logits and Gaussian weights in {@code torch.half} even on the CPU, so its logits carry that
 * rounding; reproducing its results means rounding where it does.
 */
final class Float16 {
    /** Values from here up round to infinity in half precision (65504 is the largest finite one). */
    private static final float OVERFLOW = 65520f;
    private static final float SMALLEST_NORMAL = 0x1p-14f;

    private Float16() {}

    /** {@code f} rounded to the nearest half-precision value, ties to even (as a cast to torch.half). */
    static float round(float f) {
        return (float) round((double) f);
    }

    /** {@code d} rounded straight to half precision, ties to even (numpy's float64 to float16 cast). */
    static double round(double f) {
        if (Double.isNaN(f) || Double.isInfinite(f) || f == 0) {
            return f;
        }
        double a = Math.abs(f);
        if (a >= OVERFLOW) {
            return Math.copySign(Double.POSITIVE_INFINITY, f);
        }
        // the spacing of half values near a: 2^-24 among subnormals, else 2^(exponent - 10)
        double quantum = a < SMALLEST_NORMAL ? 0x1p-24 : Math.scalb(1.0, Math.getExponent(a) - 10);
        // a / quantum is exact (a power of two), and rint rounds ties to even
        return Math.copySign(Math.rint(a / quantum) * quantum, f);
    }
}
