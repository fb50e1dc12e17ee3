package io.medseg.nnunet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.medseg.core.engine.InPlaceCopy;
import io.medseg.core.nn.ActivationKind;
import io.medseg.core.nn.Chain;
import io.medseg.core.nn.ConvBlock;
import io.medseg.core.nn.ConvSpec;
import io.medseg.core.nn.Normalization;
import io.medseg.core.nn.Pooling;
import io.medseg.core.nn.Residual;
import io.medseg.core.nn.SkipConnection;
import io.medseg.core.nn.SpatialDims;
import io.medseg.core.nn.TransposedConvolution;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * dynamic-network-architectures' {@code PlainConvUNet} and {@code ResidualEncoderUNet} built from
 * core's blocks, with the name of
 * every parameter in nnU-Net's {@code state_dict}, so a checkpoint's tensors go where nnU-Net puts
 * them. The structure is the one {@code io.medseg.unet.PlainUNet} draws (stage = convolutions, skip
 * around the deeper stages and a transposed convolution, convolutions), but every stage's width and
 * convolution count come from the plans.
 *
 * <p>Two differences from the Python module, neither changing the function: core's skip puts the
 * skip's channels before the up-sampled ones and nnU-Net's decoder the other way round, so the
 * first decoder convolution's input channels are swapped in halves on loading; and the deep
 * supervision heads ({@code decoder.seg_layers.K} but the last), unused at inference, are not built.
 */
public final class NnUNetNetwork {
    /** A checkpoint tensor's place: the parameter, and whether its input channels come in swapped halves. */
    record Binding(String torchName, Parameter parameter, boolean swapInputHalves) {}

    private final NnUNetArchitecture architecture;
    private final SpatialDims dims;
    private final List<Binding> bindings = new ArrayList<>();
    private final Block block;

    private NnUNetNetwork(NnUNetArchitecture architecture, int classes) {
        this.architecture = architecture;
        this.dims = SpatialDims.of(architecture.spatialDims());
        Block body = stage(0);
        Block head = dims.pointwise(classes);
        bind("decoder.seg_layers." + (architecture.stages() - 2) + ".", head, false); // after the rest, as in the state_dict
        this.block = new Chain().add(body).add(head);
    }

