package io.medseg.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.core.infer.Argmax;
import io.medseg.core.Golden;
import io.medseg.image.Geometry;
import io.medseg.image.Shapes;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Resampling: scipy's values, exact geometry, label round trips, streamed argmax = full argmax. */
class ResamplingTest {
    private static final Interpolation[] LINEAR = {Interpolation.LINEAR, Interpolation.LINEAR, Interpolation.LINEAR};

    @ParameterizedTest
    @ValueSource(strings = {"down", "up", "mixed"})
    void linearEqualsScipyZoomWithGridMode(String key) {
        Golden g = Golden.load("resampling_scipy.json");
        long[] size = xyz(g.shape("x").getShape());
        long[] target = xyz(g.shape(key).getShape());
        float[] out = Resampling.resample(g.floats("x"), 1, size, target, LINEAR);
        assertTrue(Golden.maxAbsDiff(g.floats(key), out) < 1e-5, "max |difference| to scipy "
                + Golden.maxAbsDiff(g.floats(key), out));
    }

    @Test
    void cubicAndLinearReproduceARampInsideTheImage() {
        long[] size = {12, 1};
        long[] target = {30, 1};
        float[] ramp = new float[12];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = 3 * i - 5;
        }
        for (Interpolation kind : new Interpolation[] {Interpolation.LINEAR, Interpolation.CUBIC}) {
            float[] out = Resampling.resample(ramp, 1, size, target, new Interpolation[] {kind, Interpolation.NEAREST});
            for (int j = 4; j < 26; j++) { // away from the clamped borders
                double src = (j + 0.5) * 12 / 30 - 0.5;
                assertEquals(3 * src - 5, out[j], 1e-4, kind + " at " + j);
            }
        }
    }

    /** Flipped, permuted and oblique directions: the centre stays, and back again is the same grid. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void geometryKeepsTheExtentAndRoundTripsWithFlippedAxes(int which) {
        double c = Math.cos(0.3);
        double s = Math.sin(0.3);
        double[][] directions = {
                {-1, 0, 0, 0, 1, 0, 0, 0, -1}, // x and z flipped (a NIfTI stored the other way round)
                {0, 1, 0, 1, 0, 0, 0, 0, 1}, // x and y swapped
                {c, -s, 0, s, c, 0, 0, 0, 1}}; // oblique
        Geometry g = new Geometry(new double[] {0.8, 0.7, 2.5}, new double[] {-120, 33, 410}, directions[which]);
        long[] size = {97, 80, 31};
        long[] target = Resampling.targetSize(size, g.spacingMm(), new double[] {1.5, 1.5, 1.5});
        assertArrayEquals(new long[] {52, 37, 52}, target);
        Geometry coarse = Resampling.geometry(g, size, target);
        assertArrayEquals(centre(g, size), centre(coarse, target), 1e-9, "the grid's centre stays put");
        assertArrayEquals(g.direction(), coarse.direction(), 0);
        for (int k = 0; k < 3; k++) {
            assertEquals(size[k] * g.spacingMm()[k], target[k] * coarse.spacingMm()[k], 1e-9, "extent along axis " + k);
        }
        Geometry back = Resampling.geometry(coarse, target, size);
        assertArrayEquals(g.spacingMm(), back.spacingMm(), 1e-12);
        assertArrayEquals(g.originMm(), back.originMm(), 1e-9);
    }

    @Test
    void labelsResampledToTargetSpacingAndBackLandOnTheOriginalGrid() {
        long[] size = {61, 53, 17};
        double[] spacing = {0.8, 0.8, 2.5};
        byte[] labels = ellipsoids(size, spacing);
        long[] target = Resampling.targetSize(size, spacing, new double[] {1.6, 1.6, 2.5});
        byte[] coarse = Resampling.resampleLabels(labels, size, target);
        byte[] back = Resampling.resampleLabels(coarse, target, size);
        assertEquals(labels.length, back.length);
        for (int label = 1; label <= 2; label++) {
            assertTrue(dice(labels, back, label) > 0.9, "label " + label + " Dice after the round trip "
                    + dice(labels, back, label));
        }
        // integer factors: nearest neighbour down by 2 then up by 2 reproduces every second voxel exactly
        long[] even = {60, 52, 16};
        byte[] evenLabels = ellipsoids(even, spacing);
        byte[] half = Resampling.resampleLabels(evenLabels, even, new long[] {30, 26, 8});
        byte[] again = Resampling.resampleLabels(Resampling.resampleLabels(half, new long[] {30, 26, 8}, even),
                even, new long[] {30, 26, 8});
        assertArrayEquals(half, again);
    }

    @Test
    void oneHotLabelsKeepHalfVoxelsThatNearestNeighbourDrops() {
        // 1-D [0 0 1 1 1 0] halved: output j reads source 2j + 0.5 -> indicator 0, 1, 0.5;
        // nearest neighbour reads source round(2j + 0.5) = 1, 3, 5 -> 0, 1, 0
        byte[] line = {0, 0, 1, 1, 1, 0};
        long[] size = {6};
        long[] half = {3};
        assertArrayEquals(new byte[] {0, 1, 1},
                Resampling.resampleLabelsOneHot(line, size, half, new Interpolation[] {Interpolation.LINEAR}));
        assertArrayEquals(new byte[] {0, 1, 0}, Resampling.resampleLabels(line, size, half));
        // two labels meeting: where both reach ½ the higher label wins (nnU-Net's order)
        byte[] touching = {1, 1, 2, 2};
        assertArrayEquals(new byte[] {1, 2},
                Resampling.resampleLabelsOneHot(touching, new long[] {4}, new long[] {2}, new Interpolation[] {Interpolation.LINEAR}));
        assertArrayEquals(new byte[] {2, 2}, Resampling.resampleLabelsOneHot(new byte[] {1, 2, 2, 1}, new long[] {4},
                new long[] {2}, new Interpolation[] {Interpolation.LINEAR}), "each output voxel is half 1, half 2");
        // nearest along a thick-slice axis: slices are copied, never blended
        byte[] slices = {1, 1, 1, 1, 0, 0, 0, 0}; // 2×2 plane, 2 slices
        assertArrayEquals(new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0},
                Resampling.resampleLabelsOneHot(slices, new long[] {2, 2, 2}, new long[] {2, 2, 4},
                        new Interpolation[] {Interpolation.LINEAR, Interpolation.LINEAR, Interpolation.NEAREST}));
    }

    @Test
    void oneHotRoundTripIsAtLeastAsGoodAsNearestNeighbour() {
        long[] size = {61, 53, 17};
        double[] spacing = {0.8, 0.8, 2.5};
        byte[] labels = ellipsoids(size, spacing);
        long[] target = Resampling.targetSize(size, spacing, new double[] {1.7, 1.7, 2.5});
        Interpolation[] kinds = {Interpolation.LINEAR, Interpolation.LINEAR, Interpolation.NEAREST};
        byte[] back = Resampling.resampleLabelsOneHot(Resampling.resampleLabelsOneHot(labels, size, target, kinds), target,
                size, kinds);
        byte[] nearest = Resampling.resampleLabels(Resampling.resampleLabels(labels, size, target), target, size);
        for (int label = 1; label <= 2; label++) {
            assertTrue(dice(labels, back, label) >= dice(labels, nearest, label) - 1e-9, "label " + label + ": one-hot "
                    + dice(labels, back, label) + " vs nearest " + dice(labels, nearest, label));
            assertTrue(dice(labels, back, label) > 0.9);
        }
    }

    /** Up, down, same size on an axis, one slice, and more output slices than threads' runs. */
    @ParameterizedTest
    @CsvSource({"9, 7, 5, 20, 13, 11", "30, 28, 40, 11, 9, 17", "9, 7, 5, 9, 7, 12", "12, 10, 6, 5, 4, 6",
            "8, 8, 1, 16, 16, 3", "6, 5, 7, 6, 5, 7", "10, 9, 30, 25, 20, 97"})
    void streamedArgmaxEqualsResamplingEverythingThenArgmax(long x, long y, long z, long nx, long ny, long nz) {
        SplittableRandom r = new SplittableRandom(4);
        long[] size = {x, y, z};
        long[] target = {nx, ny, nz};
        int classes = 3;
        float[] scores = new float[classes * (int) Shapes.count(size)];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) r.nextDouble();
        }
        byte[] full = Argmax.labels(Resampling.resample(scores, classes, size, target, LINEAR), classes);
        assertArrayEquals(full, Argmax.resampled(scores, classes, size, target));
    }

    @Test
    void fourteenClassesOntoA512x512x600GridNeverHoldClassesTimesVoxels() {
        // classes × output voxels = 14 · 157,286,400 = 2.2·10⁹ floats: more than a Java array can hold
        // (and 8.8 GB), so this only passes if the scores are brought back slice by slice
        long[] network = {24, 24, 30};
        long[] scan = {512, 512, 600};
        int classes = 14;
        int voxels = (int) Shapes.count(network);
        float[] scores = new float[classes * voxels];
        // class k wins in the k-th slab of x, so the answer is known everywhere
        for (int v = 0; v < voxels; v++) {
            int x = (int) (v % network[0]);
            int winner = Math.min(classes - 1, x * classes / (int) network[0]);
            scores[winner * voxels + v] = 1;
        }
        long before = usedHeap();
        byte[] labels = Argmax.resampled(scores, classes, network, scan);
        assertEquals(Shapes.count(scan), labels.length);
        assertTrue(usedHeap() - before < 600L << 20, "heap grew by " + ((usedHeap() - before) >> 20) + " MB");
        int plane = 512 * 512;
        for (int z : new int[] {0, 299, 599}) {
            for (int x : new int[] {5, 250, 505}) {
                int networkX = (int) ((x + 0.5) * 24 / 512);
                int expected = Math.min(classes - 1, networkX * classes / 24);
                assertEquals(expected, labels[z * plane + 100 * 512 + x], "x " + x + " z " + z);
            }
        }
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        System.gc();
        return r.totalMemory() - r.freeMemory();
    }

    private static byte[] ellipsoids(long[] size, double[] spacing) {
        byte[] out = new byte[(int) Shapes.count(size)];
        int i = 0;
        for (int z = 0; z < size[2]; z++) {
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++, i++) {
                    double px = x * spacing[0];
                    double py = y * spacing[1];
                    double pz = z * spacing[2];
                    if (sq((px - 18) / 12) + sq((py - 20) / 14) + sq((pz - 20) / 14) < 1) {
                        out[i] = 1;
                    } else if (sq((px - 36) / 7) + sq((py - 22) / 8) + sq((pz - 22) / 12) < 1) {
                        out[i] = 2;
                    }
                }
            }
        }
        return out;
    }

    private static double sq(double v) {
        return v * v;
    }

    private static double dice(byte[] a, byte[] b, int label) {
        long both = 0;
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            boolean x = a[i] == label;
            boolean y = b[i] == label;
            both += x && y ? 1 : 0;
            sum += (x ? 1 : 0) + (y ? 1 : 0);
        }
        return 2.0 * both / sum;
    }

    private static double[] centre(Geometry g, long[] size) {
        double[] p = g.originMm();
        double[] d = g.direction();
        double[] s = g.spacingMm();
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                p[r] += d[r * 3 + k] * s[k] * (size[k] - 1) / 2.0;
            }
        }
        return p;
    }

    private static long[] xyz(long[] zyx) {
        long[] out = new long[zyx.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = zyx[zyx.length - 1 - k];
        }
        return out;
    }

}
