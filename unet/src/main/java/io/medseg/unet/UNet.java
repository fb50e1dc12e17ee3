package io.medseg.unet;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.medseg.core.nn.ConvBlock;
import io.medseg.core.nn.ConvSpec;
import io.medseg.core.nn.Pooling;
import io.medseg.core.nn.SkipConnection;
import io.medseg.core.nn.SpatialDims;
import io.medseg.core.nn.TransposedConvolution;

/**
 * U-Net (Ronneberger et al., 2015) with "same" padding, so the output has the input's size.
 * Input (N, C, [D,] H, W) with spatial sizes divisible by 2^depth → logits (N, classes, [D,] H, W).
 *
 * <pre>
 * level(d) = conv, conv ─ skip ─────────────────────────────┐─ concat ─ conv, conv
 *                          └ maxpool ─ level(d+1) ─ up-conv ─┘
 * level(depth) = conv, conv [, dropout]          (the bottleneck)
 * network = level(0) ─ 1×1 conv to classes
 * </pre>
 */
public final class UNet {
    private final UNetConfig config;
    private final SpatialDims dims;

    public UNet(UNetConfig config) {
        this.config = config;
        this.dims = SpatialDims.of(config.spatialDims());
    }

    public Block build(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a segmentation network needs >= 2 classes (background + one), got " + classes);
        }
        return new SequentialBlock()
                .add(level(0))
                .add(dims.convolution(classes, dims.uniform(1), new int[dims.n()], dims.uniform(1), true));
    }

    private Block level(int d) {
        int filters = config.filters(d);
        if (d == config.depth()) {
            return twoConvs(filters, config.dropout());
        }
        Block deeper = new SequentialBlock()
                .add(new Pooling(Pooling.Kind.MAX, dims, dims.uniform(2)))
                .add(level(d + 1))
                .add(new TransposedConvolution(dims, filters, dims.uniform(2)));
        return new SequentialBlock()
                .add(twoConvs(filters, 0))
                .add(new SkipConnection(deeper))
                .add(twoConvs(filters, 0));
    }

    private Block twoConvs(int filters, float dropout) {
        ConvSpec spec = ConvSpec.of(dims, filters, config.norm(), config.activation());
        ConvSpec last = new ConvSpec(dims, filters, spec.kernel(), spec.dilation(), spec.norm(), spec.activation(), dropout);
        return new SequentialBlock().add(new ConvBlock(spec)).add(new ConvBlock(last));
    }
}
