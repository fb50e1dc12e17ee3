package io.medseg.core.loss;

import ai.djl.ndarray.NDArray;

/**
 * Soft Dice loss (Milletari et al., 2016, V-Net; multi-class as in nnU-Net): 1 − mean over classes
 * of (2·Σp·g + ε) / (Σp + Σg + ε), with p the softmax probabilities and g the one-hot labels. The
 * V-Net paper's own form squares the denominator terms, (2·Σp·g) / (Σp² + Σg²), per volume
 * ({@link #vnet()}).
 *
 * <p>{@code batchDice} sums over the whole batch before dividing (nnU-Net's batch Dice, stable
 * with small structures); otherwise each sample gets its own Dice and they are averaged.
 * The background class is left out unless {@code includeBackground}.
 */
public final class SoftDice extends SegmentationLoss {
    private final boolean batchDice;
    private final boolean includeBackground;
    private final float smooth;
    private final boolean squared;

    public SoftDice(boolean batchDice, boolean includeBackground, float smooth) {
        this(batchDice, includeBackground, smooth, false);
    }

    public SoftDice(boolean batchDice, boolean includeBackground, float smooth, boolean squared) {
        super("soft_dice");
        if (!(smooth >= 0)) {
            throw new IllegalArgumentException("smooth must be >= 0, got " + smooth);
        }
        this.batchDice = batchDice;
        this.includeBackground = includeBackground;
        this.smooth = smooth;
        this.squared = squared;
    }

    /** Milletari et al. (2016), eq. 1: squared denominators, each volume on its own, foreground classes. */
    public static SoftDice vnet() {
        return new SoftDice(false, false, 1e-5f, true);
    }

    /** nnU-Net's defaults: batch Dice, background excluded, ε = 1e-5. */
    public SoftDice() {
        this(true, false, 1e-5f);
    }

    @Override
    protected NDArray computeOneHot(NDArray oneHot, NDArray logits) {
        long classes = logits.getShape().get(1);
        if (!includeBackground && classes < 2) {
            throw new IllegalArgumentException("soft Dice without background needs >= 2 classes, got " + classes);
        }
        NDArray probs = logits.softmax(1);
        if (!includeBackground) {
            probs = probs.get(":, 1:");
            oneHot = oneHot.get(":, 1:");
        }
        int[] axes = spatialAxes(probs);
        if (batchDice) {
            int[] withBatch = new int[axes.length + 1];
            System.arraycopy(axes, 0, withBatch, 1, axes.length);
            axes = withBatch;
        }
        NDArray intersection = probs.mul(oneHot).sum(axes);
        NDArray denominator = squared ? probs.square().sum(axes).add(oneHot.square().sum(axes))
                : probs.sum(axes).add(oneHot.sum(axes));
        NDArray dice = intersection.mul(2).add(smooth).div(denominator.add(smooth));
        return dice.mean().neg().add(1);
    }
}
