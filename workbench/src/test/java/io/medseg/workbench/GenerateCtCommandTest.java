package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.image.Reorientation;
import io.medseg.image.Volume;
import io.medseg.io.nifti.Nifti;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code medseg generate-ct}: a dataset `medseg train` reads, the same bytes for the same seed, nothing overwritten. */
class GenerateCtCommandTest {

    @Test
    void generatesTheSameDatasetForTheSameSeedAndRefusesToOverwrite(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a/Dataset905_Abdomen");
        Path b = tmp.resolve("b/Dataset905_Abdomen");
        for (Path p : new Path[] {a, b}) {
            CommandLineTest.Run run = medseg("generate-ct", "--cases", "2", "--test", "1", "--matrix", "32", "--slices", "5",
                    "--seed", "7", "--output", p.toString(), "--quiet");
            assertEquals(0, run.code(), run.err());
            assertTrue(run.out().contains("wrote 2 training and 1 test case(s)"), run.out());
        }
        for (String file : new String[] {"dataset.json", "phantoms.csv", "imagesTr/ct_000_0000.nii.gz",
                "labelsTr/ct_001.nii.gz", "imagesTs/ct_002_0000.nii.gz"}) {
            assertArrayEquals(Files.readAllBytes(a.resolve(file)), Files.readAllBytes(b.resolve(file)), file);
        }
        Volume ct = Nifti.readVolume(a.resolve("imagesTr/ct_000_0000.nii.gz"));
        Volume canonical = Reorientation.toClosestCanonical(ct.geometry(), ct.sizeXyz()).apply(ct);
        assertEquals(5, canonical.geometry().spacingMm()[2], 1e-6, "5 mm slices, whatever order they are stored in");
        assertEquals(32, canonical.sizeXyz()[0]);
        CommandLineTest.Run again = medseg("generate-ct", "--cases", "1", "--output", a.toString());
        assertEquals(1, again.code());
        assertEquals("medseg generate-ct: error: " + a + " exists; choose a new folder (nothing is overwritten)",
                again.err().strip());
        CommandLineTest.Run bad = medseg("generate-ct", "--cases", "0", "--output", tmp.resolve("c").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("--cases must be at least 1"), bad.err());
    }

    @Test
    void theLowerChestIsTheDefaultAndSaysWhereTheScanStarts(@TempDir Path tmp) throws Exception {
        Path plain = tmp.resolve("Dataset906_Abdomen");
        Path chest = tmp.resolve("Dataset907_AbdomenChest");
        assertEquals(0, medseg("generate-ct", "--cases", "1", "--matrix", "32", "--slices", "5", "--seed", "3", "--output",
                plain.toString(), "--abdomen-only", "--quiet").code());
        CommandLineTest.Run run = medseg("generate-ct", "--cases", "1", "--matrix", "32", "--slices", "5", "--seed", "3",
                "--output", chest.toString(), "--quiet");
        assertEquals(0, run.code(), run.err());
        List<String> csv = Files.readAllLines(chest.resolve("phantoms.csv"));
        assertTrue(csv.get(0).endsWith(",kidney_voxels,diaphragm_top_mm,scan_top_above_dome_mm"), csv.get(0));
        String[] row = csv.get(1).split(",");
        double dome = Double.parseDouble(row[row.length - 2]);
        double top = Double.parseDouble(row[row.length - 1]);
        assertTrue(dome >= 118 && dome <= 150 && top >= -35 && top <= 105, csv.get(1));
        assertTrue(Files.readAllLines(plain.resolve("phantoms.csv")).get(0).endsWith(",kidney_voxels"));
        assertTrue(Files.readString(chest.resolve("dataset.json")).contains("lower chest included"));
        String[] same = Files.readAllLines(plain.resolve("phantoms.csv")).get(1).split(",");
        for (int column : new int[] {2, 4, 5}) { // phase, spacing, storage order: the abdomen-only twin's
            assertEquals(same[column], row[column], csv.get(1));
        }
    }
}
