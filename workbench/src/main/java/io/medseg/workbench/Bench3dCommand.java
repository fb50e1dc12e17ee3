package io.medseg.workbench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import io.medseg.core.Segmenter;
import io.medseg.core.bundle.Architectures;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.engine.Precision;
import io.medseg.core.nn.ComputeFormat;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.bundle.NetworkArchitecture;
import io.medseg.core.bundle.RecordArchitecture;
import io.medseg.core.preprocess.Intensity;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.core.preprocess.Fingerprint;
import io.medseg.core.preprocess.Plan;
import io.medseg.core.preprocess.Planner;
import io.medseg.unet.PlainUNetArchitecture;
import io.medseg.unet.PlainUNetConfig;
import io.medseg.vnet.VNetArchitecture;
import io.medseg.vnet.VNetConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medseg bench-3d}: the 3D engine's speed. {@code --part networks}: V-Net (base 16) and
 * nnU-Net's 3D U-Net (base 32) training step (batch 2) and one-patch inference at 64³ and 96³.
 * {@code --part volume}: whole-volume segmentation of a 512×512×300 CT at 0.8×0.8×2.5 mm with a
 * 3 mm model (resample, sliding window 0.5 overlap, Gaussian, scores back to the scan, argmax),
 * seconds and the process's peak resident memory. scripts/bench-3d.sh runs both next to PyTorch.
 */
@Command(name = "bench-3d", mixinStandardHelpOptions = true,
        description = "Time 3D training steps, patch inference and whole-CT segmentation (see scripts/bench-3d.sh).")
final class Bench3dCommand implements Callable<Integer> {
    @Option(names = "--part", defaultValue = "networks", description = "networks, volume, memory, or worker (steps on "
            + "request from stdin, for scripts/bench-3d-paired.sh). Default: ${DEFAULT-VALUE}")
    String part;
    @Option(names = "--repeats", defaultValue = "3", description = "timed repetitions after 2 warm-ups. Default: ${DEFAULT-VALUE}")
    int repeats;
    @Option(names = "--patches", defaultValue = "64,96", split = ",", description = "cubic patch edges. Default: ${DEFAULT-VALUE}")
    int[] patches;
    @Option(names = "--networks", defaultValue = "vnet,unet3d", split = ",",
            description = "networks of the networks part. Default: ${DEFAULT-VALUE}")
    List<String> networks;
    @Option(names = "--volume-arch", defaultValue = "unet3d", description = "network of the volume part. Default: ${DEFAULT-VALUE}")
    String volumeArch;
    @Option(names = "--volume-filters", defaultValue = "16", description = "its base filters. Default: ${DEFAULT-VALUE}")
    int volumeFilters;
    @Option(names = "--volume-patch", defaultValue = "64", description = "its cubic tile edge. Default: ${DEFAULT-VALUE}")
    int volumePatch;
    @Option(names = "--volume-model", description = "segment the whole CT with this bundle (a folder or a bundled model's "
            + "name, e.g. abdomen-ct-unet3d) instead of the network above")
    Path volumeModel;
    @Option(names = "--results", description = "append machine-readable result lines to this file")
    Path results;
    @Option(names = "--precision", defaultValue = "fp32", split = ",", paramLabel = "fp32|bf16|auto",
            description = "the arithmetic of the networks and volume parts, each measured in turn (bf16 results are "
                    + "keyed KEY_bf16). Default: ${DEFAULT-VALUE}")
    List<String> precisions;
    @Mixin
    DeviceOption device;

