package io.medseg.core.explain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.engine.TensorLayout;
import io.medseg.core.nn.ActivationTap;
import io.medseg.core.nn.NetworkParts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Looks inside a trained encoder–decoder (the course's "what did the CNN learn"): its first-layer
 * filters, the activations of named layers for an input, the class probabilities, and the input
 * that excites a chosen channel most. Layers are named by their place in the network
 * ({@link NetworkParts}): {@code encoder0} … {@code encoderN-1}, {@code bottleneck}, {@code upK} and
 * {@code decoderK} on the way back up, {@code head}.
 *
 * <p>Inputs and outputs are float arrays in the engine's layout (channels × voxels, x fastest) of
 * already normalised intensities; reading files and drawing pictures is the caller's business.
 */
public final class NetworkExplainer {
    private final ModelBundle bundle;
    private final List<Layer> layers;

    /** A named block of the network. */
    public record Layer(String name, Block block) {}

    /** A layer's output for one input: channels × voxels of {@code sizeXyz}, x fastest. */
    public record Maps(String layer, long[] sizeXyz, int channels, float[] values) {
        /** Channel {@code c}'s voxels. */
        public float[] channel(int c) {
            int n = values.length / channels;
            return Arrays.copyOfRange(values, c * n, (c + 1) * n);
        }
    }

    /** The first convolution's weights: filters × input channels × kernel voxels (x fastest). */
    public record Filters(int count, int inputChannels, long[] kernelXyz, float[] weights) {}

    /**
     * An input grown by gradient ascent to excite one channel.
     *
     * @param input channels × voxels of {@code sizeXyz}
     * @param trace the channel's mean activation before each step and after the last
     */
    public record Excitation(String layer, int channel, long[] sizeXyz, float[] input, double[] trace) {
        public double before() {
            return trace[0];
        }

        public double after() {
            return trace[trace.length - 1];
        }
    }

    public NetworkExplainer(ModelBundle bundle) {
        this.bundle = bundle;
        NetworkParts parts = NetworkParts.of(bundle.block());
        List<Layer> l = new ArrayList<>();
        int depth = parts.depth();
        for (int d = 0; d < depth; d++) {
            l.add(new Layer("encoder" + d, parts.levels().get(d).encoder()));
        }
        l.add(new Layer("bottleneck", parts.levels().get(depth).encoder()));
        for (int d = depth - 1; d >= 0; d--) {
            l.add(new Layer("up" + d, parts.levels().get(d).up()));
            l.add(new Layer("decoder" + d, parts.levels().get(d).decoder()));
        }
        l.add(new Layer("head", parts.head()));
        this.layers = List.copyOf(l);
    }

    /** Every named layer in forward order. */
    public List<Layer> layers() {
        return layers;
    }

    /** One early, one middle, the bottleneck and one late layer. */
    public List<Layer> defaultLayers() {
        int depth = NetworkParts.of(bundle.block()).depth();
        return List.of(layer("encoder0"), layer("encoder" + depth / 2), layer("bottleneck"), layer("decoder0"));
    }

    /** @throws IllegalArgumentException naming the layers there are */
    public Layer layer(String name) {
        for (Layer l : layers) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("no layer '" + name + "'; this network has "
                + layers.stream().map(Layer::name).collect(Collectors.joining(", ")));
    }

    /** The weights of the network's first convolution (the first weight tensor in forward order). */
    public Filters firstLayerFilters() {
        for (Pair<String, Parameter> p : bundle.block().getParameters()) {
            NDArray w = p.getValue().getArray();
            if (p.getValue().getType() == Parameter.Type.WEIGHT && w.getShape().dimension() >= 4) {
                long[] s = w.getShape().getShape();
                return new Filters((int) s[0], (int) s[1], TensorLayout.sizeXyz(w.getShape()), w.toFloatArray());
            }
        }
        throw new IllegalStateException("the network has no convolution weights");
    }

    /**
     * The outputs of {@code chosen} for one input, and the class probabilities (softmax of the head)
     * as a last entry named {@code probabilities}.
     *
     * @param input channels × voxels of {@code sizeXyz}, normalised as in training; every size a
     *     multiple of the network's size divisors
     */
    public List<Maps> activations(float[] input, long[] sizeXyz, List<Layer> chosen) {
        int channels = bundle.config().inputChannels();
        try (NDManager manager = bundle.model().getNDManager().newSubManager()) {
            NDArray x = manager.create(input, TensorLayout.tensorShape(1, channels, sizeXyz));
            List<Block> blocks = chosen.stream().map(Layer::block).collect(Collectors.toList());
            List<Maps> out = new ArrayList<>();
            try (ActivationTap tap = ActivationTap.watch(blocks)) {
                NDArray logits = bundle.block().forward(new ParameterStore(manager, false), new NDList(x), false)
                        .singletonOrThrow();
                for (Layer l : chosen) {
                    out.add(maps(l.name(), tap.output(l.block())));
                }
                out.add(maps("probabilities", logits.softmax(1)));
            }
            return out;
        }
    }

    private static Maps maps(String name, NDArray a) {
        long[] size = TensorLayout.sizeXyz(a.getShape());
        return new Maps(name, size, (int) a.getShape().get(1), a.toFloatArray());
    }

    /**
     * Gradient ascent on the input (activation maximisation, Erhan et al. 2009): starting from faint
     * seeded noise, each step moves the input along the gradient of the channel's mean activation
     * minus {@code l2} × the input's mean square (so it does not grow without bound), with the
     * gradient scaled to unit RMS, and keeps values within ±3 (three standard deviations of the
     * normalised intensities). The network runs in inference mode; its weights get no gradient.
     */
    public Excitation maximise(Layer layer, int channel, long[] sizeXyz, int steps, double stepSize, double l2, long seed) {
        int channels = bundle.config().inputChannels();
        int voxels = (int) Arrays.stream(sizeXyz).reduce(1, (a, b) -> a * b);
        float[] start = new float[channels * voxels];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) (0.1 * random.nextGaussian());
        }
        double[] trace = new double[steps + 1];
        List<Parameter> trainable = new ArrayList<>();
        bundle.block().getParameters().forEach(p -> {
            if (p.getValue().requiresGradient()) {
                trainable.add(p.getValue());
                p.getValue().freeze(true);
            }
        });
        try (NDManager manager = bundle.model().getNDManager().newSubManager()) {
            NDArray x = manager.create(start, TensorLayout.tensorShape(1, channels, sizeXyz));
            for (int step = 0; step <= steps; step++) {
                try (NDManager stepManager = manager.newSubManager()) {
                    x.setRequiresGradient(true);
                    NDArray gradient;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                            ActivationTap tap = ActivationTap.watch(List.of(layer.block()))) {
                        bundle.block().forward(new ParameterStore(stepManager, false), new NDList(x), false);
                        NDArray a = tap.output(layer.block());
                        if (channel < 0 || channel >= a.getShape().get(1)) {
                            throw new IllegalArgumentException("layer " + layer.name() + " has " + a.getShape().get(1)
                                    + " channels, no channel " + channel);
                        }
                        NDArray activation = a.get(new NDIndex(":, {}", channel)).mean();
                        trace[step] = activation.getFloat();
                        if (step == steps) {
                            break;
                        }
                        NDArray objective = activation.sub(x.square().mean().mul(l2));
                        collector.backward(objective);
                    }
                    gradient = x.getGradient();
                    float rms = (float) Math.sqrt(gradient.square().mean().getFloat()) + 1e-8f;
                    NDArray next = x.add(gradient.div(rms).mul(stepSize)).clip(-3, 3);
                    next.attach(manager);
                    x = next;
                }
            }
            return new Excitation(layer.name(), channel, sizeXyz.clone(), x.toFloatArray(), trace);
        } finally {
            trainable.forEach(p -> p.freeze(false));
        }
    }
}
