package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.dicom.Code;
import io.medseg.io.dicom.DicomSeries;
import io.medseg.io.dicom.SegmentDescription;
import io.medseg.io.dicom.SegmentationWriter;
import io.medseg.io.nifti.Nifti;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DICOM SEG from {@code medseg segment --output-format dicom-seg}, checked by other tools
 * ({@code scripts/check-dicom-seg.sh}: dciodvfy reports no error, pydicom turns each SEG into the
 * same label map as the NIfTI mask, voxel for voxel) on the bundled DICOM CT series and on the
 * pydicom-made axial, oblique, sagittal and flipped series; read back by {@code medseg convert}.
 */
class DicomSegTest {
    static final Path BUNDLED_SERIES = Path.of("../sample-scans/data/AbdomenCT_DICOM");
    static final Path FIXTURES = Path.of("../io-dicom/src/test/resources/series");
    static final String MODEL = "../sample-scans/models/abdomen-ct-unet3d";

    @Test
    void segmentWritesASegThatOtherToolsReadAsTheNiftiMask(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        CommandLineTest.Run run = medseg("segment", "--model", MODEL, "--input", BUNDLED_SERIES.toString(),
                "--output", out.toString(), "--output-format", "nifti,dicom-seg", "--quiet");
        assertEquals(0, run.code(), run.err() + run.out());
        Path seg = out.resolve("ct_003.seg.dcm");
        Path nifti = out.resolve("ct_003.nii.gz");
        assertTrue(Files.isRegularFile(seg) && Files.isRegularFile(nifti), run.out());
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("ct_003.seg.dcm"), "the manifest lists the SEG");

        List<String> args = new ArrayList<>(List.of(seg.toString(), nifti.toString(), BUNDLED_SERIES.resolve("ct_003")
                .toString()));
        // the pydicom-made series of every orientation, with a mask of two labels and an empty third
        for (String name : List.of("axial", "oblique", "sagittal", "flipped")) {
            DicomSeries series = DicomSeries.scan(FIXTURES.resolve(name)).series().get(0);
            LabelMap mask = mask(series.load());
            Path fixtureSeg = tmp.resolve(name + ".seg.dcm");
            Path fixtureNifti = tmp.resolve(name + ".nii.gz");
            Code anatomy = new Code("123037004", "SCT", "Anatomical Structure");
            SegmentationWriter.write(series, mask, List.of(
                    new SegmentDescription(1, "liver", anatomy, new Code("10200004", "SCT", "Liver")),
                    new SegmentDescription(2, "kidney", anatomy, new Code("64033007", "SCT", "Kidney")),
                    new SegmentDescription(3, "spleen", anatomy, new Code("78961009", "SCT", "Spleen"))),
                    new SegmentationWriter.Algorithm("test", "1"), "test", Instant.now(), fixtureSeg, false);
            Nifti.write(mask, fixtureNifti, false);
            args.addAll(List.of(fixtureSeg.toString(), fixtureNifti.toString(), FIXTURES.resolve(name).toString()));
        }
        CommandLineTest.Run check = check(args);
        assertEquals(0, check.code(), check.out());
        assertEquals(5, check.out().lines().filter(l -> l.matches("dciodvfy .*: 0 error\\(s\\), \\d+ warning\\(s\\)"))
                .count(), check.out());
        assertTrue(check.out().contains("dciodvfy ct_003.seg.dcm: 0 error(s), 0 warning(s)"), check.out());
        // the phantoms have no Study Date, Time and ID: their SEGs copy the empty values, which a DICOMDIR would need
        assertTrue(check.out().lines().filter(l -> l.startsWith("  Warning"))
                .allMatch(l -> l.contains("needed to build DICOMDIR - Study ")), check.out());
        assertEquals(5, check.out().lines().filter(l -> l.startsWith("same ")).count(), check.out());
        assertTrue(check.out().contains("same ct_003.seg.dcm: 61 frames, 2 segments, 1015808 voxels equal"),
                check.out());

        // the checker sees a single voxel's difference
        Volume reread = Nifti.readVolume(nifti);
        byte[] changed = new byte[reread.data().length];
        for (int i = 0; i < changed.length; i++) {
            changed[i] = (byte) reread.data()[i];
        }
        changed[changed.length / 2] = (byte) (changed[changed.length / 2] == 1 ? 2 : 1);
        Path wrong = tmp.resolve("wrong.nii.gz");
        Nifti.write(LabelMap.wrap(changed, reread.sizeXyz(), reread.geometry(), Map.of()), wrong, false);
        CommandLineTest.Run differs = check(List.of(seg.toString(), wrong.toString(), BUNDLED_SERIES.resolve("ct_003").toString()));
        assertEquals(1, differs.code(), differs.out());
        assertTrue(differs.out().contains("1 of 1015808 voxels differ"), differs.out());

