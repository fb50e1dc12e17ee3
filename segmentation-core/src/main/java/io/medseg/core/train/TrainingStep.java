package io.medseg.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;

/** One optimiser step, as training runs it and the benches time it. */
public final class TrainingStep {
    private TrainingStep() {}

    /**
     * Forward, loss, backward, the gradients' global norm clipped (when {@code clipNorm} > 0), update.
     * Make {@code images} and {@code labels} in a sub-manager of the step: every array computed from
     * them attaches there and is freed with it.
     *
     * @param images (N, C, [D,] H, W)
     * @param labels (N, [D,] H, W) class indices
     * @return the batch's loss
     */
    public static float run(Trainer trainer, Block block, NDArray images, NDArray labels, float clipNorm) {
        float value;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray logits = trainer.forward(new NDList(images)).singletonOrThrow();
            NDArray loss = trainer.getLoss().evaluate(new NDList(labels), new NDList(logits));
            collector.backward(loss);
            value = loss.getFloat();
        }
        if (clipNorm > 0) {
            GradientClipping.clip(block, clipNorm);
        }
        trainer.step();
        return value;
    }
}
