package io.medseg.core.bundle;

import io.medseg.core.augment.AugmentationSettings;
import io.medseg.core.engine.Precision;
import io.medseg.core.engine.TensorLayout;

/**
 * How to train: optimiser, schedule, loss, sampling and augmentation. Stored in the bundle so a
 * result can be reproduced; the same settings, data and seed give the same weights on the CPU.
 *
 * @param patchSize training patch, tensor order ([D,] H, W)
 * @param iterationsPerEpoch optimiser steps per epoch (an epoch is a fixed number of random patches,
 *     as in nnU-Net, not a pass over the images)
 * @param validationFraction share of the cases held out for validation (at least one case)
 * @param patience epochs without a better validation Dice before stopping; 0 = never stop early
 * @param foregroundFraction share of patches centred on a foreground voxel (nnU-Net: 1/3)
 * @param gradientClipNorm the gradients' global L2 norm is scaled down to this when larger (nnU-Net: 12);
 *     0 = no clipping (bundles written before the setting existed read as 0)
 * @param precision the arithmetic of the forward and backward passes: {@code BF16}, or null for fp32
 *     (stored only when bf16, so an fp32 bundle's model.json is what it was before the setting existed)
 */
public record TrainingSettings(OptimizerKind optimizer, float learningRate, float weightDecay, float momentum,
        Schedule schedule, LossKind loss, int epochs, int iterationsPerEpoch, int batchSize, int[] patchSize,
        float validationFraction, int patience, float foregroundFraction, long seed, AugmentationSettings augmentation,
        float gradientClipNorm, Precision precision) {

    /** Optimisers DJL provides. */
    public enum OptimizerKind { ADAM, ADAMW, SGD }

    /** Learning-rate schedules: constant, poly (lr·(1 − t/T)^0.9, nnU-Net) or cosine to zero. */
    public enum Schedule { CONSTANT, POLY, COSINE }

    /** Losses of {@link io.medseg.core.loss}; VNET_DICE is the V-Net paper's squared-denominator Dice. */
    public enum LossKind { DICE_CE, CE, DICE, VNET_DICE }

    public TrainingSettings {
        positive("learningRate", learningRate);
        if (weightDecay < 0 || momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("weightDecay must be >= 0 and momentum in [0, 1), got " + weightDecay
                    + " and " + momentum);
        }
        positive("epochs", epochs);
        positive("iterationsPerEpoch", iterationsPerEpoch);
        positive("batchSize", batchSize);
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 1), got " + validationFraction);
        }
        if (patience < 0 || foregroundFraction < 0 || foregroundFraction > 1) {
            throw new IllegalArgumentException("patience must be >= 0 and foregroundFraction in [0, 1], got "
                    + patience + " and " + foregroundFraction);
        }
        for (int p : patchSize) {
            positive("patch size", p);
        }
        if (!(gradientClipNorm >= 0) || Float.isInfinite(gradientClipNorm)) {
            throw new IllegalArgumentException("gradientClipNorm must be >= 0 (0 = no clipping), got " + gradientClipNorm);
        }
        patchSize = patchSize.clone();
        precision = precision == Precision.FP32 ? null : precision;
    }

    /** Settings without gradient clipping, in fp32. */
    public TrainingSettings(OptimizerKind optimizer, float learningRate, float weightDecay, float momentum,
            Schedule schedule, LossKind loss, int epochs, int iterationsPerEpoch, int batchSize, int[] patchSize,
            float validationFraction, int patience, float foregroundFraction, long seed, AugmentationSettings augmentation) {
        this(optimizer, learningRate, weightDecay, momentum, schedule, loss, epochs, iterationsPerEpoch, batchSize,
                patchSize, validationFraction, patience, foregroundFraction, seed, augmentation, 0f, null);
    }

    /** The same settings trained in {@code p}. */
    public TrainingSettings withPrecision(Precision p) {
        return new TrainingSettings(optimizer, learningRate, weightDecay, momentum, schedule, loss, epochs,
                iterationsPerEpoch, batchSize, patchSize, validationFraction, patience, foregroundFraction, seed,
                augmentation, gradientClipNorm, p);
    }

    /** The arithmetic training runs in (fp32 where none is stored). */
    public Precision arithmetic() {
        return precision == null ? Precision.FP32 : precision;
    }

    private static void positive(String name, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(name + " must be > 0, got " + v);
        }
    }

    @Override
    public String toString() {
        return optimizer + " lr " + learningRate + " " + schedule + ", " + loss + ", " + epochs + " epochs x "
                + iterationsPerEpoch + " iterations, batch " + batchSize + ", patch " + TensorLayout.describe(patchSize)
                + ", seed " + seed + (gradientClipNorm > 0 ? ", gradient norm clipped at " + gradientClipNorm : "")
                + (precision != null ? ", " + precision.label() : "");
    }
}
