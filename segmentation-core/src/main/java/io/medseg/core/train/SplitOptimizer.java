package io.medseg.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import java.util.Set;

/**
 * Two optimisers of the same kind for two groups of parameters: fine-tuning updates the layers it
 * took from the parent bundle with a lower learning rate than the new ones. Each parameter belongs to
 * exactly one group, so each keeps its own moments and update count in its optimiser.
 */
final class SplitOptimizer extends Optimizer {
    private final Set<String> pretrainedIds;
    private final Optimizer pretrained;
    private final Optimizer fresh;

    /** @param pretrainedIds DJL ids of the parameters that {@code pretrained} updates */
    SplitOptimizer(Set<String> pretrainedIds, Optimizer pretrained, Optimizer fresh) {
        super(new Builder());
        this.pretrainedIds = Set.copyOf(pretrainedIds);
        this.pretrained = pretrained;
        this.fresh = fresh;
    }

    /** The optimiser that updates the parameter with this DJL id. */
    Optimizer delegate(String parameterId) {
        return pretrainedIds.contains(parameterId) ? pretrained : fresh;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        delegate(parameterId).update(parameterId, weight, grad);
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
