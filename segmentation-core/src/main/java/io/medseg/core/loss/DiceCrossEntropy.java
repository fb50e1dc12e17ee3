package io.medseg.core.loss;

import ai.djl.ndarray.NDArray;

/** Soft Dice + cross-entropy, each with a weight (nnU-Net's default loss uses 1 and 1). */
public final class DiceCrossEntropy extends SegmentationLoss {
    private final SoftDice dice;
    private final CrossEntropy crossEntropy;
    private final float diceWeight;
    private final float crossEntropyWeight;

    public DiceCrossEntropy(SoftDice dice, CrossEntropy crossEntropy, float diceWeight, float crossEntropyWeight) {
        super("dice_ce");
        this.dice = dice;
        this.crossEntropy = crossEntropy;
        this.diceWeight = diceWeight;
        this.crossEntropyWeight = crossEntropyWeight;
    }

    public DiceCrossEntropy() {
        this(new SoftDice(), new CrossEntropy(), 1f, 1f);
    }

    @Override
    protected NDArray computeOneHot(NDArray oneHot, NDArray logits) {
        return dice.computeOneHot(oneHot, logits).mul(diceWeight)
                .add(crossEntropy.computeOneHot(oneHot, logits).mul(crossEntropyWeight));
    }
}
