package io.medseg.workbench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
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
    @Option(names = "--bf16", description = "also a bf16 training step (autocast) and inference batch (channels-last), "
            + "next to fp32's (CPU: natively with AVX-512 BF16 or AMX: " + "see docs/precision.md)")
    boolean bf16;
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
            double trainMs = timing.trainStepMs(bundle, new Shape(batch, 1, size, size), ComputeFormat.FP32);
            double inferMs = timing.inferenceMs(bundle, new Shape(batch, 1, size, size), ComputeFormat.FP32);
            report("training step (fwd+bwd+AdamW)", trainMs, 3 * forwardGflop * batch, peak, 0.5);
            report("inference batch (fwd, no grad)", inferMs, forwardGflop * batch, peak, 0.6);
            String key = "unet2d_%s_" + size;
            record(String.format(key, "train"), trainMs);
            record(String.format(key, "infer"), inferMs);
            if (bf16) {
                // the fp32 sgemm peak is no yardstick for bf16 (AMX's is many times higher): the ratio to fp32 is
                double bf16Train = timing.trainStepMs(bundle, new Shape(batch, 1, size, size), ComputeFormat.BF16);
                double bf16Infer = timing.inferenceMs(bundle, new Shape(batch, 1, size, size), ComputeFormat.BF16);
                System.out.printf(Locale.ROOT, "%-32s %9.1f ms  %.2fx fp32's speed%n", "training step, bf16", bf16Train,
                        trainMs / bf16Train);
                System.out.printf(Locale.ROOT, "%-32s %9.1f ms  %.2fx fp32's speed%n", "inference batch, bf16", bf16Infer,
                        inferMs / bf16Infer);
                record(String.format(key, "train") + "_bf16", bf16Train);
                record(String.format(key, "infer") + "_bf16", bf16Infer);
            }
        }
        return 0;
    }

    private void record(String key, double ms) throws IOException {
        if (results != null) {
            Files.writeString(results, "java " + key + " " + ms + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private void report(String what, double ms, double gflop, double peak, double target) {
        double rate = gflop / (ms / 1000);
        System.out.printf(Locale.ROOT, "%-32s %9.1f ms  %7.1f GFLOP/s  %.2f of sgemm peak (target >= %.1f)%n", what, ms,
                rate, rate / peak, target);
    }
}
