package io.medseg.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A {@link SequentialBlock} that frees each intermediate result as soon as the next block has
 * consumed it. DJL otherwise keeps every intermediate until its manager closes, so a U-Net
 * forward holds all activations at once (about 0.8 GB for batch 4 at 256×256) and touches fresh
 * memory on every call. Closing a DJL handle only drops a reference: tensors that autograd saved
 * for the backward pass stay alive, so this is safe in training too.
 */
public class Chain extends SequentialBlock {
    private boolean frozen;

    /**
     * Runs this chain's blocks as in inference even while training: batch-norm layers use and keep
     * their running statistics, dropout is off (how a frozen layer behaves when fine-tuning).
     */
    public void setFrozen(boolean frozen) {
        this.frozen = frozen;
    }

    /** Appends a block; returns this chain (not a plain SequentialBlock) so recipes can keep chaining. */
    @Override
    public Chain add(Block block) {
        super.add(block);
        return this;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList current = inputs;
        boolean train = training && !frozen;
        for (Block child : getChildren().values()) {
            NDList next = child.forward(store, current, train, params);
            ActivationTap.offer(child, next);
            if (current != inputs) {
                closeUnless(current, next);
            }
            current = next;
        }
        return current;
    }

    /** Closes the arrays of {@code done} that {@code kept} does not pass on. */
    static void closeUnless(NDList done, NDList kept) {
        for (NDArray a : done) {
            boolean passedOn = false;
            for (NDArray b : kept) {
                passedOn |= a == b;
            }
            if (!passedOn && !ActivationTap.holds(a)) {
                a.close();
            }
        }
    }
}
