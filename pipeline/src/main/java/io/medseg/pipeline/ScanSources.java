package io.medseg.pipeline;

import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.dicom.DicomSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a user can open from a path: a NIfTI, PNG or TIFF file is one scan; a DICOM file stands for
 * the series it belongs to in its folder; a folder holds its images and one scan per DICOM series.
 */
public final class ScanSources {
    /**
     * One openable scan: a readable name, the modality when the file says ("" otherwise), its reader,
     * and the DICOM series it is (null for images).
     */
    public record Source(String name, String modality, SegmentationBatch.ScanLoader loader, DicomSeries series) {
        public Volume load() throws IOException {
            return loader.load();
        }
    }

    private ScanSources() {}

    /**
     * @throws ImageFileException naming the path when it is missing or holds nothing medseg reads
     */
    public static List<Source> find(Path input) throws IOException {
        InputFiles found = InputFiles.of(input);
        List<Source> sources = new ArrayList<>();
        for (Path image : found.images()) {
            sources.add(new Source(ScanFiles.stem(image), "", () -> ScanFiles.readImage(image), null));
        }
        DicomSeries.Scan scan = DicomSeries.scanFiles(found.dicomFiles());
        boolean oneFile = Files.isRegularFile(input);
        for (DicomSeries s : scan.series()) {
            if (!oneFile || s.files().stream().anyMatch(f -> SegmentationBatch.sameFile(f, input))) {
                String name = SeriesConversion.readableName(s);
                sources.add(new Source(name.isEmpty() ? s.uid() : name, s.modality(), s::load, s));
            }
        }
        if (sources.isEmpty()) {
            String why = oneFile ? scan.skipped().getOrDefault(input, "no pixel data")
                    : found.found() + " file(s) looked at, none a scan medseg reads";
            throw new ImageFileException(input, (oneFile ? "DICOM file without an image series (" + why + ")" : why));
        }
        return sources;
    }
}
