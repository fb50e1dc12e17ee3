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
import java.util.Map;

/**
 * libtorch kernels that DJL's JNI does not expose, run through a TorchScript module without
 * parameters ({@code torch-kernels.pt}, written by {@code scripts/make-torch-kernels.py}). Each is
 * one fused kernel forward and backward where the same maths in DJL operations is a chain of
 * full-size element-wise passes: PReLU as {@code where(x > 0, x, a·x)} cost 4× the time of
 * {@code torch.prelu} and its backward 2× (16×64³ floats, measured when this class was added).
 */
final class TorchKernels {
    private static final String RESOURCE = "torch-kernels.pt";
    private static volatile Block module;
    // held for the JVM's life: DJL closes a Model's native handles when the Model is garbage-collected
    private static Model owner;

    private TorchKernels() {
    }

    /** PReLU with one slope per channel: {@code torch.prelu(x, slope)}, slope of shape (C). */
    static NDArray prelu(NDArray x, NDArray slope, boolean training) {
        // training=false runs the module under no-grad: keep recording when gradients are collected
        // for the input (gradient ascent, saliency) outside training
        boolean record = training || x.hasGradient() || slope.hasGradient();
        return module().forward(new ParameterStore(x.getManager(), false), new NDList(x, slope), record)
                .singletonOrThrow();
    }

    private static Block module() {
        Block loaded = module;
        if (loaded == null) {
            synchronized (TorchKernels.class) {
                loaded = module;
                if (loaded == null) {
                    module = loaded = load();
                }
            }
        }
        return loaded;
    }

    private static Block load() {
        // the profiling graph executor would run the first calls on another code path than later
        // ones; a resumed training run must repeat the same kernels bit for bit
        if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
            System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        }
        Model model = Model.newInstance("torch-kernels", Device.cpu(), "PyTorch");
        owner = model;
        try (InputStream in = TorchKernels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE + " next to " + TorchKernels.class);
            }
            model.load(in, Map.of());
            return model.getBlock();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("libtorch cannot load " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