    /** The network for {@code classes} outputs (nnU-Net's {@code num_segmentation_heads}). */
    public static NnUNetNetwork build(NnUNetArchitecture architecture, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("a network needs at least one output, got " + classes);
        }
        return new NnUNetNetwork(architecture, classes);
    }

    public Block block() {
        return block;
    }

    private Block stage(int s) {
        Chain encoder = architecture.residual() ? residualStage(s) : convs(s, architecture.encoderConvs()[s],
                architecture.strides()[s], "encoder.stages." + s + ".0.convs.", false);
        if (s == architecture.stages() - 1) {
            return encoder;
        }
        int d = architecture.stages() - 2 - s; // nnU-Net numbers decoder stages from the deepest
        TransposedConvolution up = new TransposedConvolution(dims, architecture.features()[s], architecture.strides()[s + 1]);
        bindings.add(new Binding("decoder.transpconvs." + d + ".weight", up.getParameters().get("weight"), false));
        if (architecture.convBias()) {
            bindings.add(new Binding("decoder.transpconvs." + d + ".bias", up.getParameters().get("bias"), false));
        }
        Block deeper = new Chain().add(stage(s + 1)).add(up);
        Chain decoder = convs(s, architecture.decoderConvs()[d], dims.uniform(1), "decoder.stages." + d + ".convs.", true);
        return new Chain().add(encoder).add(new SkipConnection(deeper)).add(decoder);
    }

    /**
     * ResidualEncoder's stage s (after the stem at s = 0): BasicBlockD blocks, the first with the
     * stage's stride; y = leakyReLU(conv2(conv1(x)) + skip(x)), conv2 without activation, skip =
     * average pooling by the stride and a 1×1 projection without bias when size or width change.
     */
    private Chain residualStage(int s) {
        Chain chain = new Chain();
        int in = architecture.features()[s == 0 ? 0 : s - 1];
        if (s == 0) {
            ConvSpec stem = spec(0).withActivation(ActivationKind.LEAKY_RELU);
            ConvBlock b = new ConvBlock(stem);
            bindConvBlock("encoder.stem.convs.0.", b, false);
            chain.add(b);
        }
        for (int i = 0; i < architecture.encoderConvs()[s]; i++) {
            String prefix = "encoder.stages." + s + ".blocks." + i + ".";
            int[] stride = i == 0 ? architecture.strides()[s] : dims.uniform(1);
            int from = i == 0 ? in : architecture.features()[s];
            ConvBlock conv1 = new ConvBlock(spec(s).withStride(stride));
            ConvBlock conv2 = new ConvBlock(spec(s).withActivation(ActivationKind.NONE));
            bindConvBlock(prefix + "conv1.", conv1, false);
            bindConvBlock(prefix + "conv2.", conv2, false);
            boolean strided = Arrays.stream(stride).anyMatch(v -> v != 1);
            boolean projected = from != architecture.features()[s];
            Block block;
            Chain inner = new Chain().add(conv1).add(conv2);
            if (strided || projected) {
                Chain skip = new Chain();
                if (strided) {
                    skip.add(new Pooling(Pooling.Kind.AVG, dims, stride));
                }
                if (projected) {
                    ConvBlock projection = new ConvBlock(new ConvSpec(dims, architecture.features()[s], dims.uniform(1),
                            dims.uniform(1), dims.uniform(1), false, Normalization.INSTANCE, ActivationKind.NONE, 0f));
                    bindConvBlock(prefix + "skip." + (strided ? 1 : 0) + ".", projection, false);
                    skip.add(projection);
                }
                block = new Residual(inner, skip, ActivationKind.LEAKY_RELU.block());
            } else {
                block = new Residual(inner, ActivationKind.LEAKY_RELU.block(), false);
            }
            chain.add(block);
        }
        return chain;
    }

    private ConvSpec spec(int s) {
        return new ConvSpec(dims, architecture.features()[s], architecture.kernels()[s], dims.uniform(1), dims.uniform(1),
                architecture.convBias(), Normalization.INSTANCE, ActivationKind.LEAKY_RELU, 0f);
    }

    private void bindConvBlock(String prefix, ConvBlock b, boolean swap) {
        bind(prefix + "conv.", b.getChildren().valueAt(0), swap);
        Block norm = b.getChildren().valueAt(1);
        bindings.add(new Binding(prefix + "norm.weight", norm.getParameters().get("gamma"), false));
        bindings.add(new Binding(prefix + "norm.bias", norm.getParameters().get("beta"), false));
    }

    /** n conv → instance norm → leaky ReLU blocks of stage s, the first with {@code firstStride}. */
    private Chain convs(int s, int n, int[] firstStride, String prefix, boolean afterSkip) {
        ConvSpec spec = spec(s);
        Chain chain = new Chain();
        for (int i = 0; i < n; i++) {
            ConvBlock b = new ConvBlock(i == 0 ? spec.withStride(firstStride) : spec);
            bindConvBlock(prefix + i + ".", b, afterSkip && i == 0);
            chain.add(b);
        }
        return chain;
    }

    private void bind(String prefix, Block conv, boolean swap) {
        bindings.add(new Binding(prefix + "weight", conv.getParameters().get("weight"), swap));
        if (conv.getParameters().contains("bias")) {
            bindings.add(new Binding(prefix + "bias", conv.getParameters().get("bias"), false));
        }
    }

    /**
     * Copies {@code stateDict} (a checkpoint's {@code network_weights}) into the initialised network.
     * Every parameter must be there with its shape, and every tensor of the checkpoint must have a
     * place (but the copies PyTorch's module tree lists twice and the deep-supervision heads): a
     * checkpoint of another network is refused naming the first tensor that does not fit.
     */
    public void load(TorchCheckpoint checkpoint, Map<?, ?> stateDict) throws IOException {
        Set<String> used = new HashSet<>();
        for (Binding b : bindings) {
            Object value = stateDict.get(b.torchName());
            if (!(value instanceof StoredTensor t)) {
                throw new CheckpointException(checkpoint.file(), "network_weights has no " + b.torchName() + ", which the "
                        + "plans' " + shortName() + " has");
            }
            NDArray target = b.parameter().getArray();
            long[] shape = target.getShape().getShape();
            if (!Arrays.equals(shape, t.shape())) {
                throw new CheckpointException(checkpoint.file(), b.torchName() + " has shape " + t.shapeText()
                        + " in the checkpoint, " + Arrays.toString(shape).replace('[', '(').replace(']', ')')
                        + " in the network the plans describe");
            }
            float[] values = checkpoint.floats(t);
            if (b.swapInputHalves()) {
                values = swapInputHalves(values, shape);
            }
            NDManager manager = target.getManager();
            try (NDArray v = manager.create(values, target.getShape())) {
                InPlaceCopy.copy(v, target);
            }
            used.add(b.torchName());
        }
        int headStage = architecture.stages() - 2;
        for (Object key : stateDict.keySet()) {
            String name = String.valueOf(key);
            boolean duplicate = name.contains(".all_modules.") || name.startsWith("decoder.encoder.");
            boolean deepSupervision = name.startsWith("decoder.seg_layers.") && !name.startsWith("decoder.seg_layers."
                    + headStage + ".");
            if (!used.contains(name) && !duplicate && !deepSupervision) {
                throw new CheckpointException(checkpoint.file(), "network_weights has " + name + ", which the plans' "
                        + shortName() + " has no place for (a trainer that changes the network?)");
            }
        }
    }

    private String shortName() {
        return architecture.networkClass().substring(architecture.networkClass().lastIndexOf('.') + 1);
    }

    /** (out, 2F, k…) with input channels [F, 2F) first: nnU-Net's (up-sampled, skip) as core's (skip, up-sampled). */
    static float[] swapInputHalves(float[] w, long[] shape) {
        int out = (int) shape[0];
        int in = (int) shape[1];
        int per = w.length / (out * in);
        int half = in / 2 * per;
        float[] r = new float[w.length];
        for (int o = 0; o < out; o++) {
            int base = o * in * per;
            System.arraycopy(w, base + half, r, base, half);
            System.arraycopy(w, base, r, base + half, half);
        }
        return r;
    }
}
