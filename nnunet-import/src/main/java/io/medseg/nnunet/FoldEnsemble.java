package io.medseg.nnunet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.medseg.core.nn.Ensemble;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks of an imported nnU-Net model's folds side by side, one child block per fold
 * ({@code fold_K}), so a bundle stores them in one parameter file. A forward pass gives the mean of
 * the folds' logits (the probabilities {@code explain} shows; its layers are the first fold's);
 * segmenting runs each fold's own sliding window, as nnU-Net does ({@link NnUNetModel}).
 */
public final class FoldEnsemble extends AbstractBlock implements Ensemble {
    private final List<String> folds;

    /** @param networks one per fold, in the order of {@code folds} */
    public FoldEnsemble(List<String> folds, List<Block> networks) {
        if (folds.isEmpty() || folds.size() != networks.size()) {
            throw new IllegalArgumentException("an ensemble needs one network per fold, got " + folds + " and "
                    + networks.size() + " network(s)");
        }
        this.folds = List.copyOf(folds);
        for (int i = 0; i < folds.size(); i++) {
            addChildBlock("fold_" + folds.get(i), networks.get(i));
        }
    }

    /** The fold names (nnU-Net's K of fold_K), in the order of {@link #networks}. */
    public List<String> folds() {
        return folds;
    }

    public List<Block> networks() {
        return new ArrayList<>(getChildren().values());
    }

    @Override
    public List<Block> members() {
        return networks();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray sum = null;
        for (Block network : getChildren().values()) {
            NDArray logits = network.forward(store, inputs, training, params).singletonOrThrow();
            if (sum == null) {
                sum = logits;
            } else {
                NDArray next = sum.add(logits);
                sum.close();
                logits.close();
                sum = next;
            }
        }
        return new NDList(folds.size() == 1 ? sum : sum.div(folds.size()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return getChildren().valueAt(0).getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block network : getChildren().values()) {
            network.initialize(manager, dataType, inputShapes);
        }
    }
}
