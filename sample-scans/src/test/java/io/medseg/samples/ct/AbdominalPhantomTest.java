package io.medseg.samples.ct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Deterministic, anatomically plausible, partial-volume correct, and not solvable by intensity alone. */
class AbdominalPhantomTest {
    private static final AbdominalPhantom.Acquisition SMALL = new AbdominalPhantom.Acquisition(64, new double[] {4, 5});

    @Test
    void theSameSeedGivesTheSameCaseBitForBitAndAnotherSeedAnotherCase() {
        AbdominalPhantom.CtCase a = AbdominalPhantom.generate(3, SMALL);
        AbdominalPhantom.CtCase b = AbdominalPhantom.generate(3, SMALL);
        assertArrayEquals(a.hu(), b.hu());
        assertArrayEquals(a.labels(), b.labels());
        AbdominalPhantom.CtCase c = AbdominalPhantom.generate(4, SMALL);
        assertFalse(Arrays.equals(a.labels(), c.labels()));
    }

    @Test
    void organsHavePlausibleVolumesAndIntensitiesWithinTheScannersRange() {
        Set<String> phases = new HashSet<>();
        for (long seed = 1; seed <= 6; seed++) {
            AbdominalPhantom.CtCase c = AbdominalPhantom.generate(seed, SMALL);
            phases.add(c.phase());
            double[] sp = c.geometry().spacingMm();
            assertTrue(sp[0] >= 310.0 / 64 && sp[0] <= 460.0 / 64 && sp[0] == sp[1], "in-plane = field of view / matrix");
            assertTrue(sp[2] == 4 || sp[2] == 5);
            double ml = sp[0] * sp[1] * sp[2] / 1000;
            long[] count = new long[3];
            double[] sum = new double[3];
            for (int i = 0; i < c.labels().length; i++) {
                count[c.labels()[i]]++;
                sum[c.labels()[i]] += c.hu()[i];
                float hu = c.hu()[i];
                assertTrue(hu == Math.rint(hu) && hu >= -1024 && hu <= 3071, "whole HU in the 12-bit range: " + hu);
            }
            // livers of 1–2 L and kidneys of 120–200 mL each, partly outside the scanned range
            assertTrue(count[1] * ml > 400 && count[1] * ml < 2800, "seed " + seed + ": liver " + count[1] * ml + " mL");
            assertTrue(count[2] * ml > 80 && count[2] * ml < 600, "seed " + seed + ": kidneys " + count[2] * ml + " mL");
            ContrastPhase phase = ContrastPhase.valueOf(c.phase().toUpperCase(Locale.ROOT));
            assertEquals(phase.liver, sum[1] / count[1], 45, "mean liver HU, vessels, lesions and edges included");
            assertTrue(sum[0] / count[0] < -300, "most of the background is air and fat");
        }
        assertTrue(phases.size() >= 2, "several contrast phases: " + phases);
    }

    /**
     * A model that has only learned "an intensity band is the organ" fails: even the best HU
     * window for each case, chosen with the answer in hand, on the raw and the 3×3×3-smoothed
     * image, stays far below the Dice a segmentation model must reach.
     */
    @Test
    void noIntensityWindowFindsTheOrgans() {
        for (long seed = 11; seed <= 13; seed++) {
            AbdominalPhantom.CtCase c = AbdominalPhantom.generate(seed, SMALL);
            float[] smooth = boxMean(c.hu(), c.sizeXyz());
            for (float[] image : new float[][] {c.hu(), smooth}) {
                double liver = bestWindowDice(image, c.labels(), 1);
                double kidney = bestWindowDice(image, c.labels(), 2);
                assertTrue(liver < 0.8, "seed " + seed + ": an HU window finds the liver with Dice " + liver);
                assertTrue(kidney < 0.65, "seed " + seed + ": an HU window finds the kidneys with Dice " + kidney);
            }
        }
    }

