package io.medseg.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code medseg demo}: the bundled model on the bundled test radiographs reaches Dice >= 0.85. */
class DemoTest {
    @Test
    void bundledModelSegmentsTheBundledTestImages(@TempDir Path tmp) throws Exception {
        System.setProperty("medseg.home", Path.of("..").toAbsolutePath().normalize().toString());
        Path out = tmp.resolve("demo");
        CommandLineTest.Run run = CommandLineTest.medseg("demo", "--output", out.toString(), "--device", "cpu");
        assertEquals(0, run.code(), run.err());
        List<String> summary = Files.readAllLines(out.resolve("evaluation/summary.csv"));
        String root = summary.stream().filter(l -> l.startsWith("1,tooth root,dice,")).findFirst().orElseThrow();
        double meanDice = Double.parseDouble(root.split(",")[9]);
        assertTrue(meanDice >= 0.85, "demo tooth-root Dice " + meanDice + "\n" + run.out());
        assertEquals(8, Files.list(out.resolve("masks")).count());
        assertEquals(8, Files.list(out.resolve("evaluation/overlays")).count(), "one error overlay per radiograph");
        assertTrue(Files.isRegularFile(out.resolve("evaluation/index.html")));
        assertTrue(Files.isRegularFile(out.resolve("evaluation/plots/box_dice.png")));
        assertTrue(run.out().contains("mean (8/8 cases)"), run.out());
        CommandLineTest.Run again = CommandLineTest.medseg("demo", "--output", out.toString());
        assertEquals(1, again.code(), "a second run must not overwrite without --overwrite");
    }
}
