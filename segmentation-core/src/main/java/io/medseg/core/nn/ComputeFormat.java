package io.medseg.core.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.medseg.core.engine.Precision;
import java.util.HashMap;
import java.util.Map;

/**
 * How a network's arithmetic runs: in float32 as stored, or as PyTorch's CPU autocast to bfloat16
 * does it. In bf16 the weights and biases of convolutions, transposed convolutions and PReLU, and
 * the activations between them, are bfloat16 and stored channels-last (where oneDNN's bf16 and AMX
 * kernels want them, without a reorder per layer); normalisation parameters and running statistics
 * stay float32 (libtorch's batch norm computes its statistics in float32 for bf16 input); the
 * network's output comes back as float32 in the default layout, so softmax, blending and argmax
 * are float32. The stored parameters are never changed: a forward pass sees bf16 copies, cast
 * once per pass (and differentiable, so training keeps float32 master weights).
 */
public final class ComputeFormat {
    public static final ComputeFormat FP32 = new ComputeFormat(Precision.FP32);
    public static final ComputeFormat BF16 = new ComputeFormat(Precision.BF16);

    private final Precision precision;

    private ComputeFormat(Precision precision) {
        this.precision = precision;
    }

    public static ComputeFormat of(Precision p) {
        return p == Precision.BF16 ? BF16 : FP32;
    }

    public Precision precision() {
        return precision;
    }

    /**
     * The parameters a forward pass reads: as stored in fp32; in bf16 their cast copies, made on first
     * use and attached to {@code manager} (close it after the pass, or its backward pass).
     */
    public ParameterStore parameters(NDManager manager) {
        return parameters(manager, false);
    }

    /**
     * As above, the casts recorded for a backward pass even outside training ({@code record}): a
     * gradient with respect to the input (gradient ascent) needs the weights it went through.
     */
    public ParameterStore parameters(NDManager manager, boolean record) {
        return precision == Precision.FP32 ? new ParameterStore(manager, false) : new CastingStore(manager, record);
    }

    /**
     * The network's input in this format (float32 in, as the pre-processing makes it).
     *
     * @param training whether the pass is recorded for a backward pass
     */
    public NDArray input(NDArray x, boolean training) {
        return precision == Precision.FP32 ? x : TorchKernels.toBfloat16(x, training);
    }

    /** The network's output as float32 in the default layout. */
    public NDArray output(NDArray y, boolean training) {
        return precision == Precision.FP32 ? y : TorchKernels.toFloat32(y, training);
    }

    /** One inference pass of {@code block} on {@code x} (float32), float32 logits out; arrays attach to {@code manager}. */
    public NDArray infer(Block block, NDManager manager, NDArray x) {
        NDArray y = block.forward(parameters(manager), new NDList(input(x, false)), false).singletonOrThrow();
        return output(y, false);
    }

    @Override
    public String toString() {
        return precision.label();
    }

    /** Casts weights, biases and other parameters (PReLU slopes) to bf16, channels-last; normalisation stays float32. */
    private static final class CastingStore extends ParameterStore {
        private final NDManager manager;
        private final boolean record;
        private final Map<String, NDArray> cast = new HashMap<>();

        CastingStore(NDManager manager, boolean record) {
            super(manager, false);
            this.manager = manager;
            this.record = record;
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            NDArray stored = super.getValue(parameter, device, training);
            if (parameter == null) {
                return stored; // DJL's convolution asks for its absent bias
            }
            Parameter.Type type = parameter.getType();
            boolean computes = type == Parameter.Type.WEIGHT || type == Parameter.Type.BIAS
                    || type == Parameter.Type.OTHER;
            if (!computes || stored.getDataType() != DataType.FLOAT32) {
                return stored;
            }
            return cast.computeIfAbsent(parameter.getId(), id -> {
                NDArray c = TorchKernels.toBfloat16(stored, training || record);
                c.attach(manager);
                return c;
            });
        }
    }
}
