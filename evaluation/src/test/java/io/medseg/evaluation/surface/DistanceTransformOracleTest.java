package io.medseg.evaluation.surface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The distance transform and the surface distances against brute force (all pairs) on random
 * masks of odd sizes with random anisotropic spacing, in 2D and 3D.
 */
class DistanceTransformOracleTest {

    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of(new int[] {1, 1, 1}, 2), Arguments.of(new int[] {7, 1, 1}, 2),
                Arguments.of(new int[] {1, 9, 1}, 2), Arguments.of(new int[] {13, 11, 1}, 2),
                Arguments.of(new int[] {40, 23, 1}, 2), Arguments.of(new int[] {9, 8, 7}, 3),
                Arguments.of(new int[] {1, 5, 6}, 3), Arguments.of(new int[] {17, 12, 9}, 3));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void transformEqualsAllPairsMinimum(int[] dims, int numDimensions) {
        Random random = new Random(Arrays.hashCode(dims));
        for (int trial = 0; trial < 6; trial++) {
            double[] spacing = spacing(random, numDimensions);
            double density = new double[] {0.0, 0.002, 0.02, 0.2, 0.6, 1.0}[trial];
            boolean[] feature = randomMask(random, dims, density);
            double[] expected = BruteForce.squaredDistances(feature, dims, spacing);
            double[] actual = EuclideanDistanceTransform.squared(feature, dims, spacing);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-9 * Math.max(1, expected[i]),
                        "voxel " + Arrays.toString(BruteForce.coordinate(i, dims)) + " spacing "
                                + Arrays.toString(spacing) + " density " + density);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void surfaceDistancesEqualAllPairs(int[] dims, int numDimensions) {
        Random random = new Random(31 * Arrays.hashCode(dims));
        for (int trial = 0; trial < 5; trial++) {
            double[] spacing = spacing(random, numDimensions);
            boolean[] g = blobs(random, dims);
            boolean[] p = blobs(random, dims);
            SurfaceDistances d = SurfaceDistances.between(g, p, dims, numDimensions, spacing, 1);
            boolean[] sg = BruteForce.surface(g, dims, numDimensions);
            boolean[] sp = BruteForce.surface(p, dims, numDimensions);
            assertArrayEquals(sg, Surfaces.extract(g, dims, numDimensions, 1));
            double[] pg = sorted(BruteForce.directed(sp, sg, dims, spacing));
            double[] gp = sorted(BruteForce.directed(sg, sp, dims, spacing));
            assertArrayEquals(pg, d.predictionToReference(), 1e-9);
            assertArrayEquals(gp, d.referenceToPrediction(), 1e-9);
            if (pg.length > 0 && gp.length > 0 && Double.isFinite(pg[0]) && Double.isFinite(gp[0])) {
                DistanceMetrics m = d.metrics(DistanceSettings.DEFAULT, 1.5);
                assertEquals(Math.max(pg[pg.length - 1], gp[gp.length - 1]), m.hausdorffMm(), 1e-9);
                assertEquals(Math.max(numpyPercentile(pg, 95), numpyPercentile(gp, 95)), m.hausdorffPercentileMm(), 1e-9);
                assertEquals((sum(pg) + sum(gp)) / (pg.length + gp.length), m.assdMm(), 1e-9);
                assertEquals((sum(pg) / pg.length + sum(gp) / gp.length) / 2, m.masdMm(), 1e-9);
                long within = Arrays.stream(pg).filter(x -> x <= 1.5).count() + Arrays.stream(gp).filter(x -> x <= 1.5).count();
                assertEquals((double) within / (pg.length + gp.length), m.nsd(), 1e-12);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void resultDoesNotDependOnTheThreadCount(int[] dims, int numDimensions) throws Exception {
        Random random = new Random(7);
        boolean[] f = randomMask(random, dims, 0.05);
        double[] spacing = spacing(random, numDimensions);
        double[] parallel = EuclideanDistanceTransform.squared(f, dims, spacing);
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            double[] serial = one.submit(() -> EuclideanDistanceTransform.squared(f, dims, spacing)).get();
            assertArrayEquals(serial, parallel, 0.0);
        } finally {
            one.shutdown();
        }
        assertTrue(parallel.length == dims[0] * dims[1] * dims[2]);
    }

    static double numpyPercentile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p / 100;
        int lo = (int) Math.floor(h);
        return lo >= sorted.length - 1 ? sorted[sorted.length - 1] : sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    private static double[] spacing(Random random, int numDimensions) {
        double[] s = new double[numDimensions];
        for (int k = 0; k < numDimensions; k++) {
            s[k] = 0.3 + 2.7 * random.nextDouble();
        }
        return s;
    }

    private static boolean[] randomMask(Random random, int[] dims, double density) {
        boolean[] m = new boolean[dims[0] * dims[1] * dims[2]];
        for (int i = 0; i < m.length; i++) {
            m[i] = random.nextDouble() < density;
        }
        return m;
    }

    /** A few random boxes: masks with interiors, so surfaces are proper subsets. */
    private static boolean[] blobs(Random random, int[] dims) {
        boolean[] m = new boolean[dims[0] * dims[1] * dims[2]];
        int n = random.nextInt(4);
        for (int b = 0; b < n; b++) {
            int[] lo = new int[3];
            int[] hi = new int[3];
            for (int k = 0; k < 3; k++) {
                lo[k] = random.nextInt(dims[k]);
                hi[k] = Math.min(dims[k], lo[k] + 1 + random.nextInt(Math.max(1, dims[k] / 2)));
            }
            for (int z = lo[2]; z < hi[2]; z++) {
                for (int y = lo[1]; y < hi[1]; y++) {
                    for (int x = lo[0]; x < hi[0]; x++) {
                        m[x + dims[0] * (y + dims[1] * z)] = true;
                    }
                }
            }
        }
        return m;
    }

    private static double[] sorted(double[] x) {
        double[] c = x.clone();
        Arrays.sort(c);
        return c;
    }

    private static double sum(double[] x) {
        return Arrays.stream(x).sum();
    }
}
