package io.medseg.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.io.PlainImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DentalRadiographsTest {

    @Test
    void sameSeedSameImageOtherSeedOtherImage() {
        var a = DentalRadiographs.generate(7, 96, 80);
        var b = DentalRadiographs.generate(7, 96, 80);
        assertArrayEquals(a.image(), b.image());
        assertArrayEquals(a.rootMask(), b.rootMask());
        assertFalse(Arrays.equals(a.rootMask(), DentalRadiographs.generate(8, 96, 80).rootMask()));
    }

    @Test
    void rootsAreAPlausibleShareAndBrighterThanSoftTissue() {
        for (long seed = 2015; seed < 2025; seed++) {
            var r = DentalRadiographs.generate(seed, 256, 224);
            double roots = 0;
            double rootSum = 0;
            double otherSum = 0;
            for (int i = 0; i < r.rootMask().length; i++) {
                assertTrue(r.image()[i] >= 0 && r.image()[i] <= 255 && r.image()[i] == Math.round(r.image()[i]));
                if (r.rootMask()[i] == 1) {
                    roots++;
                    rootSum += r.image()[i];
                } else {
                    otherSum += r.image()[i];
                }
            }
            double share = roots / r.rootMask().length;
            assertTrue(share > 0.08 && share < 0.45, "seed " + seed + ": root share " + share);
            assertTrue(rootSum / roots > otherSum / (r.rootMask().length - roots), "seed " + seed);
        }
    }

    @Test
    void rootCanalsLieInsideTheRootsAndAreDarkerThanTheirDentin() {
        for (long seed = 4000; seed < 4010; seed++) {
            var r = DentalRadiographs.generate(seed, 256, 224);
            double canal = 0;
            double canalSum = 0;
            double dentinSum = 0;
            for (int i = 0; i < r.canalMask().length; i++) {
                if (r.canalMask()[i] == 1) {
                    assertEquals(1, r.rootMask()[i], "seed " + seed + ": canal pixel " + i + " outside the roots");
                    canal++;
                    canalSum += r.image()[i];
                } else if (r.rootMask()[i] == 1) {
                    dentinSum += r.image()[i];
                }
            }
            long roots = 0;
            for (byte b : r.rootMask()) {
                roots += b;
            }
            double share = canal / roots;
            assertTrue(share > 0.03 && share < 0.3, "seed " + seed + ": canals are " + share + " of the roots");
            assertTrue(canalSum / canal < dentinSum / (roots - canal), "seed " + seed + ": canal not darker");
        }
    }

    @Test
    void committedDatasetIsWhatTheGeneratorMakes(@TempDir Path tmp) throws Exception {
        Path committed = Path.of("data/Dataset001_ToothRoot");
        Path ds = tmp.resolve("Dataset001_ToothRoot"); // dataset.json is named after the folder
        ToothRootDataset.write(ds, 2015, 24, 8, 256, 224);
        for (String file : new String[] {"dataset.json", "imagesTr/case_000_0000.png", "labelsTr/case_023.png",
                "imagesTs/case_031_0000.png", "labelsTs/case_024.png"}) {
            assertArrayEquals(Files.readAllBytes(committed.resolve(file)), Files.readAllBytes(ds.resolve(file)), file);
        }
        assertEquals(24, Files.list(ds.resolve("imagesTr")).count());
        var mask = PlainImages.readLabels(ds.resolve("labelsTs/case_024.png"), ToothRootDataset.LABELS);
        assertEquals(1, mask.maxLabel());
    }
}
