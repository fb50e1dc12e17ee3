package io.medseg.image;

import java.util.Arrays;
import java.util.Locale;

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

    /** The longest array every JVM allocates. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * The length of an array of {@code factors} multiplied (e.g. classes × voxels), computed without
     * overflow and checked before anything is allocated.
     *
     * @param what the array, for the message: "class scores of [512, 512, 900] voxels"
     * @throws IllegalArgumentException naming {@code what} when the product does not fit a Java array
     */
    public static int arrayLength(String what, long... factors) {
        double exact = 1;
        long n = 1;
        for (long f : factors) {
            if (f < 0) {
                throw new IllegalArgumentException(what + ": negative size " + f + " in " + Arrays.toString(factors));
            }
            exact *= f;
            n = exact <= MAX_ARRAY ? n * f : Long.MAX_VALUE;
        }
        if (exact > MAX_ARRAY) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s would need %.4g values (%s), more than one Java array holds (2^31)", what, exact,
                    Arrays.toString(factors)));
        }
        return (int) n;
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
