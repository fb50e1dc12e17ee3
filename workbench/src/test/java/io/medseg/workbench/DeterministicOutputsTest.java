package io.medseg.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.samples.ToothRootDataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every output of every command is the same bytes when the command runs again: each command runs
 * twice, each time in a fresh JVM (Java's Map.of and HashMap iterate in an order that can change
 * from one JVM run to the next, so a rerun inside one JVM would hide exactly that), with folders
 * given as relative paths. Only the clock may differ: ISO time stamps in text files are blanked.
 */
class DeterministicOutputsTest {
    // to the minute (the report's date) or the second: a run that straddles a minute differs only there
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?Z");

    /** The commands, run in this order in one JVM from {@code work}; every output lies below {@code out}. */
    private static final List<List<String>> COMMANDS = List.of(
            List.of("generate-dental", "--cases", "5", "--test", "3", "--size", "48x32", "--output", "out/data"),
            List.of("generate-ct", "--cases", "1", "--matrix", "64", "--slices", "5", "--output", "out/ct"),
            List.of("train", "--data", "out/data", "--output", "out/model", "--epochs", "2", "--iterations", "2",
                    "--batch", "2", "--patch", "16x16", "--depth", "1", "--filters", "2", "--quiet"),
            List.of("segment", "--model", "out/model", "--input", "in/images", "--output", "out/masks", "--quiet"),
            List.of("evaluate", "--reference", "out/data/labelsTs", "--prediction", "out/masks", "--output",
                    "out/report", "--labels", "out/data/dataset.json"),
            List.of("convert", "--input", "in/dicom", "--output", "out/nifti", "--quiet"));

    @Test
    void everyCommandWritesTheSameBytesTwice(@TempDir Path tmp) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        // inputs: images with one broken case (a failure line) and a DICOM series
        Path images = Files.createDirectories(work.resolve("in/images"));
        ToothRootDataset.write(tmp.resolve("src"), 1, 3, 5, 48, 32);
        Ct3dEndToEndTest.copyTree(tmp.resolve("src/imagesTs"), images);
        Files.writeString(images.resolve("broken_0000.png"), "not a PNG");
        Ct3dEndToEndTest.copyTree(Path.of("../io-dicom/src/test/resources/series/oblique").toAbsolutePath(),
                work.resolve("in/dicom/oblique"));
        Path first = runAll(work, tmp.resolve("log1"));
        Files.move(work.resolve("out"), work.resolve("out.first"));
        runAll(work, tmp.resolve("log2"));
        List<Path> files = files(work.resolve("out"));
        assertEquals(files(work.resolve("out.first")).stream().map(p -> work.resolve("out.first").relativize(p)).toList(),
                files.stream().map(p -> work.resolve("out").relativize(p)).toList(), "the same files");
        assertTrue(files.size() > 40, files.size() + " files");
        List<String> differ = new ArrayList<>();
        for (Path f : files) {
            Path other = work.resolve("out.first").resolve(work.resolve("out").relativize(f));
            String a = clockFree(f);
            String b = clockFree(other);
            if (!a.equals(b)) {
                int at = 0;
                while (at < Math.min(a.length(), b.length()) && a.charAt(at) == b.charAt(at)) {
                    at++;
                }
                differ.add(work.resolve("out").relativize(f) + " at character " + at + ": "
                        + a.substring(Math.max(0, at - 40), Math.min(a.length(), at + 40)).replace('\n', ' ') + " / "
                        + b.substring(Math.max(0, at - 40), Math.min(b.length(), at + 40)).replace('\n', ' '));
            }
        }
        assertEquals(List.of(), differ, "files whose bytes differ beyond the clock");
        assertTrue(Files.readString(first).contains("failed broken"), Files.readString(first));
    }

    /**
     * The file's bytes with what the clock decides blanked: ISO time stamps in text files, and the
     * seconds column of a training history (durations).
     */
    private static String clockFree(Path f) throws Exception {
        String n = f.getFileName().toString();
        byte[] bytes = Files.readAllBytes(f);
        if (!(n.endsWith(".json") || n.endsWith(".csv") || n.endsWith(".html") || n.endsWith(".log"))) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        String text = TIME.matcher(new String(bytes, StandardCharsets.UTF_8)).replaceAll("T");
        if (n.endsWith("history.csv")) {
            text = text.replaceAll("(?m),[0-9.]+$", ",S");
        }
        return text;
    }

    /** Every command in one fresh JVM working in {@code work}; returns its log. */
    private static Path runAll(Path work, Path log) throws Exception {
        List<String> args = new ArrayList<>();
        for (List<String> c : COMMANDS) {
            args.addAll(c);
            args.add(MultiCommand.NEXT);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                MultiCommand.class.getName()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out");
        assertEquals(0, p.exitValue(), Files.readString(log));
        return log;
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Runs several medseg command lines, separated by {@link #NEXT}, in one JVM; exit 0 unless one exits 1 or 2. */
    public static final class MultiCommand {
        static final String NEXT = "--next--";

        public static void main(String[] args) {
            List<String> current = new ArrayList<>();
            int worst = 0;
            for (String a : args) {
                if (!a.equals(NEXT)) {
                    current.add(a);
                    continue;
                }
                int code = Medseg.run(current.toArray(String[]::new));
                System.out.println("exit " + code + ": " + current.get(0));
                worst = code == 1 || code == 2 ? code : worst;
                current.clear();
            }
            System.exit(worst);
        }
    }
}
