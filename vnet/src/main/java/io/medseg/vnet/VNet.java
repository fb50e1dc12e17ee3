package io.medseg.vnet;

import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import io.medseg.core.nn.ActivationKind;
import io.medseg.core.nn.Chain;
import io.medseg.core.nn.ConvBlock;
import io.medseg.core.nn.ConvSpec;
import io.medseg.core.nn.Normalization;
import io.medseg.core.nn.Residual;
import io.medseg.core.nn.SkipConnection;
import io.medseg.core.nn.SpatialDims;
import io.medseg.core.nn.TransposedConvolution;

/**
 * V-Net (Milletari, Navab and Ahmadi, 2016): a fully convolutional encoder-decoder whose stages
 * learn a residual function. Input (N, C, [D,] H, W) with spatial sizes divisible by 2^depth →
 * logits (N, classes, [D,] H, W). Every convolution is followed by the normalisation (paper: none)
 * and a PReLU with one slope per channel.
 *
 * <pre>
 * level(0)     = input stage: conv k → +x (channels repeated to f0) → PReLU
 * level(d > 0) = down-step: conv 2, stride 2 → f_d ─ residual(n_d convs k)
 * level(d < depth) = level(d) ─ skip ────────────────────────────────────┐─ concat ─ residual(m_d convs k), width 2·f_d
 *                                └ level(d + 1) ─ up-step: transposed conv 2 → f_d ─┘
 * network = level(0) ─ 1×1 conv to classes
 * </pre>
 */
public final class VNet {
    private final VNetConfig config;
    private final SpatialDims dims;

    public VNet(VNetConfig config) {
        this.config = config;
        this.dims = SpatialDims.of(config.spatialDims());
    }

    public Block build(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a segmentation network needs >= 2 classes (background + one), got " + classes);
        }
        return new Chain().add(level(0)).add(dims.pointwise(classes));
    }

    private Block level(int d) {
        Block entry = d == 0 ? inputStage() : downStage(d);
        if (d == config.depth()) {
            return entry;
        }
        Block deeper = new Chain().add(level(d + 1)).add(upStep(d));
        return new Chain().add(entry).add(new SkipConnection(deeper))
                .add(residualConvs(2 * config.filters(d), config.upConvsAt(d)));
    }

    /** One k-convolution to f0 channels, added to the input repeated to f0 channels. */
    private Block inputStage() {
        Block conv = new ConvBlock(convolution(config.filters(0)).withActivation(ActivationKind.NONE));
        return new Residual(conv, ActivationKind.PRELU.block(), true);
    }

    private Block downStage(int d) {
        float dropout = d >= config.depth() - 1 ? config.dropout() : 0f;
        ConvSpec down = convolution(config.filters(d)).asStep(dims.uniform(2))
                .withDropout(dropout);
        return new Chain().add(new ConvBlock(down)).add(residualConvs(config.filters(d), config.downConvs()[d - 1]));
    }

    /** Transposed convolution from level d + 1 to f_d channels at level d, normalised and activated. */
    private Block upStep(int d) {
        Chain up = new Chain();
        if (d >= config.depth() - 2 && config.dropout() > 0) {
            up.add(Dropout.builder().optRate(config.dropout()).build());
        }
        up.add(new TransposedConvolution(dims, config.filters(d), dims.uniform(2)));
        Block norm = config.norm().block();
        if (norm != null) {
            up.add(norm);
        }
        return up.add(ActivationKind.PRELU.block());
    }

    /** n k-convolutions at constant width whose output is added to their input, then a PReLU. */
    private Block residualConvs(int width, int n) {
        Chain convs = new Chain();
        for (int i = 0; i < n; i++) {
            convs.add(new ConvBlock(convolution(width)));
        }
        return new Residual(convs, ActivationKind.PRELU.block(), false);
    }

    private ConvSpec convolution(int filters) {
        return new ConvSpec(dims, filters, dims.uniform(config.kernel()), dims.uniform(1), config.norm(),
                ActivationKind.PRELU, 0f);
    }

    /**
     * Multiply-adds × 2 of one forward pass on one input of {@code sizeTensorOrder} (convolutions and
     * transposed convolutions; normalisation, PReLU and sums are negligible), as counted by forward
     * hooks in PyTorch (src/test/python/reference_vnet.py).
     */
    public static double forwardFlops(VNetConfig c, int inputChannels, int classes, long[] sizeTensorOrder) {
        int n = sizeTensorOrder.length;
        double taps = Math.pow(c.kernel(), n);
        double stepTaps = 1 << n;
        double flops = 2 * taps * inputChannels * c.filters(0) * voxels(sizeTensorOrder, 0);
        for (int d = 1; d <= c.depth(); d++) {
            double v = voxels(sizeTensorOrder, d);
            long f = c.filters(d);
            flops += 2 * stepTaps * c.filters(d - 1) * f * v + c.downConvs()[d - 1] * 2 * taps * f * f * v;
        }
        for (int d = 0; d < c.depth(); d++) {
            long below = d + 1 == c.depth() ? c.filters(d + 1) : 2L * c.filters(d + 1);
            long width = 2L * c.filters(d);
            flops += 2 * stepTaps * below * c.filters(d) * voxels(sizeTensorOrder, d + 1)
                    + c.upConvsAt(d) * 2 * taps * width * width * voxels(sizeTensorOrder, d);
        }
        return flops + 2.0 * 2 * c.filters(0) * classes * voxels(sizeTensorOrder, 0);
    }

    /**
     * Activation memory of one training step on {@code batch} patches: every tensor the forward pass
     * keeps for the backward pass (each convolution's output, its normalisation and PReLU outputs,
     * the repeated input and the sums of the residual stages, the up-step's output, the
     * concatenation), and as much again for their gradients, in float32. For the paper's network at
     * 64³ and batch 2 that is 102 M floats, 1.6 GB; the planner shrinks V-Net patches by it.
     */
    public static long trainingBytes(VNetConfig c, long[] sizeTensorOrder, int batch) {
        int perConv = c.norm() == Normalization.NONE ? 2 : 3; // conv [+ norm] + PReLU
        double floats = (perConv - 1 + 3) * c.filters(0) * voxels(sizeTensorOrder, 0); // conv [+ norm], repeat, sum, PReLU
        for (int d = 1; d <= c.depth(); d++) {
            double v = voxels(sizeTensorOrder, d);
            floats += (perConv + c.downConvs()[d - 1] * perConv + 2) * c.filters(d) * v; // step, convs, sum + PReLU
        }
        for (int d = 0; d < c.depth(); d++) {
            double v = voxels(sizeTensorOrder, d);
            double width = 2.0 * c.filters(d);
            floats += perConv * c.filters(d) * v // up-step [+ norm] + PReLU
                    + width * v // concatenation with the skip
                    + (c.upConvsAt(d) * perConv + 2) * width * v; // convs, sum + PReLU
        }
        return (long) (floats * Float.BYTES * 2 * batch);
    }

    private static double voxels(long[] size, int level) {
        double v = 1;
        for (long s : size) {
            v *= s >> level;
        }
        return v;
    }
}
