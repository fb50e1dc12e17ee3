package io.medseg.nnunet;

/**
 * IEEE 754 half precision: rounding a float to it, and its 16-bit encoding. nnU-Net's predictor
 * accumulates tile logits and Gaussian weights in {@code torch.half} even on the CPU, so its logits
 * carry that rounding; reproducing its results means rounding where it does, and keeping a whole
 * volume's logits as halves (a {@code short[]} of bits) costs what it costs nnU-Net: half of float32.
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

    /** {@code f} rounded to half precision, ties to even, as its 16 bits (a cast to torch.half). */
    static short toBits(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int exponent = (x >>> 23) & 0xff;
        int mantissa = x & 0x7fffff;
        if (exponent == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
        }
        int e = exponent - 127 + 15; // the half's biased exponent
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) { // a half subnormal, or zero
            if (e < -10) {
                return (short) sign; // below 2^-25: rounds to zero
            }
            int shift = 14 - e; // the float's 24-bit significand over 2^shift is the subnormal's mantissa
            int significand = mantissa | 0x800000;
            int kept = significand >>> shift;
            int dropped = significand & ((1 << shift) - 1);
            int half = 1 << (shift - 1);
            if (dropped > half || (dropped == half && (kept & 1) == 1)) {
                kept++; // up to 0x400, the smallest normal: the right bits too
            }
            return (short) (sign | kept);
        }
        int kept = e << 10 | mantissa >>> 13;
        int dropped = mantissa & 0x1fff;
        if (dropped > 0x1000 || (dropped == 0x1000 && (kept & 1) == 1)) {
            kept++; // a carry into the exponent is right, up to infinity (0x7c00)
        }
        return (short) (sign | kept);
    }

    /** The value of a half's 16 bits. */
    static float fromBits(short h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign == 0 ? subnormal : -subnormal;
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }
}
