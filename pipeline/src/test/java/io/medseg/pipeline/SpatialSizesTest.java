package io.medseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Sizes as users type them (x×y×z) and as the networks keep them ([D,] H, W). */
class SpatialSizesTest {
    @Test
    void xyzTextBecomesTensorOrder() {
        assertArrayEquals(new int[] {32, 96, 128}, SpatialSizes.parseXyz("128x96x32", 3, "--patch-size"));
        assertArrayEquals(new int[] {80, 160}, SpatialSizes.parseXyz("160X80", 2, "--patch-size"));
        assertArrayEquals(new int[] {32, 96, 128}, SpatialSizes.parsePatchXyz("128x96x32", "unet3d", "--patch-size"));
    }

    @Test
    void theOldSpellingStaysInTensorOrder() {
        // --patch 32x96x128 (D×H×W) and --patch-size 128x96x32 (x×y×z) ask for the same patch
        assertArrayEquals(SpatialSizes.parseXyz("128x96x32", 3, "--patch-size"),
                SpatialSizes.parseTensorOrder("32x96x128", 3, "--patch"));
    }

    @Test
    void errorsNameTheOptionAndTheAxes() {
        assertEquals("--patch-size 96x96: expected 3 sizes like 128x128x64 (x×y×z)", assertThrows(
                IllegalArgumentException.class, () -> SpatialSizes.parsePatchXyz("96x96", "vnet", "--patch-size"))
                .getMessage());
        assertEquals("--patch 1x2x3: expected 2 sizes like 160x160 (H×W)", assertThrows(IllegalArgumentException.class,
                () -> SpatialSizes.parseTensorOrder("1x2x3", 2, "--patch")).getMessage());
        assertEquals("--tile-size 0x8: sizes must be positive whole numbers", assertThrows(IllegalArgumentException.class,
                () -> SpatialSizes.parseXyz("0x8", 2, "--tile-size")).getMessage());
        assertEquals("--tile-size 8: expected 2 or 3 sizes like 160x160 (x×y) or 128x128x64 (x×y×z)", assertThrows(
                IllegalArgumentException.class, () -> SpatialSizes.parseXyz("8", 0, "--tile-size")).getMessage());
    }

    @Test
    void spacingIsXyzInMillimetres() {
        assertArrayEquals(new double[] {0.8, 0.7, 2.5}, SpatialSizes.parseSpacingMm("0.8x0.7x2.5", "--spacing"));
        assertEquals("--spacing 1x1: expected three positive numbers in mm like 1.5x1.5x3 (x×y×z)", assertThrows(
                IllegalArgumentException.class, () -> SpatialSizes.parseSpacingMm("1x1", "--spacing")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpatialSizes.parseSpacingMm("1x-1x1", "--spacing"));
        assertThrows(IllegalArgumentException.class, () -> SpatialSizes.parseSpacingMm("1xInfinityx1", "--spacing"));
    }
}