    /**
     * The lower chest: nothing labelled liver above the diaphragm, lung air and a heart above it,
     * the heart's wall within 25 HU of the liver in the portal-venous phase (the confusion a model
     * trained on abdomen-only scans makes on real ones), the scan's top from below the dome to the
     * mid-chest, and the phase and spacing those of its abdomen-only twin.
     */
    @Test
    void theLowerChestPutsLungsAndAHeartAboveTheDiaphragmAndNoLiver() {
        AbdominalPhantom.Acquisition abdomenOnly = SMALL.withLowerChest(false);
        int liverGreyHearts = 0;
        int belowDome = 0;
        int chests = 0;
        for (long seed = 1; seed <= 12; seed++) {
            AbdominalPhantom.CtCase a = AbdominalPhantom.generate(seed, abdomenOnly);
            AbdominalPhantom.CtCase c = AbdominalPhantom.generate(seed, SMALL);
            assertFalse(a.lowerChest());
            assertTrue(c.lowerChest() && c.diaphragmTopMm() >= 118 && c.diaphragmTopMm() <= 150, "" + c.diaphragmTopMm());
            assertEquals(a.phase(), c.phase(), "the phase is the abdomen-only twin's");
            assertArrayEquals(a.geometry().spacingMm(), c.geometry().spacingMm());
            double top = c.scanTopAboveDomeMm();
            double[] sp = c.geometry().spacingMm();
            assertTrue(top >= -30 - sp[2] && top <= 100 + sp[2], "seed " + seed + ": scan top " + top + " mm above the dome");
            belowDome += top < 0 ? 1 : 0;
            double z0 = c.geometry().originMm()[2];
            int plane = (int) (c.sizeXyz()[0] * c.sizeXyz()[1]);
            double ml = sp[0] * sp[1] * sp[2] / 1000;
            double liverHu = ContrastPhase.valueOf(c.phase().toUpperCase(Locale.ROOT)).liver;
            long lung = 0;
            long liverGrey = 0;
            for (int i = 0; i < c.labels().length; i++) {
                double z = z0 + (i / plane) * sp[2];
                if (z > c.diaphragmTopMm() - 4 + sp[2] / 2) {
                    assertTrue(c.labels()[i] != 1, "seed " + seed + ": liver above the diaphragm at z " + z);
                }
                if (z > c.diaphragmTopMm() + 5) {
                    int x = i % (int) c.sizeXyz()[0];
                    int y = (i / (int) c.sizeXyz()[0]) % (int) c.sizeXyz()[1];
                    boolean central = Math.abs(x - c.sizeXyz()[0] / 2.0) < c.sizeXyz()[0] / 4.0
                            && Math.abs(y - c.sizeXyz()[1] / 2.0) < c.sizeXyz()[1] / 4.0;
                    lung += central && c.hu()[i] < -600 ? 1 : 0; // inside the body: no outside air there
                    // the heart: central and in front (the chest wall's and the back's muscles are not)
                    boolean anterior = y < c.sizeXyz()[1] / 2;
                    liverGrey += central && anterior && Math.abs(c.hu()[i] - liverHu) < 25 ? 1 : 0;
                }
            }
            if (top < 40) {
                continue; // too little chest in view to measure lung and heart
            }
            chests++;
            assertTrue(lung * ml > 30, "seed " + seed + ": lung in the central chest " + lung * ml + " mL");
            if (c.phase().equals("portal_venous")) { // without the heart 9–27 mL (muscle, vessels' edges)
                assertTrue(liverGrey * ml > 60, "seed " + seed + ": liver-grey heart " + liverGrey * ml + " mL");
                liverGreyHearts++;
            }
        }
        assertTrue(belowDome >= 1 && chests >= 3, "seeds 1–12: " + belowDome + " start below the dome, " + chests + " show 40 mm of chest");
        assertTrue(liverGreyHearts >= 1, "portal-venous cases with chest among seeds 1–12: " + liverGreyHearts);
    }

    /** The best Dice of any window [lo, hi) on a 10 HU grid, by prefix sums over a histogram. */
    static double bestWindowDice(float[] hu, byte[] labels, int label) {
        int bins = 420; // −1100 … 3100 HU
        long[] inside = new long[bins + 1];
        long[] outside = new long[bins + 1];
        long total = 0;
        for (int i = 0; i < hu.length; i++) {
            int b = Math.max(0, Math.min(bins - 1, (int) Math.floor((hu[i] + 1100) / 10)));
            if (labels[i] == label) {
                inside[b + 1]++;
                total++;
            } else {
                outside[b + 1]++;
            }
        }
        for (int b = 1; b <= bins; b++) {
            inside[b] += inside[b - 1];
            outside[b] += outside[b - 1];
        }
        double best = 0;
        for (int lo = 0; lo < bins; lo++) {
            for (int hi = lo + 1; hi <= bins; hi++) {
                long tp = inside[hi] - inside[lo];
                long fp = outside[hi] - outside[lo];
                best = Math.max(best, 2.0 * tp / (tp + fp + total));
            }
        }
        return best;
    }

    private static float[] boxMean(float[] hu, long[] size) {
        int nx = (int) size[0];
        int ny = (int) size[1];
        int nz = (int) size[2];
        float[] out = hu.clone();
        for (int z = 1; z < nz - 1; z++) {
            for (int y = 1; y < ny - 1; y++) {
                for (int x = 1; x < nx - 1; x++) {
                    double s = 0;
                    for (int dz = -1; dz <= 1; dz++) {
                        for (int dy = -1; dy <= 1; dy++) {
                            for (int dx = -1; dx <= 1; dx++) {
                                s += hu[x + dx + nx * (y + dy + ny * (z + dz))];
                            }
                        }
                    }
                    out[x + nx * (y + ny * z)] = (float) (s / 27);
                }
            }
        }
        return out;
    }
}
