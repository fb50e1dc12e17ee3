package io.medseg.image;

import java.util.Arrays;

/** Small arithmetic on N-dimensional sizes, kept in one place so no loop is 2D- or 3D-specific. */
public final class Shapes {
    private Shapes() {}

    /** Number of elements of a size; throws if it does not fit a Java array. */
    public static long count(long[] size) {
        long n = 1;
        for (long s : size) {
            if (s < 1) {
                throw new IllegalArgumentException("sizes must be >= 1, got " + Arrays.toString(size));
            }
            n = Math.multiplyExact(n, s);
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("size " + Arrays.toString(size) + " has " + n
                    + " elements, more than a Java array holds");
        }
        return n;
    }

    /** Element strides for a layout in which axis 0 varies fastest. */
    public static long[] stridesXFastest(long[] size) {
        long[] strides = new long[size.length];
        long s = 1;
        for (int k = 0; k < size.length; k++) {
            strides[k] = s;
            s *= size[k];
        }
        return strides;
    }
}
