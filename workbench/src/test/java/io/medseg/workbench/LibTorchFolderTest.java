package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.core.engine.LibTorchInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A libtorch of the user's own (how a CUDA build is used: PYTORCH_LIBRARY_PATH at a pip-installed
 * torch's lib folder): proven here with the CPU libtorch placed in a folder of its own. A fresh JVM
 * loads it from there, --version says so, and it segments as the bundled one does.
 */
class LibTorchFolderTest {
    static final String MODEL = "../sample-scans/models/tooth-root-unet2d";
    static final String IMAGE = "../sample-scans/data/Dataset001_ToothRoot/imagesTs/case_024_0000.png";

    @Test
    void aLibtorchFolderOfTheUsersIsLoadedSaidAndSegmentsAsTheBundledOne(@TempDir Path tmp) throws Exception {
        LibTorchInfo bundled = LibTorchInfo.current();
        assertFalse(bundled.userFolder(), bundled.describe());
        assertEquals("cpu", bundled.flavor());
        Path own = Files.createDirectories(tmp.resolve("torch/lib"));
        try (Stream<Path> s = Files.list(bundled.dir())) {
            for (Path lib : s.filter(p -> p.getFileName().toString().contains(".so")).toList()) {
                Files.createSymbolicLink(own.resolve(lib.getFileName()), lib);
            }
        }
        String version = run(tmp, own, "--version");
        assertTrue(version.contains("libtorch " + bundled.version() + " cpu, from " + own + " (PYTORCH_LIBRARY_PATH)"),
                version);

        String segment = run(tmp, own, "segment", "--model", MODEL, "--input", IMAGE, "--output",
                tmp.resolve("own").toString(), "--quiet");
        assertTrue(segment.contains("wrote 1 mask(s)"), segment);
        CommandLineTest.Run here = medseg("segment", "--model", MODEL, "--input", IMAGE, "--output",
                tmp.resolve("bundled").toString(), "--quiet");
        assertEquals(0, here.code(), here.err());
        assertArrayEquals(Files.readAllBytes(mask(tmp.resolve("bundled"))), Files.readAllBytes(mask(tmp.resolve("own"))),
                "the same mask from the user's folder");

        String gpu = run(tmp, own, "segment", "--model", MODEL, "--input", IMAGE, "--output",
                tmp.resolve("gpu").toString(), "--device", "gpu");
        assertTrue(gpu.contains("libtorch sees no GPU") && gpu.contains("PYTORCH_LIBRARY_PATH at the lib folder of a"
                + " pip-installed torch 2.7.1+cu128"), gpu);
    }

    /**
     * MEDSEG_LIBTORCH=cu128 as the launcher runs it (the CPU jar off the class path, DJL offline) before
     * `medseg setup-gpu` fetched the CUDA build: one line saying so, exit code 1, nothing downloaded.
     */
    @Test
    void theCudaBuildNotFetchedYetIsOneLineNamingSetupGpu(@TempDir Path tmp) throws Exception {
        String classPath = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("pytorch-native-cpu-"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        Path cache = tmp.resolve("engines");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Xmx1g", "-cp", classPath, Medseg.class.getName(), "segment", "--model", MODEL,
                "--input", IMAGE, "--output", tmp.resolve("out").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("PYTORCH_LIBRARY_PATH");
        pb.environment().put("MEDSEG_LIBTORCH", "cu128");
        pb.environment().put("PYTORCH_FLAVOR", "cu128");
        pb.environment().put("ENGINE_CACHE_DIR", cache.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(1, p.exitValue(), out);
        String error = out.lines().filter(l -> l.startsWith("medseg segment: error:")).findFirst().orElse(out);
        assertEquals("medseg segment: error: libtorch 2.7.1 cu128 (MEDSEG_LIBTORCH=cu128) is not in DJL's cache "
                + cache.resolve("pytorch") + "; run `medseg setup-gpu` once to fetch it (about 2.5 GB from publish.djl.ai), "
                + "or see docs/commands.md#gpu", error);
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    private static Path mask(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
        }
    }

    /** medseg in a fresh JVM with PYTORCH_LIBRARY_PATH (+ version, flavour) naming {@code lib}; its output. */
    private static String run(Path tmp, Path lib, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Xmx2g", "-cp", System.getProperty("java.class.path"), Medseg.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PYTORCH_LIBRARY_PATH", lib.toString());
        pb.environment().put("PYTORCH_VERSION", LibTorchInfo.current().version());
        pb.environment().put("PYTORCH_FLAVOR", "cpu");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "medseg " + String.join(" ", args) + " finished");
        return out;
    }
}
