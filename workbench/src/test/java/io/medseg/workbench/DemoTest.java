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
        String root = summary.stream().filter(l -> l.startsWith("1,")).findFirst().orElseThrow();
        double meanDice = Double.parseDouble(root.split(",")[4]);
        assertTrue(meanDice >= 0.85, "demo tooth-root Dice " + meanDice + "\n" + run.out());
        assertEquals(8, Files.list(out.resolve("masks")).count());
        assertTrue(run.out().contains("mean (8/8 cases)"), run.out());
        CommandLineTest.Run again = CommandLineTest.medseg("demo", "--output", out.toString());
        assertEquals(1, again.code(), "a second run must not overwrite without --overwrite");
    }
}
