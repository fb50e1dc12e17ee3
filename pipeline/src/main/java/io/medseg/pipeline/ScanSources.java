package io.medseg.pipeline;

import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.dicom.DicomParser;
import io.medseg.io.dicom.DicomSeries;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a user can open from a path: a NIfTI, PNG or TIFF file is one scan; a DICOM folder holds one
 * scan per series; a DICOM file stands for the series it belongs to in its folder.
 */
public final class ScanSources {
    /** One openable scan: a readable name, the modality when the file says ("" otherwise), and its reader. */
    public record Source(String name, String modality, SegmentationBatch.ScanLoader loader) {
        public Volume load() throws IOException {
            return loader.load();
        }
    }

    private ScanSources() {}

    /**
     * @throws ImageFileException naming the path when it is missing or holds nothing medseg reads
     */
    public static List<Source> find(Path input) throws IOException {
        if (Files.isRegularFile(input)) {
            if (ScanFiles.isReadable(input)) {
                return List.of(new Source(ScanFiles.stem(input), "", () -> ScanFiles.readImage(input)));
            }
            if (!isDicomFile(input)) {
                throw new ImageFileException(input, "not a scan medseg reads (DICOM, NIfTI, PNG, TIFF)");
            }
            List<Source> found = new ArrayList<>();
            Path real = input.toRealPath();
            for (DicomSeries s : DicomSeries.scan(real.getParent()).series()) {
                if (s.files().stream().anyMatch(f -> sameFile(f, real))) {
                    found.add(source(s));
                }
            }
            if (found.isEmpty()) {
                throw new ImageFileException(input, "DICOM file without an image series (" + skippedReason(input) + ")");
            }
            return found;
        }
        if (!Files.isDirectory(input)) {
            throw new ImageFileException(input, "no such file or folder");
        }
        if (!SegmentationBatch.isDicomFolder(input)) {
            throw new ImageFileException(input, "holds no DICOM series; open a NIfTI, PNG or TIFF file itself");
        }
        DicomSeries.Scan scan = DicomSeries.scan(input);
        if (scan.series().isEmpty()) {
            throw new ImageFileException(input, "no DICOM image series (" + scan.skipped().size() + " file(s) passed over)");
        }
        return scan.series().stream().map(ScanSources::source).toList();
    }

    private static Source source(DicomSeries s) {
        String name = SeriesConversion.readableName(s);
        return new Source(name.isEmpty() ? s.uid() : name, s.modality(), s::load);
    }

    private static boolean isDicomFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return DicomParser.looksLikeDicom(in.readNBytes(132));
        }
    }

    private static String skippedReason(Path file) {
        String why = DicomSeries.scanFiles(List.of(file)).skipped().values().stream().findFirst().orElse(null);
        return why == null ? "no pixel data" : why;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
