package io.medseg.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code medseg demo}: the bundled models on the bundled test data reach the thresholds —
 * tooth root ≥ 0.85, liver ≥ 0.90, kidney ≥ 0.85, for the 3D U-Net and the V-Net alike — with a
 * report for each part and the DICOM series segmented onto its own grid.
 */
class DemoTest {
    @Test
    void bundledModelsSegmentTheBundledTestData(@TempDir Path tmp) throws Exception {
        System.setProperty("medseg.home", Path.of("..").toAbsolutePath().normalize().toString());
        Path out = tmp.resolve("demo");
        CommandLineTest.Run run = CommandLineTest.medseg("demo", "--output", out.toString(), "--device", "cpu");
        assertEquals(0, run.code(), run.err());
        assertTrue(meanDice(out.resolve("tooth-root"), "1,tooth root") >= 0.85, run.out());
        assertTrue(meanDice(out.resolve("abdomen-ct"), "1,liver") >= 0.90, run.out());
        assertTrue(meanDice(out.resolve("abdomen-ct"), "2,kidney") >= 0.85, run.out());
        assertTrue(meanDice(out.resolve("abdomen-ct-vnet"), "1,liver") >= 0.90, run.out());
        assertTrue(meanDice(out.resolve("abdomen-ct-vnet"), "2,kidney") >= 0.85, run.out());
        assertEquals(8, Files.list(out.resolve("tooth-root/masks")).count());
        assertEquals(8, Files.list(out.resolve("tooth-root/evaluation/overlays")).count(), "one error overlay per radiograph");
        assertEquals(3, Files.list(out.resolve("abdomen-ct/evaluation/overlays")).count(), "slice views per CT volume");
        assertTrue(Files.isRegularFile(out.resolve("abdomen-ct/evaluation/index.html")));
        assertTrue(Files.readString(out.resolve("abdomen-ct/evaluation/index.html")).contains("abdomen-ct-unet3d (parameters"
                + " sha256 "), "the page names the model");
        assertTrue(Files.readString(out.resolve("abdomen-ct-vnet/evaluation/index.html")).contains("abdomen-ct-vnet (parameters"
                + " sha256 "), "the V-Net's page names its model");
        assertTrue(run.out().contains("abdomen-ct-vnet"), run.out());
        assertTrue(run.out().contains("Dice per label") && run.out().contains("tooth root") && run.out().contains("kidney"),
                run.out());
        try (var masks = Files.list(out.resolve("abdomen-ct-dicom/masks"))) {
            assertTrue(masks.anyMatch(p -> p.getFileName().toString().equals("series.csv")));
        }
        assertTrue(run.out().contains("ct_003 (62 files)") && run.out().contains("on the series' grid [128, 128, 62]"),
                run.out());
        CommandLineTest.Run again = CommandLineTest.medseg("demo", "--output", out.toString());
        assertEquals(1, again.code(), "a second run must not overwrite without --overwrite");
    }

    private static double meanDice(Path part, String labelPrefix) throws Exception {
        List<String> summary = Files.readAllLines(part.resolve("evaluation/summary.csv"));
        String row = summary.stream().filter(l -> l.startsWith(labelPrefix + ",dice,")).findFirst().orElseThrow();
        return Double.parseDouble(row.split(",")[9]);
    }
}
