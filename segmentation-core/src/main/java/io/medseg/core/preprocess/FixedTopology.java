package io.medseg.core.preprocess;

/**
 * A network whose stages do not follow the plan's topology (e.g. the V-Net, which halves every
 * axis at every stage): the planner takes its strides and kernels as they are and shrinks the patch
 * by the network's own memory estimate instead of nnU-Net's U-Net estimate.
 */
public interface FixedTopology {

    /** Down-sampling per stage, tensor order ([D,] H, W); stage 0 is all 1. */
    int[][] strides();

    /** Convolution kernel per stage, tensor order. */
    int[][] kernels();

    /**
     * Bytes of activations kept for the backward pass, and as much again for their gradients, of one
     * training step on {@code batchSize} patches of {@code patchTensorOrder}.
     */
    long trainingBytes(int[] patchTensorOrder, int batchSize);
}
