package io.medseg.workbench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** medseg in a fresh JVM with this test's class path: for kills and for settings that apply at start only. */
final class SecondJvm {
    private SecondJvm() {}

    static Process start(Path log, String... args) throws Exception {
        // a build started in the background by a shell inherits SIGINT ignored, and the JVM then
        // installs no handler for it: the Ctrl-C test would see nothing; env restores the default
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Xmx2g", "-cp", System.getProperty("java.class.path"), Medseg.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
