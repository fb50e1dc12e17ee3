package io.medseg.workbench;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --quiet} and {@code --log-file}, shared by the commands that show progress. */
final class LogOptions {
    @Option(names = "--quiet", description = "print only errors and the final summary")
    boolean quiet;
    @Option(names = "--log-file", description = "also append every progress line (one per case or epoch), time-stamped, "
            + "to this file")
    Path logFile;

    TerminalProgress progress() throws IOException {
        return TerminalProgress.forStderr(quiet, logFile);
    }
}
