package io.medseg.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Softmax cross-entropy per pixel, averaged as PyTorch's {@code F.cross_entropy}: without class
 * weights the mean over pixels; with weights w, Σ w[y]·(−log p[y]) / Σ w[y].
 */
public final class CrossEntropy extends SegmentationLoss {
    private final float[] classWeights;

    /** Unweighted cross-entropy. */
    public CrossEntropy() {
        this(null);
    }

    /** @param classWeights one positive weight per class, or null for none */
    public CrossEntropy(float[] classWeights) {
        super("cross_entropy");
        if (classWeights != null) {
            for (float w : classWeights) {
                if (!(w >= 0) || Float.isInfinite(w)) {
                    throw new IllegalArgumentException("class weights must be finite and >= 0, got " + w);
                }
            }
        }
        this.classWeights = classWeights == null ? null : classWeights.clone();
    }

    @Override
    protected NDArray computeOneHot(NDArray oneHot, NDArray logits) {
        NDArray logProbs = logits.logSoftmax(1);
        NDArray weighted = oneHot;
        if (classWeights != null) {
            if (classWeights.length != logits.getShape().get(1)) {
                throw new IllegalArgumentException("class weights have " + classWeights.length
                        + " entries but the logits have " + logits.getShape().get(1) + " classes");
            }
            long[] s = new long[logits.getShape().dimension()];
            Arrays.fill(s, 1);
            s[1] = classWeights.length;
            weighted = oneHot.mul(logits.getManager().create(classWeights).reshape(new Shape(s)));
        }
        return weighted.mul(logProbs).sum().neg().div(weighted.sum());
    }
}
