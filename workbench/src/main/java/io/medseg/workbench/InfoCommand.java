package io.medseg.workbench;

import io.medseg.image.Geometry;
import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.dicom.DicomSeries;
import io.medseg.pipeline.ScanFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code medseg info}: what scans a file or folder holds, with size, spacing and orientation. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "List the DICOM series, NIfTI and PNG/TIFF images in a file or folder: size, spacing, orientation, modality.")
final class InfoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", description = "file or folder")
    Path path;

    @Override
    public Integer call() throws Exception {
        if (Files.isRegularFile(path) && ScanFiles.isReadable(path)) {
            print(path.getFileName().toString(), "", ScanFiles.readImage(path));
            return 0;
        }
        Path dir = Files.isRegularFile(path) ? path.getParent() : path;
        if (!Files.isDirectory(dir)) {
            throw new ImageFileException(path, "no such file or folder");
        }
        int problems = 0;
        List<Path> images;
        try (Stream<Path> s = Files.walk(dir)) {
            images = s.filter(Files::isRegularFile).filter(ScanFiles::isReadable).sorted().toList();
        }
        for (Path image : images) {
            print(dir.relativize(image).toString(), "", ScanFiles.readImage(image));
        }
        {
            DicomSeries.Scan scan = DicomSeries.scan(dir);
            for (DicomSeries series : scan.series()) {
                try {
                    print("series " + series.uid(), series.modality() + " " + series.files().size() + " files \""
                            + series.description() + "\"", series.load());
                } catch (ImageFileException e) {
                    problems++;
                    System.out.println("series " + series.uid() + ": cannot be stacked: " + e.getMessage());
                }
            }
            scan.skipped().forEach((file, why) -> {
                if (!ScanFiles.isReadable(file)) {
                    System.out.println("skipped " + file + ": " + why);
                }
            });
        }
        return problems == 0 ? 0 : 3;
    }

    private static void print(String name, String what, Volume v) {
        Geometry g = v.geometry();
        System.out.printf(Locale.ROOT, "%s%s%n  size %s x %d channel(s), spacing %s mm, origin %s mm (LPS), directions %s%n",
                name, what.isEmpty() ? "" : " (" + what + ")", Arrays.toString(v.sizeXyz()), v.channels(),
                format(g.spacingMm()), format(g.originMm()), format(g.direction()));
    }

    private static String format(double[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", values[i]));
        }
        return b.append(']').toString();
    }
}
