package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.image.Geometry;
import io.medseg.image.Volume;
import io.medseg.io.PlainImages;
import io.medseg.pipeline.TrainingFiles;
import io.medseg.samples.DentalRadiographs;
import io.medseg.samples.ToothRootDataset;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of {@code train} and {@code segment} (a real second JVM, killed with
 * SIGKILL, after epoch 2 or later), then {@code --continue}: the result equals, byte for byte, that of a run that was never
 * interrupted.
 */
class KillAndResumeTest {
    @TempDir
    static Path shared;
    static Path dataset;

    // epochs long enough (~0.3 s) that the saved state is seen between epoch 2 and the end of the run
    static final String[] TRAIN = {"--epochs", "5", "--iterations", "16", "--batch", "2", "--patch", "16x16", "--depth",
        "1", "--filters", "2", "--patience", "0", "--seed", "3"};

    @BeforeAll
    static void data() throws Exception {
        dataset = shared.resolve("Dataset902_Resume");
        ToothRootDataset.write(dataset, 11, 5, 12, 48, 32);
    }

    /** Waits (at most 2 minutes) until {@code done} holds while the process still runs. */
    private static void waitUntil(Process p, Predicate<Void> done, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!done.test(null)) {
            assertTrue(p.isAlive(), "the run ended before it could be interrupted:\n" + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "timed out:\n" + Files.readString(log));
            Thread.sleep(20);
        }
    }

    /** Waits until {@code done} holds, then kills the process with SIGKILL. */
    private static void killWhen(Process p, Predicate<Void> done, Path log) throws Exception {
        waitUntil(p, done, log);
        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
    }

    private static String[] train(Path output, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--data", dataset.toString(), "--output", output.toString()));
        a.addAll(List.of(TRAIN));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** The history without its wall-clock column. */
    private static List<String> history(Path model) throws Exception {
        return Files.readAllLines(TrainingFiles.of(model).history()).stream()
                .map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    @Test
    void aKilledTrainingRunContinuesToTheSameWeights(@TempDir Path tmp) throws Exception {
        Path reference = tmp.resolve("reference");
        CommandLineTest.Run straight = medseg(train(reference));
        assertEquals(0, straight.code(), straight.err());
        assertTrue(Files.readString(reference.resolve("model.json")).contains("\"state\": \"complete\""));

        Path killed = tmp.resolve("killed");
        Path state = TrainingFiles.of(killed).resumeState().resolve("state.json");
        Process p = SecondJvm.start(tmp.resolve("train.log"), train(killed));
        killWhen(p, v -> {
            try {
                if (!Files.isRegularFile(state)) {
                    return false;
                }
                var m = Pattern.compile("\"epoch\": (\\d+)").matcher(Files.readString(state));
                return m.find() && Integer.parseInt(m.group(1)) >= 2 && Integer.parseInt(m.group(1)) < 5;
            } catch (Exception e) {
                return false; // being renamed into place
            }
        }, tmp.resolve("train.log"));
        String interrupted = Files.readString(killed.resolve("model.json"));
        assertTrue(interrupted.contains("\"state\": \"incomplete: saved at epoch"), interrupted);
        CommandLineTest.Run info = medseg("info", killed.toString());
        assertTrue(info.out().contains("has not finished or was interrupted after epoch "), info.out());
        CommandLineTest.Run again = medseg(train(killed));
        assertEquals(1, again.code());
        assertTrue(again.err().contains("an interrupted training run, which can be continued; pass --continue to finish that"
                + " run, or --overwrite to start anew"), again.err());

        // a second JVM, so that what libtorch itself prints on stderr is seen
        String resumed = quietRun(tmp.resolve("resumed.log"), train(killed, "--continue"));
        assertTrue(resumed.contains("continuing the interrupted run after epoch "), resumed);
        assertArrayEquals(Files.readAllBytes(reference.resolve("parameters.params")),
                Files.readAllBytes(killed.resolve("parameters.params")), "same best weights as the uninterrupted run");
        assertEquals(history(reference), history(killed), "same losses and validation Dice in every epoch");
        assertTrue(Files.readString(killed.resolve("model.json")).contains("\"state\": \"complete\""));
        assertFalse(Files.exists(TrainingFiles.of(killed).resumeState()), "the resume state is removed when done");
        CommandLineTest.Run nothing = medseg(train(killed, "--continue"));
        assertEquals(1, nothing.code());
        assertTrue(nothing.err().contains("no interrupted training run to continue"), nothing.err());
        CommandLineTest.Run other = medseg(train(tmp.resolve("other"), "--continue"));
        assertEquals(1, other.code());

        String fineTuned = quietRun(tmp.resolve("fine-tune.log"), "train", "--data", dataset.toString(), "--output",
                tmp.resolve("child").toString(), "--init-from", reference.toString(), "--freeze", "encoder", "--epochs",
                "1", "--iterations", "2", "--seed", "3");
        assertTrue(fineTuned.contains("head kept"), fineTuned);
    }

    /** Runs medseg in a second JVM to exit 0 and returns what it printed, which must hold no libtorch warning. */
    private static String quietRun(Path log, String... args) throws Exception {
        Process p = SecondJvm.start(log, args);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out");
        String printed = Files.readString(log);
        assertEquals(0, p.exitValue(), printed);
        assertFalse(printed.contains("[W ") || printed.contains("deprecated"), "libtorch printed a warning:\n" + printed);
        return printed;
    }

    @Test
    void aKilledBatchContinuesToTheSameMasks(@TempDir Path tmp) throws Exception {
        Path model = batchModel();
        Path images = largeRadiographs(tmp.resolve("images"), 100);
        Path reference = tmp.resolve("reference");
        assertEquals(0, medseg("segment", "--model", model.toString(), "--input", images.toString(), "--output",
                reference.toString()).code());

        Path out = tmp.resolve("masks");
        Process p = SecondJvm.start(tmp.resolve("segment.log"), "segment", "--model", model.toString(), "--input", images.toString(),
                "--output", out.toString());
        killWhen(p, v -> count(out, n -> n.endsWith(".png") && !n.startsWith(".")) >= 3, tmp.resolve("segment.log"));
        int before = count(out, n -> n.endsWith(".png") && !n.startsWith("."));
        assertTrue(before < 12, "killed before the end (" + before + " masks)");
        CommandLineTest.Run resumed = medseg("segment", "--model", model.toString(), "--input", images.toString(),
                "--output", out.toString(), "--continue");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(0, count(out, n -> n.startsWith(".")), "no temporary files left");
        try (Stream<Path> s = Files.list(reference)) {
            for (Path mask : s.filter(m -> m.getFileName().toString().endsWith(".png")).toList()) {
                assertArrayEquals(Files.readAllBytes(mask), Files.readAllBytes(out.resolve(mask.getFileName())),
                        mask.getFileName().toString());
            }
        }
        assertEquals(12, count(out, n -> n.endsWith(".png")));
    }

    @Test
    void ctrlCStopsABatchAfterTheCurrentCaseWithASummary(@TempDir Path tmp) throws Exception {
        Path model = batchModel();
        Path images = largeRadiographs(tmp.resolve("images"), 200);
        Path out = tmp.resolve("masks");
        Path log = tmp.resolve("segment.log");
        Process p = SecondJvm.start(log, "segment", "--model", model.toString(), "--input", images.toString(), "--output",
                out.toString());
        waitUntil(p, v -> count(out, n -> n.endsWith(".png") && !n.startsWith(".")) >= 2, log);
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String text = Files.readString(log);
        assertEquals(130, p.exitValue(), text);
        assertTrue(text.contains("stopped: segmentation stopped after") && text.contains("with --continue finishes it"),
                text);
        int written = count(out, n -> n.endsWith(".png") && !n.startsWith("."));
        assertTrue(written >= 2 && written < 12, written + " masks");
        assertEquals(0, count(out, n -> n.startsWith(".")), "no temporary files: the current case was finished");
        assertEquals(0, medseg("segment", "--model", model.toString(), "--input", images.toString(), "--output",
                out.toString(), "--continue").code());
        assertEquals(12, count(out, n -> n.endsWith(".png")));
    }

    /**
     * SIGTERM (what kill, SLURM and Kubernetes send) stops training as Ctrl-C does: after the current
     * step, the bundle of the best epoch kept, exit 143, and no crash in native code (it crashed in
     * 2 of 10 tries when the JVM shut down under a running libtorch call). Three tries at different moments.
     */
    @Test
    void sigtermStopsTrainingAfterTheCurrentStepWithoutACrash(@TempDir Path tmp) throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            Path work = Files.createDirectories(tmp.resolve("try" + attempt));
            Path model = work.resolve("model");
            Path log = work.resolve("train.log");
            List<String> args = new ArrayList<>(List.of(train(model)));
            args.set(args.indexOf("5"), "200"); // epochs: far more than the test waits for
            Process p = new ProcessBuilder(sigtermCommand(args)).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            waitUntil(p, v -> Files.exists(model.resolve("model.json")), log);
            Thread.sleep(97L * attempt); // a different moment of the step each time
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stopped within a minute");
            String text = Files.readString(log);
            assertEquals(143, p.exitValue(), text);
            assertTrue(text.contains("SIGTERM: stopping after the current step") && text.contains("stopped:"), text);
            assertFalse(text.contains("SIGSEGV") || text.contains("fatal error"), text);
            try (Stream<Path> s = Files.list(work)) {
                assertEquals(0, s.filter(f -> f.getFileName().toString().startsWith("hs_err")).count(), "no JVM crash log");
            }
            assertTrue(Files.isRegularFile(model.resolve("parameters.params")), "the best epoch's bundle is kept");
        }
    }

    /** A second JVM like {@link SecondJvm}, started in the process' own folder (where a crash log would land). */
    private static List<String> sigtermCommand(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                Medseg.class.getName()));
        command.addAll(args);
        return command;
    }

    private static Path batchModel;

    /** One tiny model for both batch tests, trained once. */
    private static synchronized Path batchModel() {
        if (batchModel == null) {
            Path model = shared.resolve("batch-model");
            assertEquals(0, medseg(train(model)).code());
            batchModel = model;
        }
        return batchModel;
    }

    /** Twelve 400×400 radiographs: 2,500 tiles each, so an interruption lands in the middle of the batch. */
    private static Path largeRadiographs(Path dir, long seed) throws Exception {
        Files.createDirectories(dir);
        for (int k = 0; k < 12; k++) {
            var r = DentalRadiographs.generate(seed + k, 400, 400);
            PlainImages.writeGrey(Volume.wrap(r.image(), new long[] {400, 400}, 1, Geometry.identity(2)),
                    dir.resolve(String.format("scan_%02d.png", k)), false, false);
        }
        return dir;
    }

    private static int count(Path dir, Predicate<String> name) {
        File[] files = dir.toFile().listFiles();
        if (files == null) {
            return 0;
        }
        int n = 0;
        for (File f : files) {
            n += name.test(f.getName()) ? 1 : 0;
        }
        return n;
    }
}
