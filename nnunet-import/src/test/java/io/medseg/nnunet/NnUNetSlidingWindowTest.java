package io.medseg.nnunet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The pieces of nnU-Net's sliding window that are pure arithmetic, against hand-computed values. */
class NnUNetSlidingWindowTest {
    @Test
    void everyHalfValueRoundsToItselfAndMidpointsToEven() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float h = Float16.fromBits((short) bits);
            if (Float.isNaN(h)) {
                continue;
            }
            assertEquals(h, Float16.round(h), "half 0x" + Integer.toHexString(bits));
            int next = bits + 1;
            if ((bits & 0x7fff) < 0x7bff) { // below the largest finite magnitude
                float above = Float16.fromBits((short) next);
                float mid = (h + above) / 2; // exact in float: halves have 11 significant bits
                float even = (bits & 1) == 0 ? h : above;
                assertEquals(even, Float16.round(mid), "midpoint after half 0x" + Integer.toHexString(bits));
            }
        }
        assertEquals(Float.POSITIVE_INFINITY, Float16.round(65520f));
        assertEquals(65504f, Float16.round(65519.99f));
    }

    @Test
    void halfBitsRoundAsRoundingDoesAndDecodeBack() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float h = Float16.fromBits((short) bits);
            if (!Float.isNaN(h)) {
                assertEquals((short) bits, Float16.toBits(h), "half 0x" + Integer.toHexString(bits));
            }
        }
        // every float exponent a half can reach or overflow from, with random significands and the ties
        java.util.Random random = new java.util.Random(31);
        for (int i = 0; i < 2_000_000; i++) {
            float f = Float.intBitsToFloat((random.nextInt(50) + 95) << 23 | random.nextInt(1 << 23)
                    | (random.nextBoolean() ? 0x80000000 : 0));
            if (i % 4 == 0) {
                f = Float.intBitsToFloat(Float.floatToRawIntBits(f) & ~0x1fff | 0x1000); // a tie in a normal half
            }
            float expected = Float16.round(f);
            assertEquals(expected, Float16.fromBits(Float16.toBits(f)), "float " + f);
            assertEquals(Math.copySign(1f, f), Math.copySign(1f, Float16.fromBits(Float16.toBits(f))), "sign of " + f);
        }
        assertEquals((short) 0x7c00, Float16.toBits(65520f));
        assertEquals((short) 0x7bff, Float16.toBits(65519.99f));
        assertEquals((short) 0x0000, Float16.toBits(0x1p-25f)); // a tie between 0 and the smallest subnormal: even
        assertEquals((short) 0x0001, Float16.toBits(Math.nextUp(0x1p-25f)));
        assertEquals((short) 0x0400, Float16.toBits(Math.nextDown(0x1p-14f))); // rounds up to the smallest normal
        assertEquals((short) 0xfc00, Float16.toBits(Float.NEGATIVE_INFINITY));
    }

    @Test
    void stepsAreNnUNetsWithNumpysRoundingOfTies() {
        // size 10, tile 4, step 0.5: target 2, ceil(6/2)+1 = 4 steps of 2
        assertArrayEquals(new int[] {0, 2, 4, 6}, NnUNetSlidingWindow.steps(10, 4, 0.5));
        // size 13, tile 4: ceil(9/2)+1 = 6 steps of 1.8: 0, 1.8, 3.6, 5.4, 7.2, 9 -> 0, 2, 4, 5, 7, 9
        assertArrayEquals(new int[] {0, 2, 4, 5, 7, 9}, NnUNetSlidingWindow.steps(13, 4, 0.5));
        // size 15, tile 10: ceil(5/5)+1 = 2 steps; size 19, tile 10: ceil(9/5)+1 = 3 steps of 4.5 -> 0, 4 (4.5 to even), 9
        assertArrayEquals(new int[] {0, 5}, NnUNetSlidingWindow.steps(15, 10, 0.5));
        assertArrayEquals(new int[] {0, 4, 9}, NnUNetSlidingWindow.steps(19, 10, 0.5));
        assertArrayEquals(new int[] {0}, NnUNetSlidingWindow.steps(8, 8, 0.5));
    }

    @Test
    void theGaussianPeaksAtTenAtSizeHalfAndHasNoZeros() {
        float[] g = NnUNetSlidingWindow.gaussian(new int[] {4, 6});
        // peak at (4 // 2, 6 // 2) = (2, 3): 10 exactly
        assertEquals(10f, g[2 * 6 + 3]);
        // along the first axis σ = 0.5, radius int(2.5) = 2: one step away exp(-2) of the peak, in half precision
        assertEquals(Float16.round((float) (10 * Math.exp(-2))), g[1 * 6 + 3]);
        // index 0 lies 2 from the centre, within the radius: exp(-8) · 10, still above zero
        assertEquals(Float16.round((float) (10 * Math.exp(-8))), g[3]);
        for (float v : g) {
            assertEquals(true, v > 0);
        }
    }
}
