package io.medseg.core.train;

import java.util.Locale;

/**
 * Stops a run whose loss has left the range it can learn in, instead of training on for hours: a
 * loss that is NaN or infinite; a first step above {@value #START_LIMIT} (every loss here, Dice,
 * cross-entropy and their sum, starts near 1–3: a network whose outputs are that far out of range
 * before any step will not learn); or a running mean of the last {@value #WINDOW} steps above
 * {@value #FACTOR} times the mean of the first {@value #WINDOW} (the V-Net without normalisation on
 * CT: 1.5e4 over its first 5 steps, 6e7 over the next 5, 4.5e12 over its first 25).
 */
final class DivergenceWatch {
    static final int WINDOW = 5;
    static final double FACTOR = 100;
    static final double START_LIMIT = 1000;

    private final double[] first = new double[WINDOW];
    private final double[] recent = new double[WINDOW];
    private int steps;

    /** Records one step's loss; throws when the run has diverged. */
    void step(int step, int epoch, float loss) {
        if (!Float.isFinite(loss)) {
            throw new TrainingDivergedException(String.format(Locale.ROOT, "training diverged at step %d (epoch %d):"
                    + " the loss is %s%s; %s", step, epoch, loss, steps >= WINDOW ? String.format(Locale.ROOT,
                    " after starting at %.4g", mean(first)) : "", ADVICE));
        }
        if (steps == 0 && loss > START_LIMIT) {
            throw new TrainingDivergedException(String.format(Locale.ROOT, "training diverged at step %d (epoch %d):"
                    + " the loss starts at %.4g, where these losses start near 1-3: the network's outputs are out of range"
                    + " before any training (normalisation layers keep them in range)", step, epoch, loss));
        }
        if (steps < WINDOW) {
            first[steps] = loss;
        }
        recent[steps % WINDOW] = loss;
        steps++;
        if (steps >= 2 * WINDOW && mean(recent) > FACTOR * Math.max(mean(first), 1e-3)) {
            throw new TrainingDivergedException(String.format(Locale.ROOT, "training diverged at step %d (epoch %d):"
                    + " the loss rose from %.4g (mean of the first %d steps) to %.4g (mean of the last %d); %s", step, epoch,
                    mean(first), WINDOW, mean(recent), WINDOW, ADVICE));
        }
    }

    private static final String ADVICE = "a lower learning rate, normalisation layers or gradient clipping keep it in"
            + " range (the bundle keeps the best epoch before it, if one finished)";

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
