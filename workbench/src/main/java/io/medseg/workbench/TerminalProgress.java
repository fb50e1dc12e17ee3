package io.medseg.workbench;

import io.medseg.core.train.TrainingListener;
import io.medseg.pipeline.Progress;
import io.medseg.pipeline.Provenance;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress on stderr: on a terminal a bar with ETA and a line per finished case or epoch; when
 * stderr is a file or a pipe (a log, a batch system) only the lines, never {@code \r} frames;
 * nothing at all but errors when quiet.
 */
final class TerminalProgress implements Progress {
    /** What the user asked for with --quiet, and what stderr is. */
    enum Mode { BAR, LINES, QUIET }

    private final PrintStream err;
    private final Mode mode;
    private final PrintStream logFile;
    private ProgressBar bar;

    TerminalProgress(PrintStream err, Mode mode, PrintStream logFile) {
        polled = true; // every command that shows progress checks stopRequested() between its steps
        this.err = err;
        this.mode = mode;
        this.logFile = logFile;
    }

    /** A bar on a terminal, lines otherwise, nothing when quiet. */
    static TerminalProgress forStderr(boolean quiet) {
        return new TerminalProgress(System.err, mode(quiet), null);
    }

    /**
     * As {@link #forStderr}, and every line also appended, time-stamped, to {@code logFile} (when
     * not null), whatever the terminal shows.
     */
    static TerminalProgress forStderr(boolean quiet, Path logFile) throws IOException {
        if (logFile == null) {
            return forStderr(quiet);
        }
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        PrintStream log = new PrintStream(Files.newOutputStream(logFile, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), true, StandardCharsets.UTF_8);
        // a log read later, or among others appended to the same file, says what ran and where
        log.println(stamp() + " medseg " + String.join(" ", Medseg.commandLine()) + " (medseg " + Provenance.MEDSEG_VERSION
                + ", Java " + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores, in "
                + Path.of("").toAbsolutePath() + ")");
        return new TerminalProgress(System.err, mode(quiet), log);
    }

    /** UTC to the second: the log's lines are minutes apart, not nanoseconds. */
    private static String stamp() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A line for the log file only (the summary, which the command prints itself). */
    void record(String line) {
        if (logFile != null) {
            logFile.println(stamp() + " " + line);
            logFile.flush();
        }
    }

    private static Mode mode(boolean quiet) {
        return quiet ? Mode.QUIET : stderrIsTerminal() ? Mode.BAR : Mode.LINES;
    }

    /** Linux: fd 2 is a tty device; elsewhere Java's console test (which looks at stdin and stdout). */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return System.console() != null;
        }
    }

    @Override
    public void start(String task, long total, String unit) {
        if (mode == Mode.BAR) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).setUnit(" " + unit, 1).setMaxRenderedLength(160)
                    .setConsumer(new ConsoleProgressBarConsumer(err)).build();
        }
    }

    @Override
    public void update(long done, long total, String detail) {
        if (bar != null) {
            bar.maxHint(total);
            bar.stepTo(done);
            bar.setExtraMessage(detail);
        }
    }

    @Override
    public void message(String line) {
        if (logFile != null) {
            logFile.println(stamp() + " " + line);
        }
        if (mode == Mode.QUIET) {
            return;
        }
        // on a terminal, clear the bar's line first so the message does not mix with it
        err.println(mode == Mode.BAR ? "\r\033[K" + line : line);
    }

    /**
     * Ctrl-C (SIGINT) and SIGTERM (what kill, SLURM and Kubernetes send) ask running work to stop after
     * the case or training step it is in, so the summary is printed and the last outputs are complete;
     * nothing is freed under a libtorch call still running (that crashed the JVM in native code). A
     * second signal ends the process at once (atomic writes still leave no half-written file). A
     * command that shows no progress (info, models) polls no flag: there a signal ends it at once.
     */
    private static final AtomicInteger INTERRUPTS = new AtomicInteger();
    private static volatile boolean polled;
    private static volatile int stopCode = 130;

    /** The exit code of a run stopped by a signal: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
    static int stopExitCode() {
        return stopCode;
    }

    static void stopOnSignals() {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                int code = 128 + ("INT".equals(name) ? 2 : 15);
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    if (!polled) {
                        System.exit(code); // nothing long-running is listening for the flag
                    }
                    stopCode = code;
                    if (INTERRUPTS.incrementAndGet() > 1) {
                        Runtime.getRuntime().halt(code);
                    }
                    System.err.println("\nSIG" + name + ": stopping after the current step (" + ("INT".equals(name)
                            ? "Ctrl-C" : "the signal") + " again to quit at once)");
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // no such signal on this platform: it ends the process as usual
            }
        }
    }

    @Override
    public boolean stopRequested() {
        return INTERRUPTS.get() > 0;
    }

    @Override
    public void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (logFile != null) {
            logFile.flush();
        }
    }

    /**
     * A training listener: the bar over all steps with loss and validation Dice, and one line per
     * epoch; {@link #finish()} closes the bar.
     */
    TrainingListener training() {
        return new TrainingListener() {
            private double runningLoss = Double.NaN;
            private String validation = "";
            private long started;
            private int totalSteps;
            private int stepsDone;

            @Override
            public void started(int totalIterations, int trainingCases, int validationCases) {
                started = System.nanoTime();
                totalSteps = totalIterations;
                message(String.format(Locale.ROOT, "training on %d cases, validating on %d, %d steps", trainingCases,
                        validationCases, totalIterations));
                start("train", totalIterations, "steps");
            }

            @Override
            public void iteration(int done, int epoch, float loss) {
                stepsDone = done;
                runningLoss = Double.isNaN(runningLoss) ? loss : 0.9 * runningLoss + 0.1 * loss;
                update(done, bar == null ? done : bar.getMax(), String.format(Locale.ROOT, "ep %d loss %.4f%s", epoch,
                        runningLoss, validation));
            }

            @Override
            public boolean stopRequested() {
                return TerminalProgress.this.stopRequested();
            }

            @Override
            public void epochEnded(EpochRecord r) {
                validation = String.format(Locale.ROOT, " val Dice %.4f (best %.4f @%d)", r.validationDice(), r.bestDice(),
                        r.bestEpoch());
                double seconds = (System.nanoTime() - started) / 1e9;
                // the time so far includes every validation, so this ETA does too (an upper bound if it stops early)
                long eta = stepsDone == 0 ? 0 : Math.round(seconds * (totalSteps - stepsDone) / stepsDone);
                message(String.format(Locale.ROOT, "epoch %d: loss %.4f, validation Dice %.4f (best %.4f at epoch %d), %.0f s,"
                        + " ETA %d:%02d:%02d", r.epoch(), r.meanLoss(), r.validationDice(), r.bestDice(), r.bestEpoch(), seconds,
                        eta / 3600, eta / 60 % 60, eta % 60));
            }
        };
    }
}
