package io.medseg.workbench;

import io.medseg.core.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars with ETA on the terminal (stderr): training steps or segmented tiles. */
final class TerminalProgress {
    private TerminalProgress() {}

    static ProgressBar bar(String task, long total, String unit) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).setUnit(" " + unit, 1).setMaxRenderedLength(160)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }

    /** A training listener drawing one bar over all steps, with loss and validation Dice. */
    static final class Training implements TrainingListener, AutoCloseable {
        private final PrintStream log;
        private ProgressBar bar;
        private double runningLoss = Double.NaN;
        private String validation = "";

        Training(PrintStream log) {
            this.log = log;
        }

        @Override
        public void started(int totalIterations, int trainingCases, int validationCases) {
            log.printf(Locale.ROOT, "training on %d cases, validating on %d, %d steps%n", trainingCases, validationCases,
                    totalIterations);
            bar = bar("train", totalIterations, "steps");
        }

        @Override
        public void iteration(int done, int epoch, float loss) {
            runningLoss = Double.isNaN(runningLoss) ? loss : 0.9 * runningLoss + 0.1 * loss;
            bar.stepTo(done);
            bar.setExtraMessage(String.format(Locale.ROOT, "ep %d loss %.4f%s", epoch, runningLoss, validation));
        }

        @Override
        public void epochEnded(EpochRecord r) {
            validation = String.format(Locale.ROOT, " val Dice %.4f (best %.4f @%d)", r.validationDice(), r.bestDice(),
                    r.bestEpoch());
            bar.setExtraMessage(String.format(Locale.ROOT, "ep %d loss %.4f%s", r.epoch(), runningLoss, validation));
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
