package io.medseg.workbench;

import java.io.IOException;
import io.medseg.files.OutputExistsException;
import io.medseg.pipeline.StoppedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code medseg} command. */
@Command(name = "medseg", mixinStandardHelpOptions = true, version = "medseg 0.1.0",
        description = "Medical image segmentation workbench: U-Net/V-Net training, inference and evaluation.",
        subcommands = {TrainCommand.class, SegmentCommand.class, EvaluateCommand.class, InfoCommand.class, DemoCommand.class, BenchReadCommand.class, BenchMetricsCommand.class,
                BenchCommand.class, Bench3dCommand.class})
public final class Medseg {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit code; errors print one clear line, not a stack trace. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Medseg());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // bad input and I/O problems (ImageFileException names the file) get one line, not a stack trace
            if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof StoppedException) {
                String message = e instanceof OutputExistsException f
                        ? f.getFile() + " " + f.getReason() + "; pass --overwrite to replace it"
                        : e instanceof FileAlreadyExistsException f
                        ? f.getFile() + " " + (f.getReason() == null ? "exists" : f.getReason()) : e.getMessage();
                commandLine.getErr().println("medseg " + commandLine.getCommandName() + ": error: " + message);
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** The installation folder (the launcher sets {@code medseg.home}); bundled data lives below it. */
    static Path home() {
        return Path.of(System.getProperty("medseg.home", ".")).toAbsolutePath().normalize();
    }
}
