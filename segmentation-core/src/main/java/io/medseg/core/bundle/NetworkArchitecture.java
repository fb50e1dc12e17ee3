package io.medseg.core.bundle;

import ai.djl.nn.Block;
import com.google.gson.JsonObject;
import io.medseg.core.engine.TensorLayout;
import io.medseg.core.preprocess.FixedTopology;
import io.medseg.core.preprocess.Plan;
import java.util.Optional;

/**
 * A network recipe that can be rebuilt from its name and JSON arguments, so a model bundle needs
 * no code beyond the module that registers it (via {@link java.util.ServiceLoader}).
 */
public interface NetworkArchitecture {

    /** Name stored in {@code model.json}, e.g. {@code unet2d}. */
    String name();

    /**
     * Whether {@code medseg train} can start this network from its default arguments; false for
     * networks that come only from elsewhere (an imported nnU-Net model), which are fine-tuned or run.
     */
    default boolean trainsFromScratch() {
        return true;
    }

    /**
     * Whether the network's scans are prepared by code of its own rather than from the bundle's
     * intensity and plan: an imported nnU-Net model runs nnU-Net's pipeline. Core's {@code
     * Segmenter} and training refuse such bundles instead of preparing scans the wrong way.
     */
    default boolean bringsOwnPipeline() {
        return false;
    }

    /** Default arguments for this architecture, written into new bundles. */
    JsonObject defaultArguments();

    /**
     * Builds the untrained network. Input (N, inputChannels, [D,] H, W) → logits
     * (N, classes, [D,] H, W).
     *
     * @throws IllegalArgumentException naming an argument that is missing or invalid
     */
    Block build(JsonObject arguments, int inputChannels, int classes);

    /** 2 or 3. */
    int spatialDims(JsonObject arguments);

    /** Each spatial size (tensor order) of an input must be a multiple of these. */
    int[] sizeDivisors(JsonObject arguments);

    /** Whether the network normalises each instance (instance norm), which needs 2+ values per channel. */
    default boolean normalisesPerInstance(JsonObject arguments) {
        return false;
    }

    /**
     * Why an input of {@code sizeTensorOrder} cannot pass the network (null when it can): a size
     * that is not a multiple of {@link #sizeDivisors}, or instance normalisation left with one voxel
     * at the deepest level (libtorch refuses it mid-run, "Expected more than 1 value per channel").
     */
    default String sizeProblem(JsonObject arguments, int[] sizeTensorOrder) {
        int[] d = sizeDivisors(arguments);
        long bottom = 1;
        for (int k = 0; k < d.length; k++) {
            if (sizeTensorOrder[k] < d[k] || sizeTensorOrder[k] % d[k] != 0) {
                return "every size must be a positive multiple of " + TensorLayout.describe(d);
            }
            bottom *= sizeTensorOrder[k] / d[k];
        }
        if (bottom < 2 && normalisesPerInstance(arguments)) {
            return "instance normalisation needs 2 or more voxels at the deepest level, and "
                    + TensorLayout.describe(sizeTensorOrder) + " / " + TensorLayout.describe(d) + " leaves 1;"
                    + " double one size (e.g. x = " + 2 * d[d.length - 1] + ")";
        }
        return null;
    }

    /**
     * Multiply-adds × 2 of one forward pass on one input of {@code sizeTensorOrder} ([D,] H, W),
     * counting convolutions and transposed convolutions (as PyTorch forward hooks would).
     */
    double forwardFlops(JsonObject arguments, int inputChannels, int classes, long[] sizeTensorOrder);

    /**
     * The arguments adapted to a data-derived plan (e.g. nnU-Net's kernels and strides per stage);
     * architectures with a fixed topology return them unchanged.
     */
    default JsonObject withPlan(JsonObject arguments, Plan plan) {
        return arguments;
    }

    /**
     * The network's own stages and memory model when it does not take its topology from the plan
     * (the V-Net); empty for networks the planner lays out (nnU-Net's U-Net).
     */
    default Optional<FixedTopology> fixedTopology(JsonObject arguments) {
        return Optional.empty();
    }
}
