package io.medseg.core.train;

import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.medseg.core.bundle.TrainingSettings;
import io.medseg.core.loss.CrossEntropy;
import io.medseg.core.loss.DiceCrossEntropy;
import io.medseg.core.loss.SoftDice;

/** Turns {@link TrainingSettings} into DJL's optimiser, learning-rate tracker and loss. */
final class Optimizers {
    private Optimizers() {}

    /** @param stepsDone updates already made (a continued run): the schedule and bias corrections go on from there */
    static Optimizer optimizer(TrainingSettings s, Tracker learningRate, int stepsDone) {
        return switch (s.optimizer()) {
            case ADAM -> Optimizer.adam().optLearningRateTracker(learningRate).optWeightDecays(s.weightDecay())
                    .optBeginNumUpdate(stepsDone).build();
            case ADAMW -> Optimizer.adamW().optLearningRateTracker(learningRate).optWeightDecays(s.weightDecay())
                    .optBeginNumUpdate(stepsDone).build();
            case SGD -> Optimizer.sgd().setLearningRateTracker(learningRate).optMomentum(s.momentum())
                    .optWeightDecays(s.weightDecay()).optBeginNumUpdate(stepsDone).build();
        };
    }

    /** The learning rate at step {@code update} of {@code total}. */
    static Tracker schedule(TrainingSettings s, int total) {
        float base = s.learningRate();
        return update -> {
            double t = Math.min(1.0, (double) update / total);
            return switch (s.schedule()) {
                case CONSTANT -> base;
                case POLY -> (float) (base * Math.pow(1 - t, 0.9));
                case COSINE -> (float) (base * 0.5 * (1 + Math.cos(Math.PI * t)));
            };
        };
    }

    static Loss loss(TrainingSettings s) {
        return switch (s.loss()) {
            case DICE_CE -> new DiceCrossEntropy();
            case CE -> new CrossEntropy();
            case DICE -> new SoftDice();
            case VNET_DICE -> SoftDice.vnet();
        };
    }
}
