package io.medseg.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.image.LabelMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Concentric spheres (and disks) of radii R_g &lt; R_p sampled on anisotropic grids: Dice and HD95
 * must match the continuous values, 2R_g³/(R_g³ + R_p³) and R_p − R_g, within the discretisation
 * bound. A voxel-centre surface lies in a shell of thickness s_max inside its sphere, and every
 * point of the shell has a surface voxel within half a voxel diagonal h, so each distance is off
 * by at most s_max + h; a sphere's voxel volume is off by at most its area times h.
 */
class SpheresTest {

    @ParameterizedTest
    @CsvSource({"3, 10, 13, 0.8, 0.8, 2.5", "3, 30, 42, 0.8, 0.8, 2.5", "3, 12, 14, 1.0, 1.0, 1.0", "3, 9, 15, 0.6, 1.1, 1.7",
            "2, 20, 24, 0.5, 0.7, 1", "2, 30, 31, 1.0, 1.0, 1"})
    void diceAndHd95MatchTheContinuousValues(int n, double rg, double rp, double sx, double sy, double sz) {
        double[] spacing = n == 3 ? new double[] {sx, sy, sz} : new double[] {sx, sy};
        double smax = Math.max(sx, Math.max(sy, n == 3 ? sz : 0));
        double h = 0.5 * Math.sqrt(sx * sx + sy * sy + (n == 3 ? sz * sz : 0));
        CaseLabelResult r = new Evaluator(Masks.LABELS)
                .evaluate("spheres", ball(n, rg, rp + 3, spacing), ball(n, rp, rp + 3, spacing)).row(1);

        double exactDice = n == 3 ? 2 * Math.pow(rg, 3) / (Math.pow(rg, 3) + Math.pow(rp, 3))
                : 2 * rg * rg / (rg * rg + rp * rp);
        // relative volume error ≤ area·h / volume = n·h/R; Dice = 2V_g/(V_g + V_p) inherits at most twice the larger one
        double diceBound = 2 * n * h / rg;
        assertEquals(exactDice, Metric.DICE.of(r), diceBound);
        assertEquals(rp - rg, Metric.HD95.of(r), smax + h);
        assertEquals(rp - rg, Metric.ASSD.of(r), smax + h);
        assertTrue(Metric.HD.of(r) >= Metric.HD95.of(r));
        double exactVolume = n == 3 ? 4.0 / 3 * Math.PI * Math.pow(rg, 3) : Math.PI * rg * rg;
        double area = n == 3 ? 4 * Math.PI * rg * rg : 2 * Math.PI * rg;
        assertEquals(exactVolume / 1000, r.referenceMl(), area * h / 1000);
    }

    /** A ball of radius {@code r} mm centred in a grid reaching {@code halfWidth} mm each way. */
    static LabelMap ball(int n, double r, double halfWidth, double[] spacing) {
        long[] size = new long[n];
        for (int k = 0; k < n; k++) {
            size[k] = 2 * (long) Math.ceil(halfWidth / spacing[k]) + 1;
        }
        int nz = n == 3 ? (int) size[2] : 1;
        byte[] data = new byte[(int) (size[0] * size[1] * nz)];
        int i = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++, i++) {
                    double dx = (x - size[0] / 2) * spacing[0];
                    double dy = (y - size[1] / 2) * spacing[1];
                    double dz = n == 3 ? (z - size[2] / 2) * spacing[2] : 0;
                    data[i] = (byte) (dx * dx + dy * dy + dz * dz <= r * r ? 1 : 0);
                }
            }
        }
        return Masks.map(data, size, spacing);
    }
}
