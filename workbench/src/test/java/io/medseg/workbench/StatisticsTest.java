package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.dicom.DicomSeries;
import io.medseg.io.nifti.Nifti;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code medseg statistics} against numpy and scipy ({@code scripts/check-statistics.sh}: counts and
 * components exact, volumes, intensities and LPS coordinates to 1e-6 relative) on the bundled CT test
 * cases, the tooth-root radiographs and an oblique phantom whose labels touch its border.
 */
class StatisticsTest {
    static final Path DATA = Path.of("../sample-scans/data");

    @Test
    void statisticsEqualNumpyAndScipyOnTheSameArrays(@TempDir Path tmp) throws Exception {
        Path ct = DATA.resolve("Dataset002_AbdomenCT");
        Path ctOut = tmp.resolve("ct");
        CommandLineTest.Run run = medseg("statistics", "--image", ct.resolve("imagesTs").toString(), "--mask",
                ct.resolve("labelsTs").toString(), "--labels", ct.resolve("dataset.json").toString(), "--output",
                ctOut.toString(), "--quiet");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("statistics of 3 case(s)"), run.out());
        List<String> csv = Files.readAllLines(ctOut.resolve("statistics.csv"));
        assertEquals(7, csv.size(), "header + 3 cases x 2 labels: " + csv);
        assertTrue(csv.get(1).startsWith("ct_002,1,liver,"), csv.get(1));
        List<String> args = new ArrayList<>(List.of(ctOut.resolve("statistics.csv").toString()));
        for (String c : List.of("ct_002", "ct_003", "ct_004")) {
            args.addAll(List.of(c, ct.resolve("imagesTs/" + c + "_0000.nii.gz").toString(),
                    ct.resolve("labelsTs/" + c + ".nii.gz").toString()));
        }
        CommandLineTest.Run check = check(args);
        assertEquals(0, check.code(), check.out());
        assertTrue(check.out().contains("compared 126 values, 0 label(s) differ"), check.out());

        // a 2D radiograph: areas, not volumes
        Path teeth = DATA.resolve("Dataset001_ToothRoot");
        Path teethOut = tmp.resolve("teeth");
        run = medseg("statistics", "--image", teeth.resolve("imagesTs").toString(), "--mask",
                teeth.resolve("labelsTs").toString(), "--labels", teeth.resolve("dataset.json").toString(), "--output",
                teethOut.toString(), "--quiet");
        assertEquals(0, run.code(), run.err());
        check = check(List.of(teethOut.resolve("statistics.csv").toString(), "case_024",
                teeth.resolve("imagesTs/case_024_0000.png").toString(), teeth.resolve("labelsTs/case_024.png").toString(),
                "case_031", teeth.resolve("imagesTs/case_031_0000.png").toString(),
                teeth.resolve("labelsTs/case_031.png").toString()));
        assertEquals(0, check.code(), check.out());

        // an oblique phantom whose labels touch its border, as NIfTI files
        DicomSeries series = DicomSeries.scan(Path.of("../io-dicom/src/test/resources/series/oblique")).series().get(0);
        Volume scan = series.load();
        byte[] labels = new byte[scan.data().length];
        for (int i = 0; i < labels.length; i++) {
            long x = i % 24;
            labels[i] = (byte) (scan.data()[i] > 0 ? 1 : x < 3 ? 2 : 0);
        }
        Path phantom = Files.createDirectories(tmp.resolve("phantom"));
        Path masks = Files.createDirectories(tmp.resolve("masks"));
        Nifti.write(scan, phantom.resolve("oblique.nii.gz"), false);
        Nifti.write(LabelMap.wrap(labels, scan.sizeXyz(), scan.geometry(), Map.of()), masks.resolve("oblique.nii.gz"),
                false);
        Path phantomOut = tmp.resolve("phantom-stats");
        run = medseg("statistics", "--image", phantom.resolve("oblique.nii.gz").toString(), "--mask",
                masks.resolve("oblique.nii.gz").toString(), "--output", phantomOut.toString(), "--quiet");
        assertEquals(0, run.code(), run.err());
        List<String> rows = Files.readAllLines(phantomOut.resolve("statistics.csv"));
        assertTrue(rows.get(1).startsWith("oblique.nii.gz,1,label 1,") && rows.get(1).endsWith(",1,false"), rows.get(1));
        assertTrue(rows.get(2).startsWith("oblique.nii.gz,2,label 2,") && rows.get(2).endsWith(",true"), rows.get(2));
        Path statistics = phantomOut.resolve("statistics.csv");
        List<String> phantomArgs = List.of(statistics.toString(), "oblique.nii.gz", phantom.resolve("oblique.nii.gz").toString(),
                masks.resolve("oblique.nii.gz").toString());
        check = check(phantomArgs);
        assertEquals(0, check.code(), check.out());

        // the check sees a changed value
        Files.writeString(statistics, Files.readString(statistics).replace(",1,false", ",2,false"));
        check = check(phantomArgs);
        assertEquals(1, check.code(), check.out());
        assertTrue(check.out().contains("DIFFER oblique.nii.gz label 1: components ours 2 numpy 1"), check.out());
    }

    @Test
    void aMissingMaskFailsItsCaseAndExistingTablesAreKept(@TempDir Path tmp) throws Exception {
        Path ct = DATA.resolve("Dataset002_AbdomenCT");
        Path masks = Files.createDirectories(tmp.resolve("masks"));
        Files.copy(ct.resolve("labelsTs/ct_002.nii.gz"), masks.resolve("ct_002.nii.gz"));
        Path out = tmp.resolve("out");
        CommandLineTest.Run run = medseg("statistics", "--image", ct.resolve("imagesTs").toString(), "--mask",
                masks.toString(), "--output", out.toString(), "--quiet");
        assertEquals(4, run.code(), run.err());
        assertTrue(run.err().contains("failed ct_003: ") && run.err().contains("no mask for case ct_003"), run.err());
        assertTrue(run.out().contains("statistics of 1 case(s)") && run.out().contains("2 case(s) failed"), run.out());
        CommandLineTest.Run again = medseg("statistics", "--image", ct.resolve("imagesTs").toString(), "--mask",
                masks.toString(), "--output", out.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("statistics.csv exists"), again.err());
    }

    private static CommandLineTest.Run check(List<String> args) throws IOException, InterruptedException {
        return CommandLineTest.script("check-statistics.sh", args);
    }
}
