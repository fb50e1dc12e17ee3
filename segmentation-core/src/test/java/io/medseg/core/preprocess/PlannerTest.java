package io.medseg.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.core.preprocess.Intensity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The planner against nnU-Net's rules, worked out by hand. */
class PlannerTest {

    @Test
    void anisotropicCtPoolsInPlaneFirstLikeNnUNet() {
        // 0.8 x 0.8 x 2.5 mm: z is pooled only once x and y reach 1.6 mm (2.5 / 1.6 < 2); the first
        // kernels are 1 along z; the last stage cannot pool z (6 voxels < 2 x 4)
        Planner.Topology t = Planner.topology(new double[] {0.8, 0.8, 2.5}, new int[] {160, 160, 48});
        assertArrayEquals(new int[][] {{1, 1, 1}, {2, 2, 1}, {2, 2, 2}, {2, 2, 2}, {2, 2, 2}, {2, 2, 1}}, t.strides());
        assertArrayEquals(new int[][] {{3, 3, 1}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}}, t.kernels());
        assertArrayEquals(new int[] {32, 32, 8}, t.divisors());
        assertArrayEquals(new int[] {160, 160, 48}, t.patch(), "already divisible");
        assertArrayEquals(new int[] {32, 32, 8}, Planner.topology(new double[] {0.8, 0.8, 2.5}, new int[] {150, 161, 41})
                .divisors());
        assertArrayEquals(new int[] {160, 192, 48}, Planner.topology(new double[] {0.8, 0.8, 2.5}, new int[] {150, 161, 41})
                .patch(), "padded up to the divisors");
    }

    @Test
    void thickSlicesGetTheTenthPercentileSpacing() {
        List<long[]> sizes = new ArrayList<>();
        List<double[]> spacings = new ArrayList<>();
        double[] z = {1, 2, 3, 4, 5, 5, 5, 5, 5, 5};
        for (double s : z) {
            sizes.add(new long[] {512, 512, 60});
            spacings.add(new double[] {0.8, 0.8, s});
        }
        int[] axis = {-1};
        double[] target = Planner.targetSpacing(new Fingerprint(sizes, spacings), axis);
        // numpy: percentile([1,2,3,4,5,5,5,5,5,5], 10) = 1 + 0.9 * (2 - 1) = 1.9
        assertArrayEquals(new double[] {0.8, 0.8, 1.9}, target, 1e-12);
        assertEquals(2, axis[0]);
        // nearly isotropic data keeps the median
        List<double[]> iso = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            iso.add(new double[] {1.0, 1.0, 1.5});
        }
        axis[0] = -1;
        assertArrayEquals(new double[] {1.0, 1.0, 1.5}, Planner.targetSpacing(new Fingerprint(sizes, iso), axis), 0);
        assertEquals(-1, axis[0]);
    }

    @Test
    void patchShrinksAlongTheRelativelyLargestAxisUntilItFitsTheBudget() {
        List<long[]> sizes = List.of(new long[] {200, 180, 90}, new long[] {220, 190, 100}, new long[] {210, 170, 80});
        List<double[]> spacings = List.of(new double[] {1.5, 1.5, 3}, new double[] {1.5, 1.5, 3}, new double[] {1.5, 1.5, 3});
        Fingerprint f = new Fingerprint(sizes, spacings);
        Plan roomy = Planner.plan(f, Planner.Settings.defaults(64L << 30));
        // 256³ physical cube clipped to the median shape (210, 180, 90) and padded to the divisors
        assertArrayEquals(new double[] {210, 180, 90}, roomy.medianShapeXyz(), 1e-9);
        for (long budget : new long[] {4L << 30, 1L << 30, 256L << 20}) {
            Plan p = Planner.plan(f, Planner.Settings.defaults(budget));
            assertTrue(p.estimatedTrainingBytes() <= budget, p.toString());
            int[] divisors = p.divisors();
            for (int k = 0; k < 3; k++) {
                assertEquals(0, p.patchSize()[k] % divisors[k], "patch " + p);
                assertTrue(p.patchSize()[k] <= roomy.patchSize()[k], p + " vs " + roomy);
            }
            assertEquals(p.kernels().length, p.strides().length);
        }
        assertArrayEquals(new double[] {1.5, 1.5, 3}, roomy.targetSpacingMm(), 0);
        Plan fixed = Planner.plan(f, Planner.Settings.defaults(1L << 30).withTargetSpacing(new double[] {3, 3, 3}));
        assertArrayEquals(new double[] {105, 90, 90}, fixed.medianShapeXyz(), 1e-9);
    }

    @Test
    void aNetworkWithItsOwnStagesKeepsThemAndShrinksByItsOwnMemory() {
        // a V-Net-like network: 4 stages halving every axis, memory 1 kB per patch voxel and sample
        FixedTopology vnetLike = new FixedTopology() {
            @Override
            public int[][] strides() {
                return new int[][] {{1, 1, 1}, {2, 2, 2}, {2, 2, 2}, {2, 2, 2}, {2, 2, 2}};
            }

            @Override
            public int[][] kernels() {
                return new int[][] {{5, 5, 5}, {5, 5, 5}, {5, 5, 5}, {5, 5, 5}, {5, 5, 5}};
            }

            @Override
            public long trainingBytes(int[] patch, int batch) {
                return 1000L * batch * patch[0] * patch[1] * patch[2];
            }
        };
        // anisotropic CT: the U-Net plan would not pool z early, this network pools it at every stage
        List<long[]> sizes = List.of(new long[] {400, 400, 100}, new long[] {420, 380, 90}, new long[] {410, 390, 110});
        List<double[]> spacings = List.of(new double[] {0.8, 0.8, 2.5}, new double[] {0.8, 0.8, 2.5},
                new double[] {0.8, 0.8, 2.5});
        long budget = 1000L * 2 * 64 * 96 * 96;
        Plan p = Planner.plan(new Fingerprint(sizes, spacings), Planner.Settings.defaults(budget).withFixedTopology(vnetLike));
        assertArrayEquals(vnetLike.strides(), p.strides());
        assertArrayEquals(vnetLike.kernels(), p.kernels());
        assertArrayEquals(new int[] {16, 16, 16}, p.divisors());
        for (int k = 0; k < 3; k++) {
            assertEquals(0, p.patchSize()[k] % 16, p.toString());
        }
        assertEquals(vnetLike.trainingBytes(p.patchSize(), 2), p.estimatedTrainingBytes());
        assertTrue(p.estimatedTrainingBytes() <= budget, p.toString());
        // one more step of 16 along any axis would have fitted no longer, or the axis is at its minimum
        assertTrue(p.estimatedTrainingBytes() > budget / 2, p.toString());
    }

    @Test
    void ctStatisticsArePercentilesMeanAndStdOfForegroundVoxels() {
        ForegroundIntensities stats = new ForegroundIntensities(1);
        float[] image = new float[201];
        byte[] labels = new byte[201];
        for (int i = 0; i < 201; i++) {
            image[i] = i - 100; // foreground: every odd index, values -99, -97, ..., 99
            labels[i] = (byte) (i % 2);
        }
        stats.add(image, labels);
        assertEquals(100, stats.sampleCount(), "fewer than 10,000 foreground voxels: all are taken");
        Intensity ct = stats.ctNormalisation();
        // numpy: percentile of 100 values at 0.5 → position 0.495 → -99 + 0.495 * 2
        assertEquals(-99 + 0.495 * 2, ct.clipLow(), 1e-9);
        assertEquals(99 - 0.495 * 2, ct.clipHigh(), 1e-9);
        assertEquals(0, ct.mean(), 1e-9);
        assertEquals(Math.sqrt((Math.pow(100, 2) - 1) / 3), ct.std(), 1e-9); // std of odd numbers ±1..±99
        float fill = ct.fillValue();
        assertEquals((float) (ct.clipLow() / ct.std()), fill, 1e-6, "air is clipped to the lower bound");
    }
}
