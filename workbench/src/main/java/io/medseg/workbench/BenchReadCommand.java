package io.medseg.workbench;

import io.medseg.image.Volume;
import io.medseg.io.dicom.DicomSeries;
import io.medseg.io.ImageFileException;
import io.medseg.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code medseg bench-read}: time to read DICOM series folders into volumes, next to dcm2niix
 * converting the same folders in the same run (scripts/bench-dicom-read.sh makes the data).
 */
@Command(name = "bench-read", mixinStandardHelpOptions = true,
        description = "Time reading DICOM series folders into volumes, as a ratio to dcm2niix on the same folders.")
final class BenchReadCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "folders holding one DICOM series each")
    List<Path> folders;
    @Option(names = "--repeats", defaultValue = "3", description = "timed runs per tool (best is kept). Default: ${DEFAULT-VALUE}")
    int repeats;

    @Override
    public Integer call() throws Exception {
        System.out.printf(Locale.ROOT, "%-40s %12s %12s %10s %s%n", "series", "medseg s", "dcm2niix s", "ratio", "volume");
        for (Path folder : folders) {
            double[] ours = new double[repeats];
            long[] size = null;
            for (int r = 0; r < repeats + 1; r++) {
                long t = System.nanoTime();
                DicomSeries.Scan scan = DicomSeries.scan(folder);
                if (scan.series().size() != 1) {
                    throw new ImageFileException(folder, "holds " + scan.series().size() + " series; expected one");
                }
                Volume v = scan.series().get(0).load();
                size = v.sizeXyz();
                if (r > 0) {
                    ours[r - 1] = (System.nanoTime() - t) / 1e9;
                }
            }
            double best = Arrays.stream(ours).min().orElseThrow();
            double reference = dcm2niix(folder);
            System.out.printf(Locale.ROOT, "%-40s %12.3f %12s %10s %s%n", folder.getFileName(), best,
                    Double.isNaN(reference) ? "n/a" : String.format(Locale.ROOT, "%.3f", reference),
                    Double.isNaN(reference) ? "n/a" : String.format(Locale.ROOT, "%.2fx", best / reference),
                    Arrays.toString(size));
        }
        return 0;
    }

    /** Best wall time of dcm2niix converting the folder to an uncompressed NIfTI; NaN if not installed. */
    private double dcm2niix(Path folder) throws Exception {
        double best = Double.NaN;
        Path out = Files.createTempDirectory("medseg-bench-dcm2niix");
        try {
            for (int r = 0; r < repeats + 1; r++) {
                long t = System.nanoTime();
                Process p;
                try {
                    p = new ProcessBuilder("dcm2niix", "-z", "n", "-b", "n", "-f", "run" + r, "-o", out.toString(),
                            folder.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
                } catch (IOException e) {
                    return Double.NaN;
                }
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("dcm2niix failed on " + folder);
                }
                double s = (System.nanoTime() - t) / 1e9;
                if (r > 0) {
                    best = Double.isNaN(best) ? s : Math.min(best, s);
                }
            }
            return best;
        } finally {
            AtomicFiles.deleteRecursively(out);
        }
    }
}
