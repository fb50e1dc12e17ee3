package io.medseg.workbench;

import io.medseg.pipeline.StoppedException;
import io.medseg.samples.ct.AbdominalCtDataset;
import io.medseg.samples.ct.AbdominalPhantom;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medseg generate-ct}: a synthetic abdominal CT dataset with liver and kidney labels. */
@Command(name = "generate-ct", mixinStandardHelpOptions = true,
        description = "Generate synthetic abdominal CTs (int16 HU NIfTI, labels 1 liver, 2 kidney, or the organs chosen) "
                + "in the nnU-Net v2 layout; the same seed gives the same files bit for bit. A 512² case takes about half a "
                + "minute.")
final class GenerateCtCommand implements Callable<Integer> {
    @Option(names = "--cases", required = true, description = "number of training cases (imagesTr, labelsTr)")
    int cases;
    @Option(names = "--test", defaultValue = "0", description = "number of test cases (imagesTs, labelsTs). "
            + "Default: ${DEFAULT-VALUE}")
    int test;
    @Option(names = "--output", required = true, description = "dataset folder to create (must not exist)")
    Path output;
    @Option(names = "--seed", defaultValue = "1", description = "case k uses seed + k. Default: ${DEFAULT-VALUE}")
    long seed;
    @Option(names = "--matrix", defaultValue = "512", description = "in-plane matrix; spacing = field of view (310–460 mm)"
            + " / matrix. Default: ${DEFAULT-VALUE} (0.6–0.9 mm)")
    int matrix;
    @Option(names = "--slices", split = ",", description = "slice thicknesses to choose from, mm. Default: 1,1.25,1.5,2,"
            + "2.5,3,5")
    double[] slices;
    @Option(names = "--abdomen-only", description = "leave out the lower chest (diaphragm domes, lung bases, the heart "
            + "on the liver's dome; the scan's top from below the dome to the mid-chest): the organs end in fat, as "
            + "this generator drew them before the chest, bit for bit")
    boolean abdomenOnly;
    @Option(names = "--organs", split = ",", defaultValue = "liver,kidney", description = "organs to label, numbered "
            + "1, 2, ... in this order (the others are background): liver,kidney, kidney (a kidney-only task from the "
            + "same phantoms, e.g. to fine-tune a liver + kidney model) or liver. Default: ${DEFAULT-VALUE}")
    List<String> organs;
    @Mixin
    LogOptions log;

    @Override
    public Integer call() throws Exception {
        if (cases < 1 || test < 0) {
            throw new IllegalArgumentException("--cases must be at least 1 and --test at least 0");
        }
        if (matrix < 16 || matrix > 1024) {
            throw new IllegalArgumentException("--matrix must be between 16 and 1024, got " + matrix);
        }
        double[] thickness = slices != null ? slices : AbdominalPhantom.Acquisition.clinical().sliceThicknessesMm();
        if (Arrays.stream(thickness).anyMatch(t -> !(t > 0 && t <= 20))) {
            throw new IllegalArgumentException("--slices must be thicknesses in (0, 20] mm, got " + Arrays.toString(thickness));
        }
        TerminalProgress progress = log.progress();
        int total = cases + test;
        progress.start("generate-ct", total, "cases");
        long started = System.nanoTime();
        try {
            AbdominalCtDataset.write(output, seed, cases, test, new AbdominalPhantom.Acquisition(matrix, thickness, !abdomenOnly),
                    organs, new AbdominalCtDataset.Listener() {
                        @Override
                        public void written(int done, int all, String caseId) {
                            progress.update(done, all, caseId);
                            double seconds = (System.nanoTime() - started) / 1e9;
                            progress.message(String.format(Locale.ROOT, "%s written (%d/%d, %.0f s, ETA %.0f s)",
                                    caseId, done, all, seconds, seconds / done * (all - done)));
                        }

                        @Override
                        public boolean stopRequested() {
                            return progress.stopRequested();
                        }
                    });
        } catch (AbdominalCtDataset.Stopped e) {
            throw new StoppedException(e.getMessage());
        } finally {
            progress.finish();
        }
        System.out.println("wrote " + cases + " training and " + test + " test case(s) to " + output
                + " (phantoms.csv says what each case drew)");
        return 0;
    }
}
