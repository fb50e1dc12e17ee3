package io.medseg.core.train;

/** Told how training goes: the command line draws a progress bar, Fiji a status bar. */
public interface TrainingListener {

    /** Before the first step. */
    default void started(int totalIterations, int trainingCases, int validationCases) {}

    /** After every optimiser step; {@code done} counts from 1 over the whole run. */
    default void iteration(int done, int epoch, float loss) {}

    /** After each epoch's validation. */
    default void epochEnded(EpochRecord record) {}

    /**
     * Asked after every step: true stops the run there. The unfinished epoch is dropped; the best
     * bundle and the state of the last finished epoch are kept, so the run can be continued exactly.
     */
    default boolean stopRequested() {
        return false;
    }

    /** One epoch's figures. */
    record EpochRecord(int epoch, double meanLoss, double validationDice, double learningRate, boolean best,
            double bestDice, int bestEpoch) {}
}
