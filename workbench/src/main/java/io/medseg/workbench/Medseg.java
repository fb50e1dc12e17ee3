package io.medseg.workbench;

import java.io.IOException;
import io.medseg.files.OutputExistsException;
import io.medseg.pipeline.StoppedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code medseg} command. */
@Command(name = "medseg", mixinStandardHelpOptions = true, versionProvider = Medseg.Versions.class,
        description = "Medical image segmentation workbench: U-Net/V-Net training, inference and evaluation.",
        subcommands = {TrainCommand.class, SegmentCommand.class, EvaluateCommand.class, InfoCommand.class, ModelsCommand.class,
                DemoCommand.class, BenchReadCommand.class, BenchMetricsCommand.class, BenchCommand.class, Bench3dCommand.class,
                CommandLine.HelpCommand.class})
public final class Medseg {
    static {
        // DJL probes CUDA on every start and warns twice when there is none; --version says which device is used
        if (System.getProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        }
    }

    /** {@code --version}: medseg and the libraries and device a run would use. */
    static final class Versions implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            ai.djl.engine.Engine engine = io.medseg.core.engine.Devices.engine();
            return new String[] {"medseg 0.1.0", "DJL " + ai.djl.engine.Engine.getDjlVersion() + ", libtorch "
                    + engine.getVersion() + " (" + engine.getEngineName() + " engine)", "Java " + System.getProperty("java.version")
                    + " (" + System.getProperty("java.vm.name") + ")", "device: " + io.medseg.core.engine.Devices.select("auto")
                    + (engine.getGpuCount() == 0 ? " (no GPU seen)" : ", " + engine.getGpuCount() + " GPU(s)")};
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit code; errors print one clear line, not a stack trace. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Medseg()).setCaseInsensitiveEnumValuesAllowed(true);
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
