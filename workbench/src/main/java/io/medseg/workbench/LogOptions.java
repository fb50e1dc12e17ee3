package io.medseg.workbench;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --quiet} and {@code --log-file}, shared by the commands that show progress. */
final class LogOptions {
    @Option(names = "--quiet", description = "print only errors and the final summary")
    boolean quiet;
    @Option(names = "--log-file", description = "also append to this file: the command line and versions, every "
            + "progress line (one per case with its time, or per epoch) and the summary, each stamped to the second (UTC)")
    Path logFile;

    TerminalProgress progress() throws IOException {
        return TerminalProgress.forStderr(quiet, logFile);
    }
}
