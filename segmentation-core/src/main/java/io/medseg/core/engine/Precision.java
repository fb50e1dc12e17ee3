package io.medseg.core.engine;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.util.Locale;
import java.util.Optional;

/**
 * The number type a network computes in. {@code FP32} everywhere; {@code BF16}: convolutions,
 * transposed convolutions and activations in bfloat16 (stored channels-last), with normalisation
 * statistics, the loss, softmax, blending and argmax in float32 (see {@code ComputeFormat}).
 */
public enum Precision {
    FP32("fp32"), BF16("bf16");

    /** What the command line and dialogs accept. */
    public static final String CHOICES = "auto, fp32 or bf16";
    /**
     * What segmentation runs in unless told: fp32, so a result is the same on every machine and
     * reruns bit for bit; bf16 is asked for (docs/precision.md has what it changes and gains).
     */
    public static final String INFERENCE_DEFAULT = "fp32";
    /** What training runs in unless told: fp32, so the bundles' bit-for-bit reproduction holds. */
    public static final String TRAINING_DEFAULT = "fp32";

    private final String label;

    Precision(String label) {
        this.label = label;
    }

    /** "fp32" or "bf16", as printed and recorded. */
    public String label() {
        return label;
    }

    /**
     * A recorded precision ("fp32" or "bf16").
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Precision parse(String label) {
        for (Precision p : values()) {
            if (p.label.equals(label == null ? null : label.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("precision must be fp32 or bf16, got '" + label + "'");
    }

    /**
     * What a run computes in.
     *
     * @param precision the choice
     * @param reason why, for the run's log ("asked for", "auto: AMX and avx512_bf16")
     * @param warning a slow choice the user should hear of (bf16 emulated in software)
     */
    public record Selection(Precision precision, String reason, Optional<String> warning) {
        /** "bf16 (auto: AMX and avx512_bf16)". */
        public String describe() {
            return precision.label + " (" + reason + ")";
        }
    }

    /**
     * Resolves a user's choice on a device: {@code auto} is bf16 where the hardware computes it
     * natively (CPU flags; an NVIDIA GPU of compute capability 8.0 or later) and fp32 elsewhere.
     *
     * @param choice auto, fp32 or bf16 (case-insensitive); null means {@code fallback}
     * @param fallback what null means (a command's default)
     * @throws IllegalArgumentException for an unknown choice, naming the valid ones
     */
    public static Selection select(String choice, String fallback, Device device) {
        String c = (choice == null ? fallback : choice).toLowerCase(Locale.ROOT);
        boolean gpu = device != null && device.isGpu();
        String hardware = gpu ? gpuBf16(device.getDeviceId()) : CpuFeatures.current().describeBf16();
        boolean fast = gpu ? hardware.startsWith("compute capability") && !hardware.contains("no bf16")
                : CpuFeatures.current().nativeBf16();
        switch (c) {
            case "fp32":
                return new Selection(FP32, choice == null ? "the default" : "asked for", Optional.empty());
            case "bf16":
                return new Selection(BF16, choice == null ? "the default" : "asked for", fast ? Optional.empty()
                        : Optional.of("bf16 was asked for, but this " + (gpu ? "GPU" : "CPU") + " has " + hardware
                                + ": libtorch emulates it, slower than fp32"));
            case "auto":
                return new Selection(fast ? BF16 : FP32, "auto: " + hardware, Optional.empty());
            default:
                throw new IllegalArgumentException("precision must be " + CHOICES + ", got '" + choice + "'");
        }
    }

    /** "compute capability 8.6" or "compute capability 7.5, no bf16"; "unknown GPU" when CUDA does not say. */
    private static String gpuBf16(int deviceId) {
        try {
            String cc = CudaUtils.getComputeCapability(Math.max(0, deviceId));
            int major = Integer.parseInt(cc.substring(0, cc.length() - 1));
            return "compute capability " + major + "." + cc.charAt(cc.length() - 1) + (major >= 8 ? "" : ", no bf16");
        } catch (RuntimeException | LinkageError e) {
            return "unknown GPU";
        }
    }
}
