package io.medseg.core.nn;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * libtorch operations that DJL's JNI does not expose, each run through a TorchScript module without
 * parameters ({@code prelu.pt}, {@code transposed-convolution.pt}, and the casts
 * {@code to-bfloat16.pt} and {@code to-float32.pt}, written by
 * {@code scripts/make-torch-kernels.py}), so forward and backward stay inside libtorch where the same
 * maths in DJL operations is a chain of full-size passes: PReLU as {@code where(x > 0, x, a·x)} cost 4×
 * the time of {@code torch.prelu} and its backward 2× (16×64³ floats), the transposed convolution as
 * a 1×1 convolution, a rearrangement and a bias pass 1.4× the fused batched product (measured when
 * each was added).
 */
final class TorchKernels {
    private enum Kernel {
        PRELU("prelu.pt"), TRANSPOSED_CONVOLUTION("transposed-convolution.pt"), TO_BFLOAT16("to-bfloat16.pt"),
        TO_FLOAT32("to-float32.pt");

        final String resource;
        volatile Block module;

        Kernel(String resource) {
            this.resource = resource;
        }
    }

    // held for the JVM's life: DJL closes a Model's native handles when the Model is garbage-collected
    private static final List<Model> OWNERS = new ArrayList<>();

    private TorchKernels() {
    }

    /** PReLU with one slope per channel: {@code torch.prelu(x, slope)}, slope of shape (C). */
    static NDArray prelu(NDArray x, NDArray slope, boolean training) {
        return run(Kernel.PRELU, training, x, slope);
    }

    /**
     * Transposed convolution with kernel = stride and no padding, PyTorch's layout: x (N, C_in, S...),
     * weight (C_in, C_out, k...), bias (C_out) → (N, C_out, S·k...).
     */
    static NDArray transposedConvolution(NDArray x, NDArray weight, NDArray bias, boolean training) {
        return run(Kernel.TRANSPOSED_CONVOLUTION, training, x, weight, bias);
    }

    /**
     * The tensor as bfloat16, stored channels-last when it has 4 or 5 axes (oneDNN's layout for bf16).
     * DJL's JNI knows no bf16 type: it cannot cast to one, and a DJL operation that makes an array of
     * a bf16 array's type ({@code DataType.UNKNOWN} to DJL) aborts the process, so every cast is here.
     * In training the cast is recorded (a tensor made under inference mode cannot be saved for backward).
     */
    static NDArray toBfloat16(NDArray x, boolean training) {
        return run(Kernel.TO_BFLOAT16, training, x);
    }

    /** The tensor as float32 in the default order (N, C, S...), as DJL reads a tensor's bytes. */
    static NDArray toFloat32(NDArray x, boolean training) {
        return run(Kernel.TO_FLOAT32, training, x);
    }

    private static NDArray run(Kernel kernel, boolean training, NDArray... inputs) {
        // training=false runs the module under no-grad: keep recording when gradients are collected
        // for the input (gradient ascent, saliency) outside training
        boolean record = training;
        for (NDArray input : inputs) {
            record |= input.hasGradient();
        }
        return module(kernel).forward(new ParameterStore(inputs[0].getManager(), false), new NDList(inputs), record)
                .singletonOrThrow();
    }

    private static Block module(Kernel kernel) {
        Block loaded = kernel.module;
        if (loaded == null) {
            synchronized (TorchKernels.class) {
                loaded = kernel.module;
                if (loaded == null) {
                    kernel.module = loaded = load(kernel.resource);
                }
            }
        }
        return loaded;
    }

    private static Block load(String resource) {
        // the profiling graph executor would run the first calls on another code path than later
        // ones; a resumed training run must repeat the same kernels bit for bit
        if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
            System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        }
        Model model = Model.newInstance(resource, Device.cpu(), "PyTorch");
        OWNERS.add(model);
        try (InputStream in = TorchKernels.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " next to " + TorchKernels.class);
            }
            model.load(in, Map.of());
            return model.getBlock();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("libtorch cannot load " + resource + ": " + e.getMessage(), e);
        }
    }
}
