package io.medseg.core.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.engine.TensorLayout;

/** Runs a bundle's network in inference mode on a batch of tiles and returns softmax probabilities. */
public final class NetworkPredictor implements TilePredictor {
    private final ModelBundle bundle;

    public NetworkPredictor(ModelBundle bundle) {
        this.bundle = bundle;
    }

    @Override
    public float[] predict(float[] tiles, int count, long[] tileSizeXyz, int channels) {
        try (NDManager manager = bundle.model().getNDManager().newSubManager()) {
            NDArray x = manager.create(tiles, TensorLayout.tensorShape(count, channels, tileSizeXyz));
            NDArray logits = bundle.block().forward(new ParameterStore(manager, false), new NDList(x), false)
                    .singletonOrThrow();
            return logits.softmax(1).toFloatArray();
        }
    }
}
