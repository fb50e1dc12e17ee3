package io.medseg.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DivergenceWatchTest {
    @Test
    void aFallingOrNoisyLossTrainsOn() {
        DivergenceWatch w = new DivergenceWatch();
        for (int s = 1; s <= 500; s++) {
            w.step(s, 1 + s / 25, (float) (1.5 / Math.sqrt(s) * (s % 7 == 0 ? 30 : 1))); // spikes of 30x are not divergence
        }
    }

    @Test
    void aNonFiniteLossStopsAtOnce() {
        DivergenceWatch w = new DivergenceWatch();
        w.step(1, 1, 1.4f);
        var e = assertThrows(TrainingDivergedException.class, () -> w.step(2, 1, Float.NaN));
        assertEquals("training diverged at step 2 (epoch 1): the loss is NaN; a lower learning rate, normalisation layers"
                + " or gradient clipping keep it in range (the bundle keeps the best epoch before it, if one finished)",
                e.getMessage());
    }

    @Test
    void anExplodingLossStopsOnceItsRunningMeanIsAHundredTimesTheStart() {
        DivergenceWatch w = new DivergenceWatch();
        float[] losses = {2, 2, 2, 2, 2, 100, 300, 300, 300, 300}; // last five average 260: 130x the first five
        for (int s = 0; s < losses.length - 1; s++) {
            w.step(s + 1, 1, losses[s]);
        }
        var e = assertThrows(TrainingDivergedException.class, () -> w.step(10, 1, losses[9]));
        assertEquals("training diverged at step 10 (epoch 1): the loss rose from 2.000 (mean of the first 5 steps) to"
                + " 260.0 (mean of the last 5); a lower learning rate, normalisation layers or gradient clipping keep it"
                + " in range (the bundle keeps the best epoch before it, if one finished)", e.getMessage());
    }

    @Test
    void aLossFarOutOfRangeAtTheFirstStepStopsAtOnce() {
        DivergenceWatch w = new DivergenceWatch();
        var e = assertThrows(TrainingDivergedException.class, () -> w.step(1, 1, 15310f));
        assertEquals("training diverged at step 1 (epoch 1): the loss starts at 1.531e+04, where these losses start near"
                + " 1-3: the network's outputs are out of range before any training (normalisation layers keep them in"
                + " range)", e.getMessage());
    }
}
