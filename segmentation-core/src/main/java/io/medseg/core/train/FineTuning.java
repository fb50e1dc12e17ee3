package io.medseg.core.train;

import java.util.Set;

/**
 * How a run trains a network that started from a trained bundle ({@link PretrainedWeights}).
 *
 * @param freeze what stays fixed
 * @param pretrainedLearningRate factor on the learning rate of the parameters taken from the parent
 *     (1: the same as the new ones; e.g. 0.1 to change them ten times slower); the head always learns
 *     at the full rate
 * @param pretrained names of the parameters taken from the parent
 */
public record FineTuning(Freeze freeze, float pretrainedLearningRate, Set<String> pretrained) {
    public FineTuning {
        if (!(pretrainedLearningRate > 0 && pretrainedLearningRate <= 1)) {
            throw new IllegalArgumentException("the pretrained layers' learning-rate factor must be > 0 and <= 1, got "
                    + pretrainedLearningRate);
        }
        pretrained = Set.copyOf(pretrained);
    }
}
