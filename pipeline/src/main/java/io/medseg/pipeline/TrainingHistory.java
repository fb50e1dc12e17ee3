package io.medseg.pipeline;

import io.medseg.files.OutputExistsException;
import io.medseg.core.train.TrainingListener;
import io.medseg.core.train.TrainingListener.EpochRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The record of a training run in its {@link TrainingFiles} folder: {@code history.csv} (one row per
 * epoch: loss, validation Dice, learning rate, best so far) and {@code train.log} (settings, plan and
 * the same figures with time stamps). Both are flushed after every epoch so a long run can be followed.
 */
public final class TrainingHistory implements TrainingListener, AutoCloseable {
    private final PrintWriter csv;
    private final PrintWriter log;
    private final Path curve;
    private final List<EpochRecord> records = new ArrayList<>();
    private final long start = System.nanoTime();

    private TrainingHistory(PrintWriter csv, PrintWriter log, Path curve) {
        this.csv = csv;
        this.log = log;
        this.curve = curve;
        csv.println("epoch,mean_loss,validation_dice,learning_rate,best,best_dice,best_epoch,seconds");
        csv.flush();
    }

    /**
     * Opens the history and the log of {@code bundle}'s run (and, when closed, draws the learning
     * curve); refuses to replace them unless asked.
     *
     * @param continued the epochs of the run being continued (null for a new run): the history is
     *     written anew from them, so it matches the saved state whatever the kill interrupted, and
     *     the log is appended to
     */
    public static TrainingHistory of(Path bundle, boolean overwrite, List<EpochRecord> continued) throws IOException {
        TrainingFiles files = TrainingFiles.of(bundle);
        Path csv = files.history();
        Path log = files.log();
        for (Path p : new Path[] {csv, log}) {
            if (Files.exists(p) && !overwrite && continued == null) {
                throw new OutputExistsException(p);
            }
        }
        Files.createDirectories(files.folder());
        OpenOption[] logMode = continued != null
                ? new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.APPEND}
                : new OpenOption[0];
        TrainingHistory h = new TrainingHistory(new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8)),
                new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8, logMode)),
                files.learningCurve());
        if (continued != null) {
            continued.forEach(r -> h.row(r, ""));
            h.log("continued after epoch " + continued.size());
        }
        return h;
    }

    private void row(EpochRecord r, String seconds) {
        records.add(r);
        csv.printf(Locale.ROOT, "%d,%.6f,%.6f,%.6g,%b,%.6f,%d,%s%n", r.epoch(), r.meanLoss(), r.validationDice(),
                r.learningRate(), r.best(), r.bestDice(), r.bestEpoch(), seconds);
        csv.flush();
    }

    void log(String line) {
        log.println(Instant.now() + " " + line);
        log.flush();
    }

    @Override
    public void started(int totalIterations, int trainingCases, int validationCases) {
        log(String.format(Locale.ROOT, "started: %d iterations, %d training and %d validation cases", totalIterations,
                trainingCases, validationCases));
    }

    @Override
    public void epochEnded(EpochRecord r) {
        row(r, String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
        log(String.format(Locale.ROOT, "epoch %d: loss %.4f, validation Dice %.4f%s", r.epoch(), r.meanLoss(),
                r.validationDice(), r.best() ? " (best, bundle saved)" : ""));
        if (csv.checkError() || log.checkError()) {
            throw new UncheckedIOException(new IOException("could not write the training history beside the bundle"));
        }
    }

    /** This listener, then {@code next}. */
    TrainingListener andThen(TrainingListener next) {
        TrainingHistory self = this;
        return new TrainingListener() {
            @Override
            public void started(int total, int training, int validation) {
                self.started(total, training, validation);
                next.started(total, training, validation);
            }

            @Override
            public void iteration(int done, int epoch, float loss) {
                next.iteration(done, epoch, loss);
            }

            @Override
            public void epochEnded(EpochRecord record) {
                self.epochEnded(record);
                next.epochEnded(record);
            }

            @Override
            public boolean stopRequested() {
                return next.stopRequested();
            }
        };
    }

    @Override
    public void close() {
        log("finished");
        try {
            LearningCurve.write(records, curve);
        } catch (IOException e) {
            log("could not write " + curve + ": " + e.getMessage());
        }
        csv.close();
        log.close();
    }
}
