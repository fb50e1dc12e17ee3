package io.medseg.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launchers' first build (scripts/lib/build-if-stale.sh), with a stand-in for Maven: plain text, and a failure said. */
class LauncherBuildTest {
    private static final Path SCRIPT = Path.of("..", "scripts", "lib", "build-if-stale.sh").toAbsolutePath().normalize();

    /** Runs the script in a checkout without jars, Maven replaced by one that prints colour codes and exits with {@code code}. */
    private static CommandLineTest.Run build(Path tmp, int code) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("checkout"));
        Files.createDirectories(root.resolve("workbench/target"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/usr/bin/env bash\nprintf '\\033[0m\\033[0mcompiling\\033[1m done\\033[m\\n'\nexit " + code
                + "\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail; root=\"$1\"; source \"$2\"; echo sourced",
                "launcher", root.toString(), SCRIPT.toString());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new CommandLineTest.Run(p.waitFor(), out, err);
    }

    @Test
    void theBuildOutputHasNoColourCodes(@TempDir Path tmp) throws Exception {
        CommandLineTest.Run run = build(tmp, 0);
        assertEquals(0, run.code(), run.err());
        assertEquals("sourced\n", run.out());
        assertTrue(run.err().contains("compiling done"), run.err());
        assertFalse(run.err().contains("\u001b"), run.err());
    }

    @Test
    void aFailedBuildStopsTheLauncherSayingSo(@TempDir Path tmp) throws Exception {
        CommandLineTest.Run run = build(tmp, 3);
        assertEquals(1, run.code(), run.err());
        assertEquals("", run.out(), "the launcher does not go on to run java");
        assertTrue(run.err().endsWith("medseg: the build failed (output above)\n"), run.err());
    }
}
