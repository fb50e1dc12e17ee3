package io.medseg.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import io.medseg.core.nn.ComputeFormat;

/**
 * One optimiser step, as training runs it and the benches time it: forward, loss, backward, the
 * gradients' global norm clipped (when {@code clipNorm} > 0), update.
 *
 * <p>In fp32 the trainer runs the pass and the update (DJL's own path, whose bits the bundles were
 * trained with). In bf16 the pass reads bf16 casts of the float32 parameters ({@link ComputeFormat}),
 * the logits come back as float32 for the loss, and the gradients flow through the casts to the
 * float32 master weights, which the same optimiser updates: PyTorch's CPU autocast with float32
 * master weights and optimiser state.
 */
public final class TrainingStep implements AutoCloseable {
    private final Trainer trainer;
    private final Block block;
    private final ComputeFormat format;
    private final float clipNorm;
    /** The bf16 path's updates (the trainer's own store sees no parameter when it does not run the pass). */
    private final ParameterServer server;

    /**
     * @param optimizer the trainer's optimiser (its state is shared: the same moments whichever path runs)
     * @param clipNorm the gradients' global L2 norm is clipped at this; 0 = no clipping
     */
    public TrainingStep(Trainer trainer, Block block, Optimizer optimizer, ComputeFormat format, float clipNorm) {
        this.trainer = trainer;
        this.block = block;
        this.format = format;
        this.clipNorm = clipNorm;
        this.server = format == ComputeFormat.FP32 ? null : new LocalParameterServer(optimizer);
    }

    /**
     * Make {@code images} and {@code labels} in a sub-manager of the step: every array computed from
     * them attaches there and is freed with it.
     *
     * @param images (N, C, [D,] H, W)
     * @param labels (N, [D,] H, W) class indices
     * @return the batch's loss
     */
    public float run(NDArray images, NDArray labels) {
        ParameterStore store = null;
        if (server != null) {
            store = format.parameters(images.getManager());
            store.setParameterServer(server, trainer.getDevices());
        }
        float value;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray logits = store == null ? trainer.forward(new NDList(images)).singletonOrThrow()
                    : format.output(block.forward(store, new NDList(format.input(images, true)), true).singletonOrThrow(),
                            true);
            NDArray loss = trainer.getLoss().evaluate(new NDList(labels), new NDList(logits));
            collector.backward(loss);
            value = loss.getFloat();
        }
        if (clipNorm > 0) {
            GradientClipping.clip(block, clipNorm);
        }
        if (store == null) {
            trainer.step();
        } else {
            store.updateAllParameters();
        }
        return value;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