    private static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "liver", 2, "kidney");

    @Override
    public Integer call() throws Exception {
        Device d = device.resolve();
        System.out.printf(Locale.ROOT, "machine: %d cores; libtorch %s on %s%n", Runtime.getRuntime().availableProcessors(),
                Engine.getInstance().getVersion(), d);
        NetworkTiming timing = new NetworkTiming(repeats);
        switch (part) {
            case "networks" -> networks(d, timing);
            case "volume" -> volume(d);
            case "memory" -> memory(d);
            case "worker" -> worker(d);
            default -> throw new IllegalArgumentException("--part must be networks, volume, memory or worker, got '" + part
                    + "'");
        }
        return 0;
    }

    private void networks(Device d, NetworkTiming timing) throws Exception {
        double peak = timing.sgemmPeak(d);
        result("sgemm_gflops", peak, "libtorch sgemm 2048x2048, GFLOP/s");
        for (var net : benchNetworks().entrySet()) {
            NetworkArchitecture arch = Architectures.byName(net.getKey());
            for (int edge : patches) {
                long[] size = {edge, edge, edge};
                double forward = arch.forwardFlops(net.getValue(), 1, 3, size) / 1e9;
                try (ModelBundle bundle = ModelBundle.create(config(net.getKey(), net.getValue(), edge, null), d, 1)) {
                    for (Precision p : precisions(d)) {
                        ComputeFormat format = ComputeFormat.of(p);
                        String key = suffix(p);
                        double train = timing.trainStepMs(bundle, new Shape(2, 1, edge, edge, edge), format);
                        result(net.getKey() + "_train_" + edge + key, train, String.format(Locale.ROOT,
                                "%s training step, batch 2, %d³, %s: ms (%.0f GFLOP/s)", net.getKey(), edge, p.label(),
                                3 * 2 * forward / train * 1e3));
                        double infer = timing.inferenceMs(bundle, new Shape(1, 1, edge, edge, edge), format);
                        result(net.getKey() + "_infer_" + edge + key, infer, String.format(Locale.ROOT,
                                "%s inference, 1 patch %d³, %s: ms (%.0f GFLOP/s, %.1f GFLOP)", net.getKey(), edge,
                                p.label(), forward / infer * 1e3, forward));
                    }
                }
            }
        }
    }

    private List<Precision> precisions(Device d) {
        return precisions.stream().map(c -> Precision.select(c, "fp32", d).precision()).toList();
    }

    /** Result keys: fp32's as before, bf16's with "_bf16". */
    private static String suffix(Precision p) {
        return p == Precision.FP32 ? "" : "_" + p.label();
    }

    /** The networks of the networks and memory parts: paper V-Net and nnU-Net's 5-stage U-Net, base 32. */
    private Map<String, JsonObject> benchNetworks() {
        Map<String, JsonObject> all = new LinkedHashMap<>();
        all.put(VNetArchitecture.NAME, RecordArchitecture.toJson(VNetConfig.paper()));
        all.put(PlainUNetArchitecture.NAME, RecordArchitecture.toJson(PlainUNetConfig.isotropic(3, 5, 32)));
        all.keySet().retainAll(networks);
        return all;
    }

    /**
     * Steps on request, so that scripts/bench_paired.py can alternate medseg's and PyTorch's steps
     * seconds apart instead of timing each side minutes apart (this machine's speed drifts by up to
     * ±15 % between such runs). Lines on stdin: {@code train NET EDGE} or {@code infer NET EDGE}
     * builds that network (answer {@code @@ ready}); then each {@code step} runs one training step
     * (batch 2) or one-patch inference (answer {@code @@ ms T}) until {@code close} (answer
     * {@code @@ closed}). Answers start with "@@" to stand apart from the engine's own log lines.
     */
    private void worker(Device d) throws Exception {
        BufferedReader in = new BufferedReader(
                new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Map<String, JsonObject> nets = benchNetworks();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.trim().split("\\s+");
            if (words.length != 3 || !(words[0].equals("train") || words[0].equals("infer")) || !nets.containsKey(words[1])) {
                throw new IllegalArgumentException("worker: expected 'train|infer NET EDGE' with NET one of " + nets.keySet()
                        + ", got '" + line + "'");
            }
            int edge = Integer.parseInt(words[2]);
            try (ModelBundle bundle = ModelBundle.create(config(words[1], nets.get(words[1]), edge, null), d, 1)) {
                if (words[0].equals("train")) {
                    NetworkTiming.withTrainingStep(bundle, new Shape(2, 1, edge, edge, edge), ComputeFormat.FP32, step -> serve(in, step));
                } else {
                    NetworkTiming.withInference(bundle, new Shape(1, 1, edge, edge, edge), ComputeFormat.FP32, pass -> serve(in, pass));
                }
            }
        }
    }

    /** Runs {@code op} once per "step" line until "close", answering each with its wall time. */
    private static void serve(BufferedReader in, Runnable op) {
        System.out.println("@@ ready");
        System.out.flush();
        try {
            for (String line = in.readLine(); line != null && !line.trim().equals("close"); line = in.readLine()) {
                long start = System.nanoTime();
                op.run();
                System.out.printf(Locale.ROOT, "@@ ms %.3f%n", (System.nanoTime() - start) / 1e6);
                System.out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("@@ closed");
        System.out.flush();
    }

    /**
     * The planner's memory model against the process: resident memory gained during two training
     * steps (batch 2) over the initialised trainer, less the parameters' gradients and AdamW's two
     * moments (3 floats per parameter), next to the estimate the planner shrinks patches by. glibc
     * keeps freed heap for reuse, so only the first measurement of a process is clean: measure one
     * network and patch per process (scripts/bench-3d.sh does).
     */
    private void memory(Device d) throws Exception {
        for (var net : benchNetworks().entrySet()) {
            NetworkArchitecture arch = Architectures.byName(net.getKey());
            for (int edge : patches) {
                int[] patch = {edge, edge, edge};
                Planner.Settings planning = Planner.Settings.defaults(Long.MAX_VALUE).withNetwork(2, 32, 320)
                        .withPatchSize(patch).withFixedTopology(arch.fixedTopology(net.getValue()).orElse(null));
                long estimate = Planner.plan(new Fingerprint(List.of(new long[] {edge, edge, edge}),
                        List.of(new double[] {1, 1, 1})), planning).estimatedTrainingBytes();
                try (ModelBundle bundle = ModelBundle.create(config(net.getKey(), net.getValue(), edge, null), d, 1)) {
                    long parameters = bundle.block().getParameters().values().stream()
                            .mapToLong(p -> p.getArray().size()).sum();
                    long[] measured = new long[1];
                    NetworkTiming.withTrainingStep(bundle, new Shape(2, 1, edge, edge, edge), ComputeFormat.FP32, step -> {
                        try {
                            ProcessMemory.resetPeak();
                            long before = ProcessMemory.residentBytes();
                            step.run();
                            step.run();
                            measured[0] = ProcessMemory.peakBytes() - before - 3 * Float.BYTES * parameters;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                    result(net.getKey() + "_step_memory_" + edge + "_gb", measured[0] / 1e9, String.format(Locale.ROOT,
                            "%s training step %d³, batch 2: activation memory measured, GB", net.getKey(), edge));
                    result(net.getKey() + "_step_estimate_" + edge + "_gb", estimate / 1e9, String.format(Locale.ROOT,
                            "%s training step %d³, batch 2: planner's estimate, GB", net.getKey(), edge));
                }
            }
        }
    }

    private void volume(Device d) throws Exception {
        long[] size = {512, 512, 300};
        double[] spacing = {0.8, 0.8, 2.5};
        Volume scan = syntheticCt(size, spacing);
        if (volumeModel != null) {
            Path bundle = ModelsCommand.resolve(volumeModel);
            try (Segmenter segmenter = Segmenter.load(bundle, d)) {
                int tiles = segmenter.tileCount(scan);
                for (Precision p : precisions(d)) {
                    segmenter.useOptions(segmenter.options().withPrecision(p));
                    result("volume_model_seconds" + suffix(p), timedSegmentation(segmenter, scan), String.format(
                            Locale.ROOT, "whole CT 512x512x300 @0.8x0.8x2.5 mm with %s (%s mm, %d tiles of %s), %s: "
                                    + "seconds", bundle.getFileName(), Arrays.toString(segmenter.config().spacingMm()),
                            tiles, Arrays.toString(segmenter.config().patchSize()), p.label()));
                }
                result("volume_model_peak_rss_gb", ProcessMemory.peakBytes() / 1024.0 / 1024 / 1024,
                        "peak resident memory of the process, GB");
            }
            return;
        }
        NetworkArchitecture arch = Architectures.byName(volumeArch);
        // a 4-stage isotropic plan for the 3D U-Net (its default has 5 stages); other networks' defaults
        JsonObject args = volumeArch.equals(PlainUNetArchitecture.NAME)
                ? RecordArchitecture.toJson(PlainUNetConfig.isotropic(3, 4, volumeFilters))
                : arch.defaultArguments();
        args.addProperty("baseFilters", volumeFilters);
        double[] target = {3, 3, 3};
        int p = volumePatch;
        Plan plan = new Plan(spacing, target, -1, new double[] {137, 137, 250}, new int[] {p, p, p}, new int[0][], new int[0][],
                0, 0);
        try (Segmenter segmenter = new Segmenter(ModelBundle.create(config(volumeArch, args, p, plan), d, 1),
                Segmenter.Options.defaults())) {
            int tiles = segmenter.tileCount(scan);
            double tileGflop = arch.forwardFlops(args, 1, 3, new long[] {p, p, p}) / 1e9;
            for (Precision precision : precisions(d)) {
                segmenter.useOptions(segmenter.options().withPrecision(precision));
                double seconds = timedSegmentation(segmenter, scan);
                result("volume_seconds" + suffix(precision), seconds, String.format(Locale.ROOT, "whole CT 512x512x300 "
                        + "@0.8x0.8x2.5 mm with %s base %d, 3 mm, %d tiles of %d³ (%.1f GFLOP each), %s: seconds",
                        volumeArch, volumeFilters, tiles, p, tileGflop, precision.label()));
            }
            result("volume_peak_rss_gb", ProcessMemory.peakBytes() / 1024.0 / 1024 / 1024, "peak resident memory of the process, GB");
        }
    }

    /** Seconds to segment the scan (checked to land on its grid). */
    private static double timedSegmentation(Segmenter segmenter, Volume scan) {
        long start = System.nanoTime();
        LabelMap mask = segmenter.segment(scan, null);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!Arrays.equals(mask.sizeXyz(), scan.sizeXyz())) {
            throw new IllegalStateException("mask size " + Arrays.toString(mask.sizeXyz()));
        }
        return seconds;
    }

    private ModelConfig config(String arch, JsonObject args, int edge, Plan plan) {
        return new ModelConfig(ModelConfig.FORMAT, arch, args, 1, LABELS, new int[] {edge, edge, edge},
                plan == null ? new double[] {1, 1, 1} : plan.targetSpacingMm(), Intensity.ct(-200, 300, 60, 80), null, Map.of(),
                Map.of(), plan);
    }

    /** Organ-shaped HU values (liver 60, kidney 150, elsewhere 0) with noise: content does not change the timing. */
    static Volume syntheticCt(long[] size, double[] spacing) {
        LabelMap organs = SyntheticAbdomen.volume(size, spacing, 0);
        byte[] l = organs.data();
        float[] hu = new float[l.length];
        int plane = (int) (size[0] * size[1]);
        IntStream.range(0, (int) size[2]).parallel().forEach(z -> {
            SplittableRandom r = new SplittableRandom(z);
            for (int i = z * plane; i < (z + 1) * plane; i++) {
                hu[i] = (l[i] == 1 ? 60 : l[i] == 2 ? 150 : 0) + (float) (10 * r.nextGaussian());
            }
        });
        return Volume.wrap(hu, size, 1, organs.geometry());
    }

    private void result(String key, double value, String what) throws Exception {
        System.out.printf(Locale.ROOT, "%-78s %10.2f%n", what, value);
        if (results != null) {
            Files.writeString(results, "java " + key + " " + value + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

}
