package io.medseg.unet;

import ai.djl.nn.Block;
import io.medseg.core.nn.Chain;
import io.medseg.core.nn.ConvBlock;
import io.medseg.core.nn.ConvSpec;
import io.medseg.core.nn.SkipConnection;
import io.medseg.core.nn.SpatialDims;
import io.medseg.core.nn.TransposedConvolution;

/**
 * nnU-Net's plain convolutional U-Net (Isensee et al., 2021): per stage, convolutions with bias →
 * instance norm → leaky ReLU, the first one strided to down-sample (no pooling); the decoder is
 * built from the encoder's stages, so the two cannot disagree. Input (N, C, [D,] H, W), each size
 * divisible by the product of the strides on its axis → logits (N, classes, [D,] H, W).
 *
 * <pre>
 * stage(s) = conv (stride_s), conv ─ skip ───────────────────────────────────┐─ concat ─ conv, conv
 *                                     └ stage(s + 1) ─ transposed conv (stride_{s+1}) ─┘
 * stage(last) = conv (stride), conv                (the bottleneck)
 * network = stage(0) ─ 1×1 conv to classes
 * </pre>
 * Deep supervision (nnU-Net's extra outputs at lower resolutions) is not built.
 */
public final class PlainUNet {
    private final PlainUNetConfig config;
    private final SpatialDims dims;

    public PlainUNet(PlainUNetConfig config) {
        this.config = config;
        this.dims = SpatialDims.of(config.spatialDims());
    }

    public Block build(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a segmentation network needs >= 2 classes (background + one), got " + classes);
        }
        return new Chain().add(stage(0)).add(dims.pointwise(classes));
    }

    private Block stage(int s) {
        Block encoder = convs(s, config.encoderConvs(), config.stride(s));
        if (s == config.stages() - 1) {
            return encoder;
        }
        Block deeper = new Chain().add(stage(s + 1))
                .add(new TransposedConvolution(dims, config.filters(s), config.stride(s + 1)));
        return new Chain().add(encoder).add(new SkipConnection(deeper))
                .add(convs(s, config.decoderConvs(), dims.uniform(1)));
    }

    /** n convolutions at stage s's width and kernel, the first with {@code firstStride}. */
    private Block convs(int s, int n, int[] firstStride) {
        ConvSpec spec = new ConvSpec(dims, config.filters(s), config.kernel(s), dims.uniform(1), config.norm(),
                config.activation(), config.dropout()).withBias(true);
        Chain chain = new Chain().add(new ConvBlock(spec.withStride(firstStride)));
        for (int i = 1; i < n; i++) {
            chain.add(new ConvBlock(spec));
        }
        return chain;
    }

    /**
     * Multiply-adds × 2 of one forward pass on one input of {@code sizeTensorOrder} (convolutions and
     * transposed convolutions), as counted by forward hooks in PyTorch (src/test/python/reference_plain_unet.py).
     */
    public static double forwardFlops(PlainUNetConfig c, int inputChannels, int classes, long[] sizeTensorOrder) {
        double flops = 0;
        long in = inputChannels;
        for (int s = 0; s < c.stages(); s++) {
            double v = voxels(sizeTensorOrder, c.totalStride(s));
            double taps = taps(c.kernel(s));
            long f = c.filters(s);
            flops += 2 * taps * v * (in * f + (c.encoderConvs() - 1) * f * f);
            if (s < c.stages() - 1) {
                double below = voxels(sizeTensorOrder, c.totalStride(s + 1));
                flops += 2 * taps(c.stride(s + 1)) * c.filters(s + 1) * f * below;
                flops += 2 * taps * v * (2 * f * f + (c.decoderConvs() - 1) * f * f);
            }
            in = f;
        }
        return flops + 2 * voxels(sizeTensorOrder, c.totalStride(0)) * c.filters(0) * classes;
    }

    private static double taps(int[] kernel) {
        double t = 1;
        for (int k : kernel) {
            t *= k;
        }
        return t;
    }

    private static double voxels(long[] size, int[] totalStride) {
        double v = 1;
        for (int k = 0; k < size.length; k++) {
            v *= size[k] / totalStride[k];
        }
        return v;
    }
}
