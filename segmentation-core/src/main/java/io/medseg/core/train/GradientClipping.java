package io.medseg.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Clipping of the gradients' global L2 norm, as PyTorch's {@code clip_grad_norm_} (which nnU-Net
 * calls with 12 after every backward pass): when the norm over all trainable parameters exceeds the
 * limit, every gradient is scaled by limit / (norm + 1e-6). One bad patch then moves the weights a
 * bounded step instead of throwing a network without normalisation into overflow.
 */
final class GradientClipping {
    private GradientClipping() {}

    /** Scales the gradients of {@code block} in place; returns the norm before clipping. */
    static double clip(Block block, float maxNorm) {
        List<NDArray> gradients = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            if (p.getValue().requiresGradient() && array.hasGradient()) {
                gradients.add(array.getGradient());
            }
        }
        double sumOfSquares = 0;
        for (NDArray g : gradients) {
            try (NDArray squares = g.square(); NDArray sum = squares.sum()) {
                sumOfSquares += sum.getFloat();
            }
        }
        double norm = Math.sqrt(sumOfSquares);
        double coefficient = maxNorm / (norm + 1e-6);
        for (NDArray g : gradients) {
            if (coefficient < 1) {
                g.muli((float) coefficient); // the view shares the parameter's gradient storage
            }
            g.close(); // the view only: it would otherwise live as long as the parameters
        }
        return norm;
    }
}
