package io.medseg.unet;

import ai.djl.nn.Block;
import io.medseg.core.nn.Chain;
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
        return new Chain()
                .add(level(0))
                .add(dims.pointwise(classes));
    }

    private Block level(int d) {
        int filters = config.filters(d);
        if (d == config.depth()) {
            return twoConvs(filters, config.dropout());
        }
        Block deeper = new Chain()
                .add(new Pooling(Pooling.Kind.MAX, dims, dims.uniform(2)))
                .add(level(d + 1))
                .add(new TransposedConvolution(dims, filters, dims.uniform(2)));
        return new Chain()
                .add(twoConvs(filters, 0))
                .add(new SkipConnection(deeper))
                .add(twoConvs(filters, 0));
    }

    private Block twoConvs(int filters, float dropout) {
        ConvSpec spec = ConvSpec.of(dims, filters, config.norm(), config.activation());
        ConvSpec last = new ConvSpec(dims, filters, spec.kernel(), spec.dilation(), spec.norm(), spec.activation(), dropout);
        return new Chain().add(new ConvBlock(spec)).add(new ConvBlock(last));
    }

    /**
     * Multiply-adds ×2 of one forward pass on one 2D image of h×w (convolutions and up-convolutions;
     * normalisation and activations are negligible). Depth 4, base 32, 256×256, 1 → 2 classes:
     * 24.07 GFLOP, as counted by src/test/python/reference_unet.py with forward hooks in PyTorch.
     */
    public static double forwardFlops(UNetConfig c, int inputChannels, int classes, long h, long w) {
        double flops = 0;
        long in = inputChannels;
        for (int d = 0; d <= c.depth(); d++) {
            double pixels = (double) (h >> d) * (w >> d);
            long f = c.filters(d);
            flops += 2 * 9 * pixels * (in * f + f * f); // encoder (or bottleneck) convs
            if (d < c.depth()) {
                flops += 2 * 9 * pixels * (2 * f * f + f * f); // decoder convs after the concat
                flops += 2 * pixels * c.filters(d + 1) * f; // up-conv 2x2 from level d+1: 4 taps per input pixel
            }
            in = f;
        }
        return flops + 2 * (double) h * w * c.baseFilters() * classes;
    }
}
