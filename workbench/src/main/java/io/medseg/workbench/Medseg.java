package io.medseg.workbench;

import ai.djl.engine.Engine;
import io.medseg.core.engine.Devices;
import io.medseg.core.engine.LibTorchInfo;
import io.medseg.core.engine.Precision;
import io.medseg.core.train.TrainingDivergedException;
import io.medseg.files.OutputExistsException;
import io.medseg.io.dicomweb.DicomWebAddress;
import io.medseg.pipeline.Provenance;
import io.medseg.pipeline.StoppedException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code medseg} command. */
@Command(name = "medseg", mixinStandardHelpOptions = true, versionProvider = Medseg.Versions.class,
        description = "Medical image segmentation workbench: U-Net/V-Net training, inference and evaluation.",
        subcommands = {TrainCommand.class, SegmentCommand.class, EvaluateCommand.class, ReproduceCommand.class, ConvertCommand.class,
                GenerateCtCommand.class, GenerateDentalCommand.class, ExplainCommand.class,
                InfoCommand.class, StatisticsCommand.class, PacsCommand.class, DomainCommand.class, ImportNnUNetCommand.class,
                ModelsCommand.class, InstallFijiCommand.class, SetupGpuCommand.class,
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
            Engine engine = Devices.engine();
            return new String[] {"medseg " + Provenance.MEDSEG_VERSION, "DJL " + Engine.getDjlVersion() + ", libtorch "
                    + engine.getVersion() + " (" + engine.getEngineName() + " engine)",
                    "libtorch " + LibTorchInfo.current().describe(), "Java " + System.getProperty("java.version")
                    + " (" + System.getProperty("java.vm.name") + ")", "device: " + Devices.select("auto")
                    + (engine.getGpuCount() == 0 ? " (no GPU seen)" : ", " + engine.getGpuCount() + " GPU(s)"),
                    "precision: --precision auto would run " + Precision.select("auto", "auto", Devices.select("auto"))
                            .describe()};
        }
    }

    public static void main(String[] args) {
        TerminalProgress.stopOnSignals();
        System.exit(run(args));
    }

    /** Options whose value is a path: a manifest records them absolute, so a rerun works from any folder. */
    private static final Set<String> PATH_OPTIONS = Set.of("--data", "--output", "--model", "--input",
            "--reference", "--prediction", "--labels", "--images", "--log-file", "--init-from", "--image", "--mask",
            "--credentials");
    private static final ThreadLocal<List<String>> COMMAND_LINE = new ThreadLocal<>();

    /** The running command line with its paths made absolute (bundled model names stay names). */
    static List<String> commandLine() {
        List<String> args = COMMAND_LINE.get();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            // a DICOMweb address is not a path: it is recorded as given
            boolean pathValue = i > 0 && PATH_OPTIONS.contains(args.get(i - 1)) && !DicomWebAddress.looksLikeOne(a);
            if (pathValue && (args.get(i - 1).equals("--model") || args.get(i - 1).equals("--init-from"))) {
                a = ModelsCommand.resolve(Path.of(a)).toAbsolutePath().normalize().toString();
            } else if (pathValue) {
                a = Path.of(a).toAbsolutePath().normalize().toString();
            }
            out.add(a);
        }
        return out;
    }

    /** Runs a command line and returns the exit code; errors print one clear line, not a stack trace. */
    public static int run(String... args) {
        List<String> outer = COMMAND_LINE.get();
        COMMAND_LINE.set(List.of(args));
        try {
            return execute(args);
        } finally {
            COMMAND_LINE.set(outer);
        }
    }

    private static int execute(String... args) {
        CommandLine cli = new CommandLine(new Medseg()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(new UsageErrors());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // bad input and I/O problems (ImageFileException names the file) get one line, not a stack trace
            if (e instanceof StoppedException) {
                String name = commandLine.getCommandName();
                commandLine.getErr().println("medseg " + name + ": stopped: " + e.getMessage()
                        + (name.equals("segment") || name.equals("train") ? "; the same command with --continue finishes it"
                        : ""));
                return TerminalProgress.stopExitCode();
            }
            if (e instanceof IllegalArgumentException || e instanceof IOException
                    || e instanceof TrainingDivergedException) {
                String message = e instanceof OutputExistsException f
                        ? f.getFile() + " " + f.getReason() + "; " + howToGoOn(commandLine.getCommandName(), f)
                        : e instanceof FileAlreadyExistsException f
                        ? f.getFile() + " " + (f.getReason() == null ? "exists" : f.getReason()) : e.getMessage();
                commandLine.getErr().println("medseg " + commandLine.getCommandName() + ": error: " + message);
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** What to pass when an output exists: the commands that can resume say so before offering to replace. */
    static String howToGoOn(String command, OutputExistsException e) {
        if (command.equals("segment")) {
            return "pass --continue to keep the complete masks and segment the rest, or --overwrite to replace them";
        }
        if (command.equals("train") && e.getReason().contains("interrupted")) {
            return "pass --continue to finish that run, or --overwrite to start anew";
        }
        return "pass --overwrite to replace it";
    }

    /** The installation folder (the launcher sets {@code medseg.home}); bundled data lives below it. */
    static Path home() {
        return Path.of(System.getProperty("medseg.home", ".")).toAbsolutePath().normalize();
    }
}
