package io.medseg.core.explain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.engine.TensorLayout;
import io.medseg.core.nn.ActivationTap;
import io.medseg.core.nn.ComputeFormat;
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
    private final ComputeFormat format;
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
        this(bundle, ComputeFormat.FP32);
    }

    /** @param format the network's arithmetic; activations are read back as float32 */
    public NetworkExplainer(ModelBundle bundle, ComputeFormat format) {
        this.bundle = bundle;
        this.format = format;
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
                NDArray logits = bundle.block().forward(format.parameters(manager), new NDList(format.input(x, false)),
                        false).singletonOrThrow();
                for (Layer l : chosen) {
                    out.add(maps(l.name(), format.output(tap.output(l.block()), false)));
                }
                out.add(maps("probabilities", format.output(logits, false).softmax(1)));
            }
            return out;
        }
    }

    private static Maps maps(String name, NDArray a) {
        long[] size = TensorLayout.sizeXyz(a.getShape());
        return new Maps(name, size, (int) a.getShape().get(1), a.toFloatArray());
    }

    /** Largest random shift (voxels per axis) of the input at each step: jitter, against high-frequency patterns. */
    public static final int JITTER = 2;
    /** The input is blurred (1-2-1 per axis) every this many steps, as Yosinski et al. (2015) regularise. */
    public static final int BLUR_EVERY = 4;
    /** Weight of the total-variation penalty (mean squared neighbour difference): a frequency penalty. */
    public static final double TOTAL_VARIATION = 0.05;

    /**
     * Gradient ascent on the input (activation maximisation, Erhan et al. 2009), regularised as in
     * the feature-visualisation literature (Yosinski et al. 2015; Olah et al. 2017) so that the
     * picture is readable rather than noise: starting from faint seeded noise, each step shifts the
     * input by a random offset of up to {@value #JITTER} voxels per axis (jitter), moves it along the
     * gradient of the channel's mean activation minus {@code l2} × its mean square and
     * {@value #TOTAL_VARIATION} × its total variation (a penalty on high frequencies), with the
     * gradient scaled to unit RMS, keeps values within ±3 (three standard deviations of the
     * normalised intensities), and every {@value #BLUR_EVERY} steps blurs it slightly. The first and
     * last activations are measured without a shift, so {@link Excitation#before()} and
     * {@link Excitation#after()} compare like with like. The network runs in inference mode; its
     * weights get no gradient.
     */
    public Excitation maximise(Layer layer, int channel, long[] sizeXyz, int steps, double stepSize, double l2, long seed) {
        int channels = bundle.config().inputChannels();
        int voxels = (int) Arrays.stream(sizeXyz).reduce(1, (a, b) -> a * b);
        float[] input = new float[channels * voxels];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) (0.1 * random.nextGaussian());
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
            for (int step = 0; step <= steps; step++) {
                int[] shift = new int[sizeXyz.length];
                if (step > 0 && step < steps) {
                    for (int k = 0; k < shift.length; k++) {
                        shift[k] = random.nextInt(2 * JITTER + 1) - JITTER;
                    }
                }
                try (NDManager stepManager = manager.newSubManager()) {
                    NDArray x = stepManager.create(roll(input, sizeXyz, channels, shift),
                            TensorLayout.tensorShape(1, channels, sizeXyz));
                    x.setRequiresGradient(true);
                    float[] gradient;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                            ActivationTap tap = ActivationTap.watch(List.of(layer.block()))) {
                        bundle.block().forward(format.parameters(stepManager, true), new NDList(format.input(x, true)),
                                false);
                        NDArray a = format.output(tap.output(layer.block()), true);
                        if (channel < 0 || channel >= a.getShape().get(1)) {
                            throw new IllegalArgumentException("layer " + layer.name() + " has " + a.getShape().get(1)
                                    + " channels, no channel " + channel);
                        }
                        NDArray activation = a.get(new NDIndex(":, {}", channel)).mean();
                        trace[step] = activation.getFloat();
                        if (step == steps) {
                            break;
                        }
                        NDArray objective = activation.sub(x.square().mean().mul(l2))
                                .sub(totalVariation(x, sizeXyz.length).mul(TOTAL_VARIATION));
                        collector.backward(objective);
                    }
                    gradient = roll(x.getGradient().toFloatArray(), sizeXyz, channels, negate(shift));
                    double squares = 0;
                    for (float g : gradient) {
                        squares += (double) g * g;
                    }
                    float scale = (float) (stepSize / (Math.sqrt(squares / gradient.length) + 1e-8));
                    for (int i = 0; i < input.length; i++) {
                        input[i] = Math.max(-3f, Math.min(3f, input[i] + gradient[i] * scale));
                    }
                    if ((step + 1) % BLUR_EVERY == 0) {
                        blur(input, sizeXyz, channels);
                    }
                }
            }
            return new Excitation(layer.name(), channel, sizeXyz.clone(), input, trace);
        } finally {
            trainable.forEach(p -> p.freeze(false));
        }
    }

    /** Mean squared difference of neighbours along every spatial axis of an (N, C, [D,] H, W) tensor. */
    private static NDArray totalVariation(NDArray x, int spatialDims) {
        NDArray sum = null;
        long[] shape = x.getShape().getShape();
        for (int axis = 2; axis < 2 + spatialDims; axis++) {
            if (shape[axis] < 2) {
                continue;
            }
            String[] from = new String[shape.length];
            String[] to = new String[shape.length];
            Arrays.fill(from, ":");
            Arrays.fill(to, ":");
            from[axis] = "1:";
            to[axis] = ":" + (shape[axis] - 1);
            NDArray d = x.get(new NDIndex(String.join(",", from))).sub(x.get(new NDIndex(String.join(",", to))));
            NDArray term = d.square().mean();
            sum = sum == null ? term : sum.add(term);
        }
        return sum != null ? sum : x.getManager().create(0f);
    }

    private static int[] negate(int[] v) {
        return Arrays.stream(v).map(i -> -i).toArray();
    }

    /** The channels × voxels array shifted cyclically by {@code shift} voxels per axis (x fastest). */
    static float[] roll(float[] data, long[] sizeXyz, int channels, int[] shift) {
        if (Arrays.stream(shift).allMatch(s -> s == 0)) {
            return data.clone();
        }
        int n = sizeXyz.length;
        int voxels = data.length / channels;
        float[] out = new float[data.length];
        int[] index = new int[n];
        for (int i = 0; i < voxels; i++) {
            int rest = i;
            int target = 0;
            int stride = 1;
            for (int k = 0; k < n; k++) {
                int size = (int) sizeXyz[k];
                index[k] = rest % size;
                rest /= size;
                target += Math.floorMod(index[k] + shift[k], size) * stride;
                stride *= size;
            }
            for (int c = 0; c < channels; c++) {
                out[c * voxels + target] = data[c * voxels + i];
            }
        }
        return out;
    }

    /** A 1-2-1 blur along every axis, in place (edges repeat their value). */
    static void blur(float[] data, long[] sizeXyz, int channels) {
        int voxels = data.length / channels;
        float[] tmp = new float[voxels];
        int stride = 1;
        for (long axisSize : sizeXyz) {
            int size = (int) axisSize;
            if (size > 1) {
                for (int c = 0; c < channels; c++) {
                    int base = c * voxels;
                    for (int i = 0; i < voxels; i++) {
                        int position = i / stride % size;
                        float left = data[base + (position > 0 ? i - stride : i)];
                        float right = data[base + (position < size - 1 ? i + stride : i)];
                        tmp[i] = 0.25f * left + 0.5f * data[base + i] + 0.25f * right;
                    }
                    System.arraycopy(tmp, 0, data, base, voxels);
                }
            }
            stride *= size;
        }
    }
}
