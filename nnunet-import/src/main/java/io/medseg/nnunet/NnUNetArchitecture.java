package io.medseg.nnunet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * The {@code architecture} block of an nnU-Net v2 configuration ({@code network_class_name} and
 * {@code arch_kwargs}) for the networks this reader builds: dynamic-network-architectures'
 * {@code PlainConvUNet} and {@code ResidualEncoderUNet} (with {@code BasicBlockD}, nnU-Net's ResEnc
 * presets). Every key is read or refused: a setting this reader does not reproduce exactly (another
 * normalisation, a leaky-ReLU slope other than 0.01, dropout, bottleneck blocks) is an error naming
 * it, never a network that computes something else.
 *
 * @param spatialDims 2 ({@code Conv2d}) or 3 ({@code Conv3d})
 * @param features channels per stage
 * @param kernels per stage, per axis in tensor order (after nnU-Net's {@code transpose_forward})
 * @param strides per stage, per axis; stage 0's are all 1 in nnU-Net's plans
 * @param encoderConvs convolutions per encoder stage (PlainConvUNet), or residual blocks per stage
 *     (ResidualEncoderUNet, after a stem of one convolution)
 * @param decoderConvs convolutions per decoder stage, deepest first (nnU-Net's order)
 * @param convBias whether convolutions (and transposed convolutions) have a bias
 */
public record NnUNetArchitecture(String networkClass, int spatialDims, int[] features, int[][] kernels, int[][] strides,
        int[] encoderConvs, int[] decoderConvs, boolean convBias) {
    private static final Set<String> RESIDUAL_KEYS = Set.of("n_stages", "features_per_stage", "conv_op", "kernel_sizes",
            "strides", "n_blocks_per_stage", "n_conv_per_stage_decoder", "conv_bias", "norm_op", "norm_op_kwargs",
            "dropout_op", "dropout_op_kwargs", "nonlin", "nonlin_kwargs", "block", "bottleneck_channels", "stem_channels");

    public static final String PLAIN_CONV_UNET = "dynamic_network_architectures.architectures.unet.PlainConvUNet";
    public static final String RESIDUAL_ENCODER_UNET =
            "dynamic_network_architectures.architectures.unet.ResidualEncoderUNet";

    private static final Set<String> PLAIN_KEYS = Set.of("n_stages", "features_per_stage", "conv_op", "kernel_sizes",
            "strides", "n_conv_per_stage", "n_conv_per_stage_decoder", "conv_bias", "norm_op", "norm_op_kwargs",
            "dropout_op", "dropout_op_kwargs", "nonlin", "nonlin_kwargs");

    /** Reads {@code configuration.architecture}; {@code plans} names the file in messages. */
    public static NnUNetArchitecture of(JsonObject configuration, Path plans) throws CheckpointException {
        if (!configuration.has("architecture")) {
            throw new CheckpointException(plans, "the configuration has no \"architecture\" (plans of nnU-Net before "
                    + "v2.4 describe the network otherwise; plan the dataset again with a current nnU-Net)");
        }
        JsonObject a = configuration.getAsJsonObject("architecture");
        String name = a.get("network_class_name").getAsString();
        boolean residual = name.equals(RESIDUAL_ENCODER_UNET);
        if (!name.equals(PLAIN_CONV_UNET) && !residual) {
            throw new CheckpointException(plans, "network " + name + " is not supported (PlainConvUNet and "
                    + "ResidualEncoderUNet are)");
        }
        JsonObject k = a.getAsJsonObject("arch_kwargs");
        for (String key : k.keySet()) {
            if (!(residual ? RESIDUAL_KEYS : PLAIN_KEYS).contains(key)) {
                throw new CheckpointException(plans, "arch_kwargs." + key + " is a setting this reader does not know; "
                        + "refused rather than ignored");
            }
        }
        if (k.has("block") && !k.get("block").isJsonNull() && !k.get("block").getAsString().endsWith("BasicBlockD")) {
            throw new CheckpointException(plans, "arch_kwargs.block " + k.get("block").getAsString() + " is not supported "
                    + "(BasicBlockD, nnU-Net's ResEnc presets, is)");
        }
        if (k.has("bottleneck_channels") && !k.get("bottleneck_channels").isJsonNull()) {
            throw new CheckpointException(plans, "arch_kwargs.bottleneck_channels is not supported (BasicBlockD has none)");
        }
        int dims = switch (text(k, "conv_op")) {
            case "torch.nn.modules.conv.Conv2d", "torch.nn.Conv2d" -> 2;
            case "torch.nn.modules.conv.Conv3d", "torch.nn.Conv3d" -> 3;
            default -> throw new CheckpointException(plans, "conv_op " + text(k, "conv_op") + " is not Conv2d or Conv3d");
        };
        String norm = text(k, "norm_op");
        if (!norm.equals("torch.nn.modules.instancenorm.InstanceNorm" + dims + "d")
                && !norm.equals("torch.nn.InstanceNorm" + dims + "d")) {
            throw new CheckpointException(plans, "norm_op " + norm + " is not supported (instance norm is)");
        }
        JsonObject normKwargs = k.has("norm_op_kwargs") && k.get("norm_op_kwargs").isJsonObject()
                ? k.getAsJsonObject("norm_op_kwargs") : new JsonObject();
        double eps = normKwargs.has("eps") ? normKwargs.get("eps").getAsDouble() : 1e-5;
        boolean affine = !normKwargs.has("affine") || normKwargs.get("affine").getAsBoolean();
        if (Math.abs(eps - 1e-5) > 1e-12 || !affine) {
            throw new CheckpointException(plans, "norm_op_kwargs " + normKwargs + " is not supported (eps 1e-5 with "
                    + "affine weights is)");
        }
        if (k.has("dropout_op") && !k.get("dropout_op").isJsonNull()) {
            // dropout is inactive at inference, but a plan with it is not one this reader was proven on
            throw new CheckpointException(plans, "dropout_op " + k.get("dropout_op") + " is not supported");
        }
        String nonlin = text(k, "nonlin");
        if (!nonlin.equals("torch.nn.LeakyReLU") && !nonlin.equals("torch.nn.modules.activation.LeakyReLU")) {
            throw new CheckpointException(plans, "nonlin " + nonlin + " is not supported (LeakyReLU is)");
        }
        if (k.has("nonlin_kwargs") && k.get("nonlin_kwargs").isJsonObject()) {
            JsonObject nk = k.getAsJsonObject("nonlin_kwargs");
            if (nk.has("negative_slope") && Math.abs(nk.get("negative_slope").getAsDouble() - 0.01) > 1e-12) {
                throw new CheckpointException(plans, "nonlin_kwargs.negative_slope " + nk.get("negative_slope")
                        + " is not supported (0.01 is)");
            }
        }
        int stages = k.get("n_stages").getAsInt();
        int[] features = ints(k.get("features_per_stage"), stages, plans, "features_per_stage");
        int[][] kernels = perStage(k.get("kernel_sizes"), stages, dims, plans, "kernel_sizes");
        int[][] strides = perStage(k.get("strides"), stages, dims, plans, "strides");
        String perStage = residual ? "n_blocks_per_stage" : "n_conv_per_stage";
        int[] encoder = ints(k.get(perStage), stages, plans, perStage);
        if (residual && k.has("stem_channels") && !k.get("stem_channels").isJsonNull()
                && k.get("stem_channels").getAsInt() != features[0]) {
            throw new CheckpointException(plans, "arch_kwargs.stem_channels " + k.get("stem_channels") + " differs from "
                    + "features_per_stage[0]; not supported");
        }
        int[] decoder = ints(k.get("n_conv_per_stage_decoder"), stages - 1, plans, "n_conv_per_stage_decoder");
        boolean bias = !k.has("conv_bias") || k.get("conv_bias").getAsBoolean();
        for (int[] kernel : kernels) {
            if (Arrays.stream(kernel).anyMatch(v -> v % 2 == 0)) {
                throw new CheckpointException(plans, "kernel_sizes " + Arrays.deepToString(kernels) + " has an even size");
            }
        }
        return new NnUNetArchitecture(name, dims, features, kernels, strides, encoder, decoder, bias);
    }

    private static String text(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "None";
    }

    /** An int or a list of n ints (dynamic-network-architectures takes both). */
    private static int[] ints(JsonElement e, int n, Path plans, String key) throws CheckpointException {
        int[] out = new int[n];
        if (e != null && e.isJsonPrimitive()) {
            Arrays.fill(out, e.getAsInt());
            return out;
        }
        JsonArray a = e == null ? null : e.getAsJsonArray();
        if (a == null || a.size() != n) {
            throw new CheckpointException(plans, key + " needs " + n + " entries, has " + e);
        }
        for (int i = 0; i < n; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    private static int[][] perStage(JsonElement e, int n, int dims, Path plans, String key) throws CheckpointException {
        JsonArray a = e == null || !e.isJsonArray() ? null : e.getAsJsonArray();
        if (a == null || a.size() != n) {
            throw new CheckpointException(plans, key + " needs one entry per stage (" + n + "), has " + e);
        }
        int[][] out = new int[n][];
        for (int s = 0; s < n; s++) {
            JsonElement v = a.get(s);
            out[s] = v.isJsonPrimitive() ? filled(dims, v.getAsInt()) : ints(v, dims, plans, key + "[" + s + "]");
        }
        return out;
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    public int stages() {
        return features.length;
    }

    /** Whether this is the residual-encoder U-Net (stem, then BasicBlockD stages). */
    public boolean residual() {
        return networkClass.equals(RESIDUAL_ENCODER_UNET);
    }

    /** Each input size (tensor order) must be a multiple of these: the strides of all stages multiplied. */
    public int[] sizeDivisors() {
        int[] d = filled(spatialDims, 1);
        for (int[] stride : strides) {
            for (int k = 0; k < spatialDims; k++) {
                d[k] *= stride[k];
            }
        }
        return d;
    }

    /**
     * Multiply-adds × 2 of one forward pass on an input of {@code size} (tensor order), counting the
     * convolutions, the residual projections and the transposed convolutions (as PyTorch forward
     * hooks on them would), the deep-supervision heads left out as at inference.
     */
    public double forwardFlops(int inputChannels, int classes, long[] size) {
        double flops = 0;
        long[] level = size.clone();
        double[] voxels = new double[stages()];
        for (int s = 0; s < stages(); s++) {
            for (int k = 0; k < spatialDims; k++) {
                level[k] /= strides[s][k];
            }
            voxels[s] = Arrays.stream(level).asDoubleStream().reduce(1, (a, b) -> a * b);
            int in = s == 0 ? inputChannels : features[s - 1];
            double kernel = Arrays.stream(kernels[s]).asDoubleStream().reduce(1, (a, b) -> a * b);
            if (residual()) {
                if (s == 0) { // the stem
                    flops += 2 * kernel * inputChannels * features[0] * voxels[0];
                    in = features[0];
                }
                for (int b = 0; b < encoderConvs[s]; b++) {
                    int from = b == 0 ? in : features[s];
                    flops += 2 * kernel * (from + features[s]) * features[s] * voxels[s];
                    if (b == 0 && from != features[s]) {
                        flops += 2.0 * from * features[s] * voxels[s]; // the 1×1 projection
                    }
                }
            } else {
                flops += 2 * kernel * (in + (encoderConvs[s] - 1.0) * features[s]) * features[s] * voxels[s];
            }
        }
        for (int s = stages() - 2; s >= 0; s--) {
            double up = Arrays.stream(strides[s + 1]).asDoubleStream().reduce(1, (a, b) -> a * b);
            flops += 2 * up * features[s + 1] * features[s] * voxels[s + 1];
            double kernel = Arrays.stream(kernels[s]).asDoubleStream().reduce(1, (a, b) -> a * b);
            int convs = decoderConvs[stages() - 2 - s];
            flops += 2 * kernel * (2.0 * features[s] + (convs - 1.0) * features[s]) * features[s] * voxels[s];
        }
        return flops + 2.0 * features[0] * classes * voxels[0];
    }
}
