package io.medseg.workbench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medseg.image.LabelMap;
import io.medseg.evaluation.CaseEvaluation;
import io.medseg.evaluation.Evaluator;
import io.medseg.evaluation.Metric;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code medseg bench-metrics}: wall time of every metric on a pair of synthetic abdominal label
 * volumes, next to scipy's {@code distance_transform_edt} computing the same HD95 in the same run.
 */
@Command(name = "bench-metrics", mixinStandardHelpOptions = true,
        description = "Time all metrics on two synthetic 2-label CT masks, next to scipy's HD95 on the same masks.")
final class BenchMetricsCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "512x512x300", description = "volume size x*y*z. Default: ${DEFAULT-VALUE}")
    String size;
    @Option(names = "--spacing", defaultValue = "0.8x0.8x2.5", description = "voxel spacing in mm. Default: ${DEFAULT-VALUE}")
    String spacing;
    @Option(names = "--repeats", defaultValue = "3", description = "timed runs per tool (best is kept). Default: ${DEFAULT-VALUE}")
    int repeats;
    @Option(names = "--no-scipy", description = "skip the scipy comparison")
    boolean noScipy;

    @Override
    public Integer call() throws Exception {
        long[] sizeXyz = Arrays.stream(size.split("x")).mapToLong(Long::parseLong).toArray();
        double[] spacingMm = Arrays.stream(spacing.split("x")).mapToDouble(Double::parseDouble).toArray();
        LabelMap reference = SyntheticAbdomen.volume(sizeXyz, spacingMm, 0);
        LabelMap prediction = SyntheticAbdomen.volume(sizeXyz, spacingMm, 4);
        Evaluator evaluator = new Evaluator(SyntheticAbdomen.LABELS);
        System.out.printf(Locale.ROOT, "masks %s voxels, spacing %s mm; %s, %d cores, Java %s%n", size, spacing,
                cpuModel(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        CaseEvaluation result = null;
        double best = Double.POSITIVE_INFINITY;
        double first = 0;
        for (int r = 0; r < repeats + 1; r++) {
            long t = System.nanoTime();
            result = evaluator.evaluate("bench", reference, prediction);
            double s = (System.nanoTime() - t) / 1e9;
            if (r == 0) {
                first = s;
            } else {
                best = Math.min(best, s);
            }
        }
        for (int l = 1; l < evaluator.labels(); l++) {
            System.out.printf(Locale.ROOT, "  %-7s ref %7.1f mL  Dice %.4f  HD95 %.3f mm  ASSD %.3f mm  NSD@1mm %.4f%n",
                    evaluator.labelName(l), result.row(l).referenceMl(), Metric.DICE.of(result.row(l)),
                    Metric.HD95.of(result.row(l)), Metric.ASSD.of(result.row(l)), Metric.NSD.of(result.row(l)));
        }
        System.out.printf(Locale.ROOT, "medseg, all %d metrics (confusion matrix, overlap, HD, HD95, ASSD, MASD, NSD) "
                + "for %d labels: best %.3f s of %d (first run %.3f s)%n", Metric.values().length,
                evaluator.labels() - 1, best, repeats, first);
        if (!noScipy) {
            scipy(reference, prediction, sizeXyz, spacingMm, result, best);
        }
        return 0;
    }

    /** The processor's name from /proc/cpuinfo (Linux), for the record of where a number was measured. */
    static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }

    private void scipy(LabelMap reference, LabelMap prediction, long[] sizeXyz, double[] spacingMm,
            CaseEvaluation ours, double oursSeconds) throws IOException, InterruptedException {
        Path script = Medseg.home().resolve("scripts/bench_metrics_scipy.py");
        Path dir = Files.createTempDirectory("medseg-bench-metrics");
        try {
            Path ref = Files.write(dir.resolve("ref.raw"), reference.data());
            Path pred = Files.write(dir.resolve("pred.raw"), prediction.data());
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), ref.toString(),
                    pred.toString(), Long.toString(sizeXyz[0]), Long.toString(sizeXyz[1]), Long.toString(sizeXyz[2]),
                    Double.toString(spacingMm[0]), Double.toString(spacingMm[1]), Double.toString(spacingMm[2]),
                    Integer.toString(Math.min(repeats, 2)));
            Process p;
            try {
                p = pb.redirectErrorStream(true).start();
            } catch (IOException e) {
                System.out.println("scipy: /usr/bin/python3 not found; install python3-scipy for the comparison");
                return;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                System.out.println("scipy: not available (" + out.lines().reduce((a, b) -> b).orElse("") + ")");
                return;
            }
            JsonObject j = JsonParser.parseString(out).getAsJsonObject();
            double full = j.get("full_s").getAsDouble();
            double cropped = j.get("cropped_s").getAsDouble();
            System.out.printf(Locale.ROOT, "scipy %s, HD95 only: whole image (MedPy's path) %.3f s = %.1fx medseg; "
                    + "cropped to the labels' box %.3f s = %.1fx medseg%n", "distance_transform_edt", full,
                    full / oursSeconds, cropped, cropped / oursSeconds);
            for (var e : j.getAsJsonObject("hd95").entrySet()) {
                int label = Integer.parseInt(e.getKey());
                double theirs = e.getValue().getAsDouble();
                double mine = Metric.HD95.of(ours.row(label));
                System.out.printf(Locale.ROOT, "  HD95 label %d: medseg %.6f mm, scipy %.6f mm, |diff| %.1e%n", label,
                        mine, theirs, Math.abs(mine - theirs));
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