        // medseg convert reads the SEG back onto the series: the same bytes as the NIfTI mask
        Path converted = tmp.resolve("converted");
        CommandLineTest.Run convert = medseg("convert", "--input", seg.toString(), "--output", converted.toString(),
                "--reference", BUNDLED_SERIES.toString());
        assertEquals(0, convert.code(), convert.err());
        List<String> csv = Files.readAllLines(converted.resolve("series.csv"));
        String file = csv.get(1).split(",")[1];
        assertTrue(file.endsWith("_seg.nii.gz") && csv.get(1).contains(",SEG,"), csv.toString());
        assertArrayEquals(Files.readAllBytes(nifti), Files.readAllBytes(converted.resolve(file)));
        assertTrue(convert.err().contains("1 = liver (10200004, SCT, \"Liver\"); 2 = kidney (64033007, SCT, \"Kidney\")"),
                convert.err());
    }

    @Test
    void onlyASegWhenAskedAndFormatsThatFitNoCaseAreRefused(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Path series = FIXTURES.resolve("oblique");
        CommandLineTest.Run run = medseg("segment", "--model", MODEL, "--input", series.toString(),
                "--output", out.toString(), "--output-format", "dicom-seg", "--statistics");
        assertEquals(0, run.code(), run.err() + run.out());
        String statistics = Files.readString(out.resolve("statistics.csv"));
        assertTrue(Files.isRegularFile(out.resolve("oblique.seg.dcm")), run.out());
        assertFalse(Files.exists(out.resolve("oblique.nii.gz")), "no NIfTI when only dicom-seg is asked for");
        assertTrue(Files.readAllLines(out.resolve("series.csv")).get(1).contains("oblique.seg.dcm"));
        CommandLineTest.Run again = medseg("segment", "--model", MODEL, "--input", series.toString(),
                "--output", out.toString(), "--output-format", "dicom-seg", "--continue", "--statistics");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("kept 1 complete one(s)"), again.out());
        assertEquals(statistics, Files.readString(out.resolve("statistics.csv")), "a kept case's statistics from its SEG");
        // medseg statistics over the scan and the SEG alone: the same table
        Path recomputed = tmp.resolve("recomputed");
        CommandLineTest.Run stats = medseg("statistics", "--image", series.toString(), "--mask", out.toString(),
                "--output", recomputed.toString());
        assertEquals(0, stats.code(), stats.err());
        assertEquals(statistics, Files.readString(recomputed.resolve("statistics.csv")));

        CommandLineTest.Run png = medseg("segment", "--model", MODEL, "--input", series.toString(),
                "--output", tmp.resolve("png").toString(), "--output-format", "png");
        assertEquals(1, png.code(), png.err());
        assertTrue(png.err().contains("--output-format png: oblique is a DICOM series, whose mask is written as nifti or"
                + " dicom-seg"), png.err());
        CommandLineTest.Run nifti = medseg("segment", "--model", MODEL, "--input",
                "../sample-scans/data/Dataset002_AbdomenCT/imagesTs", "--output", tmp.resolve("n").toString(),
                "--output-format", "dicom-seg");
        assertTrue(nifti.err().contains("--output-format dicom-seg: no DICOM series among the inputs"), nifti.err());
        CommandLineTest.Run unknown = medseg("segment", "--model", MODEL, "--input", series.toString(),
                "--output", tmp.resolve("u").toString(), "--output-format", "rtstruct");
        assertTrue(unknown.err().contains("unknown output format 'rtstruct'; known: nifti, png, tiff, dicom-seg"),
                unknown.err());
    }

    /** Label 1 where the phantom is above 0 HU, label 2 a block in slices 6..8, label 3 nowhere. */
    private static LabelMap mask(Volume scan) {
        long[] size = scan.sizeXyz();
        byte[] labels = new byte[scan.data().length];
        for (int i = 0; i < labels.length; i++) {
            long x = i % size[0];
            long y = i / size[0] % size[1];
            long z = i / (size[0] * size[1]);
            labels[i] = (byte) (scan.data()[i] > 0 ? 1 : z >= 6 && z <= 8 && x < 5 && y < 4 ? 2 : 0);
        }
        return LabelMap.wrap(labels, size, scan.geometry(), Map.of(1, "liver", 2, "kidney", 3, "spleen"));
    }

    private static CommandLineTest.Run check(List<String> args) throws IOException, InterruptedException {
        return CommandLineTest.script("check-dicom-seg.sh", args);
    }
}
