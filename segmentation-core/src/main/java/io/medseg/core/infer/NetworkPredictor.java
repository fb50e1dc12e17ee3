package io.medseg.core.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.engine.TensorLayout;
import io.medseg.core.nn.ComputeFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a bundle's network in inference mode on a batch of tiles and returns softmax probabilities,
 * optionally averaged over mirrored copies (test-time augmentation as nnU-Net does it: every
 * combination of flips of the spatial axes, 4 in 2D and 8 in 3D).
 */
public final class NetworkPredictor implements TilePredictor {
    private final ModelBundle bundle;
    private final boolean mirror;
    private final ComputeFormat format;

    public NetworkPredictor(ModelBundle bundle) {
        this(bundle, false, ComputeFormat.FP32);
    }

    /** @param format the network's arithmetic; softmax and the mirrored copies' mean are float32 */
    public NetworkPredictor(ModelBundle bundle, boolean mirror, ComputeFormat format) {
        this.bundle = bundle;
        this.mirror = mirror;
        this.format = format;
    }

    @Override
    public float[] predict(float[] tiles, int count, long[] tileSizeXyz, int channels) {
        try (NDManager manager = bundle.model().getNDManager().newSubManager()) {
            NDArray x = format.input(manager.create(tiles, TensorLayout.tensorShape(count, channels, tileSizeXyz)), false);
            ParameterStore store = format.parameters(manager);
            List<int[]> flips = mirror ? mirrorings(tileSizeXyz.length) : List.of(new int[0]);
            NDArray sum = null;
            for (int[] axes : flips) {
                NDArray input = axes.length == 0 ? x : x.flip(axes);
                NDArray logits = bundle.block().forward(store, new NDList(input), false).singletonOrThrow();
                NDArray p = format.output(logits, false).softmax(1);
                NDArray back = axes.length == 0 ? p : p.flip(axes);
                sum = sum == null ? back : sum.addi(back);
            }
            return (flips.size() == 1 ? sum : sum.divi(flips.size())).toFloatArray();
        }
    }

    /** Every non-empty and the empty subset of the spatial tensor axes 2..n+1. */
    static List<int[]> mirrorings(int spatialDims) {
        List<int[]> out = new ArrayList<>();
        for (int mask = 0; mask < 1 << spatialDims; mask++) {
            int[] axes = new int[Integer.bitCount(mask)];
            for (int k = 0, j = 0; k < spatialDims; k++) {
                if ((mask >> k & 1) == 1) {
                    axes[j++] = 2 + k;
                }
            }
            out.add(axes);
        }
        return out;
    }
}
