package io.medseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.medseg.image.Geometry;
import io.medseg.image.Volume;
import io.medseg.io.GoldenValues;
import io.medseg.io.ImageFileException;
import io.medseg.io.nifti.Nifti;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Series written by pydicom from a phantom, transcoded by dcmtk (RLE, explicit big endian, JPEG
 * lossless process 14 with selection values 1, 6 and 7) and
 * GDCM (JPEG 2000), converted by dcm2niix (src/test/python/make_series_fixtures.py): same voxel
 * values and the same voxel-to-patient mapping as the phantom and as dcm2niix, within 1e-3 mm.
 */
class DicomSeriesTest {
    static final Path DIR = Path.of("src/test/resources/series");
    static final JsonObject GOLDEN = GoldenValues.load(DIR.resolve("golden.json"));

    @ParameterizedTest
    @CsvSource({"axial,axial", "oblique,oblique", "sagittal,sagittal", "axial_rle,axial", "oblique_j2k,oblique",
        "axial_explicit_be,axial", "axial_jpeg_lossless_sv1,axial", "oblique_jpeg_lossless_p14_sv6,oblique",
        "sagittal_jpeg_lossless_p14_sv7,sagittal"})
    void seriesMatchesThePhantomAndDcm2niix(String folder, String spec) throws Exception {
        DicomSeries.Scan scan = DicomSeries.scan(DIR.resolve(folder));
        assertEquals(1, scan.series().size());
        assertEquals(0, scan.skipped().size(), scan.skipped().toString());
        Volume v = scan.series().get(0).load();
        assertArrayEquals(new long[] {24, 20, 10}, v.sizeXyz());
        assertEquals("CT", v.modality(), "the file's Modality travels with the voxels (the domain check compares it)");
        JsonArray stored = GOLDEN.getAsJsonArray("stored");
        float[] d = v.data();
        for (int i = 0; i < d.length; i++) {
            assertEquals(stored.get(i).getAsInt() - 1024, d[i], "voxel " + i + " in Hounsfield units");
        }
        JsonObject s = GOLDEN.getAsJsonObject("series").getAsJsonObject(spec);
        Geometry g = v.geometry();
        assertArrayEquals(doubles(s.getAsJsonArray("spacing_xyz")), g.spacingMm(), 1e-5, "spacing from positions, not thickness");
        assertArrayEquals(doubles(s.getAsJsonArray("origin")), g.originMm(), 1e-5);
        double[] row = doubles(s.getAsJsonArray("row"));
        double[] col = doubles(s.getAsJsonArray("col"));
        double[] dir = g.direction();
        for (int r = 0; r < 3; r++) {
            assertEquals(row[r], dir[r * 3], 1e-7);
            assertEquals(col[r], dir[r * 3 + 1], 1e-7);
        }

        // dcm2niix may store the axes flipped or permuted: compare voxel by voxel in patient space
        Volume reference = Nifti.readVolume(DIR.resolve("dcm2niix").resolve(spec + ".nii"));
        double[][] toIndex = inverse(affine(reference.geometry()));
        double[][] ours = affine(g);
        long[] rs = reference.sizeXyz();
        double worst = 0;
        for (int z = 0; z < 10; z++) {
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 24; x++) {
                    double[] world = apply(ours, x, y, z);
                    double[] idx = apply(toIndex, world[0], world[1], world[2]);
                    long[] n = new long[3];
                    for (int k = 0; k < 3; k++) {
                        n[k] = Math.round(idx[k]);
                        worst = Math.max(worst, Math.abs(idx[k] - n[k]) * reference.geometry().spacingMm()[k]);
                        assertTrue(n[k] >= 0 && n[k] < rs[k], "voxel maps outside dcm2niix's image");
                    }
                    float theirs = reference.data()[(int) (n[0] + rs[0] * (n[1] + rs[1] * n[2]))];
                    assertEquals(theirs, d[x + 24 * (y + 20 * z)], "voxel " + x + "," + y + "," + z);
                }
            }
        }
        assertTrue(worst < 1e-3, "voxel centres differ from dcm2niix's by " + worst + " mm");
    }

    @Test
    void monochrome1IsInvertedSoBrightMeansDense() throws Exception {
        Volume v = DicomSeries.scan(DIR.resolve("axial_monochrome1")).series().get(0).load();
        JsonArray stored = GOLDEN.getAsJsonArray("stored");
        for (int i = 0; i < v.data().length; i += 37) {
            // signed stored values are negated before the rescale: −stored × 1 − 1024
            assertEquals(-stored.get(i).getAsInt() - 1024, v.data()[i], "voxel " + i);
        }
    }

    @Test
    void absurdImageSizesAreRefusedBeforeAllocating(@TempDir Path tmp) throws Exception {
        byte[] b = Files.readAllBytes(Path.of("src/test/resources/dicom/MR_small.dcm"));
        // (0028,0010) Rows and (0028,0011) Columns, explicit VR little endian: set both to 65535
        for (int element : new int[] {0x10, 0x11}) {
            byte[] tag = {0x28, 0x00, (byte) element, 0x00, 'U', 'S', 0x02, 0x00};
            int at = foundAt(b, tag);
            b[at + 8] = (byte) 0xFF;
            b[at + 9] = (byte) 0xFF;
        }
        Path absurd = tmp.resolve("absurd.dcm");
        Files.write(absurd, b);
        var e = assertThrows(ImageFileException.class, () -> PixelDecoder.decode(DicomParser.parse(absurd)));
        // the pixel data cannot hold what the header claims: refused before anything is allocated for it
        assertTrue(e.getMessage().startsWith(absurd + ": pixel data has 8192 bytes, but 1 frame(s) of 65535 x 65535 x 1"
                + " at 16 bits need 8589672450 in "), e.getMessage());
        Files.write(tmp.resolve("empty.dcm"), new byte[0]);
        assertTrue(assertThrows(ImageFileException.class, () -> DicomParser.parse(tmp.resolve("empty.dcm"))).getMessage()
                .contains("not a DICOM file"));
    }

    @Test
    void inconsistentSeriesAreReportedNotStacked() throws Exception {
        var missing = assertThrows(ImageFileException.class,
                () -> DicomSeries.scan(DIR.resolve("broken_missing_slice")).series().get(0).load());
        assertTrue(missing.getMessage().contains("uneven slice spacing: a gap of 4.000 mm before this slice, 2.000 mm"
                + " elsewhere (a missing slice?)"), missing.getMessage());
        var sizes = assertThrows(ImageFileException.class,
                () -> DicomSeries.scan(DIR.resolve("broken_mixed_sizes")).series().get(0).load());
        assertTrue(sizes.getMessage().contains("mixes image sizes: 18 x 24 here, 20 x 24"), sizes.getMessage());
    }

    @Test
    void otherFilesInTheFolderAreSkippedWithTheReason(@TempDir Path tmp) throws Exception {
        for (String folder : new String[] {"axial", "oblique"}) {
            Path target = Files.createDirectories(tmp.resolve(folder));
            try (var files = Files.list(DIR.resolve(folder))) {
                for (Path p : files.toList()) {
                    Files.copy(p, target.resolve(p.getFileName()));
                }
            }
        }
        Files.writeString(tmp.resolve("notes.txt"), "not an image");
        byte[] slice = Files.readAllBytes(tmp.resolve("axial/IM0003"));
        Files.write(tmp.resolve("axial/IM0003"), Arrays.copyOf(slice, slice.length - 100)); // truncated in its pixels
        DicomSeries.Scan scan = DicomSeries.scan(tmp);
        assertEquals(2, scan.series().size());
        assertEquals("not a DICOM file", scan.skipped().get(tmp.resolve("notes.txt")));
        assertTrue(scan.skipped().get(tmp.resolve("axial/IM0003")).contains("truncated"), scan.skipped().toString());
        // the oblique series is untouched; the axial one now misses a slice and says so
        DicomSeries oblique = scan.series().stream().filter(s -> s.description().equals("oblique")).findFirst().orElseThrow();
        assertEquals(10, oblique.load().sizeXyz()[2]);
        DicomSeries axial = scan.series().stream().filter(s -> s.description().equals("axial")).findFirst().orElseThrow();
        assertThrows(ImageFileException.class, axial::load);
    }

    static double[] doubles(JsonArray a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).getAsDouble();
        }
        return d;
    }

    /** index → LPS mm, 4×4. */
    static double[][] affine(Geometry g) {
        double[] s = g.spacingMm();
        double[] o = g.originMm();
        double[] d = g.direction();
        double[][] a = new double[4][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                a[r][c] = d[r * 3 + c] * s[c];
            }
            a[r][3] = o[r];
        }
        a[3][3] = 1;
        return a;
    }

    static double[] apply(double[][] a, double x, double y, double z) {
        double[] out = new double[3];
        for (int r = 0; r < 3; r++) {
            out[r] = a[r][0] * x + a[r][1] * y + a[r][2] * z + a[r][3];
        }
        return out;
    }

    /** Inverse of an affine 4×4 via the 3×3 adjugate. */
    static double[][] inverse(double[][] a) {
        double[][] m = new double[3][3];
        double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                int r1 = (c + 1) % 3;
                int r2 = (c + 2) % 3;
                int c1 = (r + 1) % 3;
                int c2 = (r + 2) % 3;
                m[r][c] = (a[r1][c1] * a[r2][c2] - a[r1][c2] * a[r2][c1]) / det;
            }
        }
        double[][] inv = new double[4][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                inv[r][c] = m[r][c];
                inv[r][3] -= m[r][c] * a[c][3];
            }
        }
        inv[3][3] = 1;
        return inv;
    }

    /** Where {@code needle} is in {@code haystack}; a test that patches a tag that is not there is wrong. */
    private static int foundAt(byte[] haystack, byte[] needle) {
        int at = TestBytes.indexOf(haystack, needle);
        if (at < 0) {
            throw new AssertionError("tag not found");
        }
        return at;
    }
}
