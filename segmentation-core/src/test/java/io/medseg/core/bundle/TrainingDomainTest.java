package io.medseg.core.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.core.preprocess.ScanProfile;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rule that flags a scan unlike a model's training data, on hand-made profiles at the rule's edges. */
class TrainingDomainTest {
    /** Two CT training cases: spacing 2.5–3.5 mm in-plane, 3–5 mm slices; p1 −1024/−1000, p99 200/300. */
    private static final TrainingDomain CT = TrainingDomain.of(List.of(
            new ScanProfile(3, new double[] {2.5, 2.5, 3}, new double[] {320, 320, 240}, -1024, 200, -400, 500, ""),
            new ScanProfile(3, new double[] {3.5, 3.5, 5}, new double[] {448, 448, 300}, -1000, 300, -300, 520, "")),
            new double[] {0, 50, 100, 150}, "CT");

    private static ScanProfile ct(double[] spacing, double[] extent, double p1, double p99) {
        return new ScanProfile(3, spacing, extent, p1, p99, -350, 500, "");
    }

    @Test
    void theRangesAreOverCases() {
        assertEquals(2, CT.cases());
        assertArrayEquals(new double[] {2.5, 3.5}, CT.spacingMm()[0]);
        assertArrayEquals(new double[] {240, 300}, CT.extentMm()[2]);
        assertArrayEquals(new double[] {-1024, -1000}, CT.p1());
        assertArrayEquals(new double[] {200, 300}, CT.p99());
        // numpy.percentile([0, 50, 100, 150], [0.5, 50, 99.5]) = 0.75, 75, 149.25
        assertArrayEquals(new double[] {0.75, 75, 149.25}, CT.foreground(), 1e-9);
        // z1: (−1024+400)/500 = −1.248 and (−1000+300)/520 = −1.346
        assertArrayEquals(new double[] {(-1000 + 300) / 520.0, (-1024 + 400) / 500.0}, CT.z1(), 1e-12);
    }

    @Test
    void aScanWithinTheRangesOrFinerForAResamplingModelPasses() {
        assertEquals(List.of(), CT.differences(ct(new double[] {3, 3, 4}, new double[] {400, 400, 280}, -1010, 250),
                true, true));
        // 0.7 mm is resampled to the model's spacing: not a difference
        assertEquals(List.of(), CT.differences(ct(new double[] {0.7, 0.7, 1}, new double[] {358, 358, 300}, -1024, 250),
                true, true));
    }

    @Test
    void spacingIsFlaggedBeyondTwiceTheRange() {
        // 7 mm = 2 × 3.5: at the edge, not beyond
        assertEquals(List.of(), CT.differences(ct(new double[] {7, 3, 4}, new double[] {400, 400, 280}, -1010, 250),
                true, true));
        List<String> d = CT.differences(ct(new double[] {3, 3, 10.5}, new double[] {400, 400, 280}, -1010, 250), true,
                true);
        assertEquals(List.of("spacing 3 × 3 × 10.5 mm (trained on 2.5–3.5 × 2.5–3.5 × 3–5 mm)"), d);
        // a model on the scan's own grid: finer than half the finest is flagged too
        assertEquals(1, CT.differences(ct(new double[] {1.2, 1.2, 4}, new double[] {400, 400, 280}, -1010, 250), false,
                true).size());
    }

    @Test
    void extentIsFlaggedOutsideHalfToTwiceTheRange() {
        List<String> d = CT.differences(ct(new double[] {3, 3, 4}, new double[] {150, 150, 280}, -1010, 250), true, true);
        assertEquals(List.of("extent 150 × 150 × 280 mm (trained on 320–448 × 320–448 × 240–300 mm)"), d);
    }

    @Test
    void absoluteIntensitiesMayLieAQuarterOfTheTypicalWidthOutside() {
        // typical width: (200+300)/2 − (−1024−1000)/2 = 1262; a quarter = 315.5
        double margin = 0.25 * 1262;
        assertEquals(List.of(), CT.differences(ct(new double[] {3, 3, 4}, new double[] {400, 400, 280},
                -1000 + margin - 1e-6, 250), true, true));
        List<String> d = CT.differences(ct(new double[] {3, 3, 4}, new double[] {400, 400, 280}, 0, 2), true, true);
        assertEquals(List.of("intensities 0 and 2 at the 1st and 99th percentiles (trained on -1024 to -1000 and"
                + " 200–300)"), d);
    }

    @Test
    void aZScoredModelComparesStandardisedPercentiles() {
        TrainingDomain radiographs = TrainingDomain.of(List.of(
                new ScanProfile(2, new double[] {1, 1}, new double[] {256, 224}, 20, 220, 150, 50, ""),
                new ScanProfile(2, new double[] {1, 1}, new double[] {256, 224}, 40, 240, 160, 60, "")), new double[0], null);
        // z1 = (20−150)/50 = −2.6 and (40−160)/60 = −2; z99 = 1.4 and 1.333
        assertArrayEquals(new double[] {-2.6, -2}, radiographs.z1(), 1e-12);
        // the same picture at 16 bits (× 256) standardises the same: passes
        assertEquals(List.of(), radiographs.differences(new ScanProfile(2, new double[] {1, 1}, new double[] {256, 224},
                20 * 256, 220 * 256, 150 * 256, 50 * 256, ""), false, false));
        // a volume slice by slice: in-plane axes only, and the dimensions said
        List<String> d = radiographs.differences(new ScanProfile(3, new double[] {1, 1, 40}, new double[] {256, 224, 4000},
                -1000, 300, -400, 500, ""), false, false);
        assertEquals("a volume; the model was trained on 2D images (it goes slice by slice)", d.get(0));
        assertTrue(d.get(1).startsWith("intensity distribution: 1st and 99th percentiles at -1.2 and 1.4"), d.toString());
        assertEquals(2, d.size(), "z is not compared: " + d);
    }

    @Test
    void aDicomModalityOtherThanTheTrainingChannelsIsFlagged() {
        ScanProfile mr = new ScanProfile(3, new double[] {3, 3, 4}, new double[] {400, 400, 280}, -1010, 250, -350, 500,
                "MR");
        assertEquals(List.of("DICOM modality MR (the model was trained on CT)"), CT.differences(mr, true, true));
        ScanProfile ct = new ScanProfile(3, new double[] {3, 3, 4}, new double[] {400, 400, 280}, -1010, 250, -350, 500,
                "CT");
        assertEquals(List.of(), CT.differences(ct, true, true));
        // a file without a modality (NIfTI) and a channel name that names none are not compared
        assertEquals(Set.of(), TrainingDomain.dicomModalities("noNorm"));
        assertEquals(Set.of(), TrainingDomain.dicomModalities(null));
        assertEquals(Set.of("MR"), TrainingDomain.dicomModalities("T2 FLAIR"));
        assertEquals(Set.of("CR", "DX", "IO", "PX", "RG"), TrainingDomain.dicomModalities("radiograph"));
    }
}
