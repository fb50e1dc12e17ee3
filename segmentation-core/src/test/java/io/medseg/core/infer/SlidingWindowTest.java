package io.medseg.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.medseg.image.Shapes;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Sliding window with the predictor x → x + 1 on arange input: blending must give back exactly x + 1. */
class SlidingWindowTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new long[] {7, 5}, new long[] {4, 4}, 0.0, true),
                Arguments.of(new long[] {7, 5}, new long[] {4, 4}, 0.5, true),
                Arguments.of(new long[] {13, 9}, new long[] {4, 6}, 0.5, false),
                Arguments.of(new long[] {3, 2}, new long[] {8, 8}, 0.5, true), // tile larger than the image
                Arguments.of(new long[] {9, 5, 7}, new long[] {4, 4, 4}, 0.5, true),
                Arguments.of(new long[] {6, 6, 3}, new long[] {4, 4, 4}, 0.0, false));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void plusOnePredictorGivesInputPlusOne(long[] size, long[] tile, double overlap, boolean gaussian) {
        int voxels = (int) Shapes.count(size);
        int channels = 2;
        float[] image = new float[voxels * channels];
        for (int i = 0; i < image.length; i++) {
            image[i] = i;
        }
        TilePredictor plusOne = (tiles, count, tileSize, ch) -> {
            float[] out = tiles.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] += 1;
            }
            return out;
        };
        float[] out = new SlidingWindow(tile, overlap, 3, gaussian).predict(image, size, channels, channels, plusOne, null);
        assertEquals(image.length, out.length);
        for (int i = 0; i < image.length; i++) {
            assertEquals(image[i] + 1, out[i], 1e-3 * (1 + image[i]), "voxel " + i);
        }
    }

    @Test
    void tileGridCoversTheImageEvenly() {
        assertArrayEquals(new long[] {0, 2, 4, 6}, TileGrid.axisOrigins(10, 4, 0.5));
        assertArrayEquals(new long[] {0, 3, 6}, TileGrid.axisOrigins(10, 4, 0.0)); // ⌈6/4⌉+1 = 3 tiles, spread evenly
        assertArrayEquals(new long[] {0}, TileGrid.axisOrigins(4, 4, 0.5));
        List<long[]> grid = TileGrid.origins(new long[] {10, 4}, new long[] {4, 4}, 0.5);
        assertEquals(4, grid.size());
        var e = assertThrows(IllegalArgumentException.class, () -> TileGrid.origins(new long[] {10}, new long[] {4}, 1.2));
        assertEquals("overlap must be >= 0 and < 1, got 1.2", e.getMessage());
    }

    @Test
    void gaussianWeightsPeakAtTheCentreAndStayPositive() {
        float[] w = GaussianImportance.weights(new long[] {5, 3}, 1.0 / 8);
        assertEquals(1f, w[1 * 5 + 2], 1e-6);
        for (float v : w) {
            Assertions.assertTrue(v > 0);
        }
        assertEquals(w[0], w[4], 1e-7); // symmetric
    }

    @Test
    void argmaxTakesTheLargestAndTheLowestClassOnTies() {
        // 3 voxels, 2 classes, class-major
        assertArrayEquals(new byte[] {1, 0, 0}, Argmax.labels(new float[] {0.1f, 0.9f, 0.5f, 0.9f, 0.1f, 0.5f}, 2));
    }
}
