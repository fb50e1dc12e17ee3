package io.medseg.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import java.util.stream.IntStream;

/**
 * Base of the per-pixel losses: validates labels against logits and one-hot encodes them.
 * Labels may be (N, S...) or (N, 1, S...) with class indices in [0, K).
 */
public abstract class SegmentationLoss extends Loss {

    protected SegmentationLoss(String name) {
        super(name);
    }

    @Override
    public final NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow();
        NDArray target = checkedLabels(labels.singletonOrThrow(), logits.getShape());
        return compute(target, logits);
    }

    /** The loss of logits (N, K, S...) against one-hot targets (N, K, S...) as a scalar. */
    protected abstract NDArray computeOneHot(NDArray oneHot, NDArray logits);

    private NDArray compute(NDArray labels, NDArray logits) {
        int classes = Math.toIntExact(logits.getShape().get(1));
        NDArray oneHot = labels.toType(DataType.INT64, false).oneHot(classes);
        int n = oneHot.getShape().dimension();
        int[] toChannelsFirst = new int[n];
        toChannelsFirst[0] = 0;
        toChannelsFirst[1] = n - 1;
        for (int k = 2; k < n; k++) {
            toChannelsFirst[k] = k - 1;
        }
        return computeOneHot(oneHot.transpose(toChannelsFirst).toType(logits.getDataType(), false), logits);
    }

    /**
     * Checks that labels fit logits (N, K, S...) and returns them as (N, S...).
     *
     * @throws IllegalArgumentException naming both shapes, or the offending class index
     */
    public static NDArray checkedLabels(NDArray labels, Shape logits) {
        if (logits.dimension() < 3) {
            throw new IllegalArgumentException("logits must be (N, K, spatial...), got " + logits);
        }
        Shape expected = new Shape(logits.get(0)).addAll(logits.slice(2));
        Shape got = labels.getShape();
        NDArray squeezed = labels;
        if (got.dimension() == logits.dimension() && got.get(1) == 1) {
            squeezed = labels.squeeze(1);
        }
        if (!squeezed.getShape().equals(expected)) {
            throw new IllegalArgumentException("labels have shape " + got + " but logits " + logits
                    + " need labels " + expected + " (or with a channel axis of 1)");
        }
        long max = squeezed.max().toType(DataType.INT64, false).getLong();
        long min = squeezed.min().toType(DataType.INT64, false).getLong();
        if (min < 0 || max >= logits.get(1)) {
            throw new IllegalArgumentException("labels must be class indices in [0, " + logits.get(1)
                    + "), found values from " + min + " to " + max);
        }
        return squeezed;
    }

    /** Axes 2.. of an (N, K, S...) array. */
    protected static int[] spatialAxes(NDArray a) {
        return IntStream.range(2, a.getShape().dimension()).toArray();
    }
}
