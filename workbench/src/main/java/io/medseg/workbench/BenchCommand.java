package io.medseg.workbench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.engine.Precision;
import io.medseg.core.nn.ComputeFormat;
import io.medseg.core.preprocess.Intensity;
import io.medseg.core.nn.ActivationKind;
import io.medseg.core.nn.Normalization;
import io.medseg.unet.UNet;
import io.medseg.unet.UNetArchitecture;
import io.medseg.unet.UNetConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medseg bench}: the machine's libtorch sgemm peak, then U-Net training-step and inference
 * times in the same process, as achieved GFLOP/s and as a fraction of that peak.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure sgemm peak and U-Net (depth 4, 32 filters, BN, 256x256, batch 4) train/inference speed.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--repeats", defaultValue = "5", description = "timed repetitions after warm-up. Default: ${DEFAULT-VALUE}")
    int repeats;
    @Option(names = "--size", defaultValue = "256", description = "image size. Default: ${DEFAULT-VALUE}")
    int size;
    @Option(names = "--batch", defaultValue = "4", description = "Default: ${DEFAULT-VALUE}")
    int batch;
    @Option(names = "--precision", defaultValue = "fp32", split = ",", paramLabel = "fp32|bf16|auto",
            description = "the arithmetic measured, each in turn: fp32,bf16 puts bf16's training step (autocast) and "
                    + "inference batch (channels-last) next to fp32's (docs/precision.md). Default: ${DEFAULT-VALUE}")
    List<String> precisions;
    @Option(names = "--results", description = "append machine-readable result lines (java KEY MS) to this file")
    Path results;
    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        Device d = device.resolve();
        System.out.printf(Locale.ROOT, "machine: %d cores, %s; libtorch %s on %s; intra-op threads from libtorch%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                Engine.getInstance().getVersion(), d);
        NetworkTiming timing = new NetworkTiming(repeats);
        double peak = timing.sgemmPeak(d);
        System.out.printf(Locale.ROOT, "sgemm 2048x2048: %.1f GFLOP/s (best of %d)%n", peak, repeats);

        UNetConfig unet = new UNetConfig(2, 4, 32, Normalization.BATCH, ActivationKind.RELU, 0f);
        double forwardGflop = UNet.forwardFlops(unet, 1, 2, size, size) / 1e9;
        System.out.printf(Locale.ROOT, "U-Net depth 4, base 32, BatchNorm, ReLU, 1->2 classes, %dx%d, batch %d:"
                + " forward %.2f GFLOP per image%n", size, size, batch, forwardGflop);
        JsonObject args = new Gson().toJsonTree(unet).getAsJsonObject();
        ModelConfig config = new ModelConfig(ModelConfig.FORMAT, UNetArchitecture.NAME, args, 1,
                Map.of(0, "background", 1, "foreground"), new int[] {size, size}, new double[] {1, 1}, Intensity.ZSCORE,
                null, Map.of(), Map.of());
        try (ModelBundle bundle = ModelBundle.create(config, d, 1)) {
            Shape input = new Shape(batch, 1, size, size);
            String key = "unet2d_%s_" + size;
            double[] fp32 = null;
            for (Precision p : precisions.stream().map(c -> Precision.select(c, "fp32", d).precision()).toList()) {
                ComputeFormat format = ComputeFormat.of(p);
                double trainMs = timing.trainStepMs(bundle, input, format);
                double inferMs = timing.inferenceMs(bundle, input, format);
                String suffix = p == Precision.FP32 ? "" : "_" + p.label();
                record(String.format(key, "train") + suffix, trainMs);
                record(String.format(key, "infer") + suffix, inferMs);
                if (p == Precision.FP32) {
                    report("training step (fwd+bwd+AdamW)", trainMs, 3 * forwardGflop * batch, peak, 0.5);
                    report("inference batch (fwd, no grad)", inferMs, forwardGflop * batch, peak, 0.6);
                    fp32 = new double[] {trainMs, inferMs};
                } else {
                    // the fp32 sgemm peak is no yardstick for bf16 (AMX's is many times higher); fp32's time is
                    compare("training step, " + p.label(), trainMs, fp32 == null ? Double.NaN : fp32[0]);
                    compare("inference batch, " + p.label(), inferMs, fp32 == null ? Double.NaN : fp32[1]);
                }
            }
        }
        return 0;
    }

    private void record(String key, double ms) throws IOException {
        if (results != null) {
            Files.writeString(results, "java " + key + " " + ms + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private static void compare(String what, double ms, double fp32Ms) {
        System.out.printf(Locale.ROOT, "%-32s %9.1f ms%s%n", what, ms, Double.isNaN(fp32Ms) ? ""
                : String.format(Locale.ROOT, "  %.2fx fp32's speed", fp32Ms / ms));
    }

    private void report(String what, double ms, double gflop, double peak, double target) {
        double rate = gflop / (ms / 1000);
        System.out.printf(Locale.ROOT, "%-32s %9.1f ms  %7.1f GFLOP/s  %.2f of sgemm peak (target >= %.1f)%n", what, ms,
                rate, rate / peak, target);
    }
}
