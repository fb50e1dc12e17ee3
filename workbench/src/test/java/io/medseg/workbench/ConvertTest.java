package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.image.Volume;
import io.medseg.io.dicom.DicomSeries;
import io.medseg.io.nifti.Nifti;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** medseg convert: DICOM series (pydicom-written phantoms) to NIfTI with their values, geometry and readable names. */
class ConvertTest {

    @Test
    void everySeriesBecomesANamedNiftiWithItsGeometry(@TempDir Path tmp) throws Exception {
        Path dicom = Files.createDirectories(tmp.resolve("dicom"));
        for (String name : List.of("axial", "oblique")) {
            Path target = Files.createDirectories(dicom.resolve(name));
            try (Stream<Path> s = Files.list(Path.of("../io-dicom/src/test/resources/series").resolve(name))) {
                for (Path p : s.toList()) {
                    Files.copy(p, target.resolve(p.getFileName()));
                }
            }
        }
        Path out = tmp.resolve("nifti");
        CommandLineTest.Run run = medseg("convert", "--input", dicom.toString(), "--output", out.toString());
        assertEquals(0, run.code(), run.err());
        List<String> csv = Files.readAllLines(out.resolve("series.csv"));
        assertEquals(3, csv.size(), "header + 2 series: " + csv);
        for (String row : csv.subList(1, 3)) {
            String[] f = row.split(",");
            String description = f[5];
            assertTrue(f[1].endsWith(".nii.gz") && f[1].contains(description), "readable file name " + f[1]);
            DicomSeries series = DicomSeries.scan(dicom.resolve(description)).series().get(0);
            assertEquals(series.uid(), f[0]);
            Volume expected = series.load();
            Volume written = Nifti.readVolume(out.resolve(f[1]));
            assertArrayEquals(expected.sizeXyz(), written.sizeXyz());
            assertArrayEquals(expected.data(), written.data(), 1e-3f, "HU values");
            assertNull(expected.geometry().mismatch(written.geometry()), "geometry kept");
        }
        CommandLineTest.Run again = medseg("convert", "--input", dicom.toString(), "--output", out.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("exists; pass --overwrite"), again.err());
    }
}
