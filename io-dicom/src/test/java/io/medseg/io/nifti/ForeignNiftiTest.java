package io.medseg.io.nifti;

import static io.medseg.io.GoldenValues.doubles;
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
import io.medseg.io.ReadLimits;
import io.medseg.io.ScanHeader;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NIfTI headers nibabel repairs on load (negative or zero pixdim, with and without qform and sform),
 * NaN and infinite voxels, a gzip stream under a .nii name, and a small file claiming gigabytes
 * (files from src/test/python/make_foreign_fixtures.py, nibabel's readings in golden.json).
 */
class ForeignNiftiTest {
    static final Path DIR = Path.of("src/test/resources/foreign");
    static final JsonObject GOLDEN = GoldenValues.load(DIR.resolve("golden.json"));

    @TempDir
    Path tmp;


    /**
     * Voxel sizes |pixdim| (a zero taken as 1) as nibabel reads them, said in nibabel's own words;
     * with a qform or sform the voxel-to-patient mapping is nibabel's affine (RAS → LPS).
     */
    @ParameterizedTest
    @ValueSource(strings = {"pixdim_negative_noqform.nii", "pixdim_negative_qform.nii", "pixdim_zero_noqform.nii",
        "pixdim_zero_qform.nii", "pixdim_negative_sform.nii"})
    void pixdimIsReadAsNibabelReadsItAndTheRepairIsSaid(String name) throws Exception {
        JsonObject g = GOLDEN.getAsJsonObject(name);
        Volume v = Nifti.readVolume(DIR.resolve(name));
        ScanHeader h = Nifti.readHeader(DIR.resolve(name));
        assertEquals(v.notes(), h.notes(), "the header alone tells the same");
        String nibabel = g.getAsJsonArray("warnings").get(0).getAsString().replaceFirst("^[^:]*: ", "");
        // nibabel: "pixdim[1,2,3] should be positive; setting to abs of pixdim values" / "...non-zero; setting 0 dims to 1"
        String[] words = nibabel.split("; ");
        assertTrue(v.notes().stream().anyMatch(n -> n.startsWith("pixdim[1,2,3] (") && n.contains(") " + words[0].substring(
                "pixdim[1,2,3] ".length()) + "; " + words[1])), nibabel + " in " + v.notes());
        double[] zooms = doubles(g.getAsJsonArray("zooms"));
        boolean methodOne = g.get("qform_code").getAsInt() == 0 && g.get("sform_code").getAsInt() == 0;
        if (methodOne) {
            assertArrayEquals(zooms, v.geometry().spacingMm(), 1e-6, "voxel sizes");
            assertTrue(v.notes().stream().anyMatch(n -> n.contains("neither sform nor qform is set")), v.notes().toString());
            return;
        }
        // every corner of the grid where nibabel's affine (RAS) puts it, in LPS
        JsonArray a = g.getAsJsonArray("affine");
        Geometry geo = v.geometry();
        long[] size = v.sizeXyz();
        for (long i : new long[] {0, size[0] - 1}) {
            for (long j : new long[] {0, size[1] - 1}) {
                for (long k : new long[] {0, size[2] - 1}) {
                    double[] idx = {i, j, k};
                    for (int r = 0; r < 3; r++) {
                        double ras = a.get(r).getAsJsonArray().get(3).getAsDouble();
                        double ours = geo.originMm()[r];
                        for (int c = 0; c < 3; c++) {
                            ras += a.get(r).getAsJsonArray().get(c).getAsDouble() * idx[c];
                            ours += geo.direction()[r * 3 + c] * geo.spacingMm()[c] * idx[c];
                        }
                        assertEquals(r < 2 ? -ras : ras, ours, 1e-4, name + " voxel " + i + "," + j + "," + k + " axis " + r);
                    }
                }
            }
        }
    }

    /** Non-finite voxels are read as they are (the segmenter replaces them and says so), counted as nibabel counts them. */
    @Test
    void nanAndInfinitiesAreReadAsTheyAre() throws Exception {
        JsonObject g = GOLDEN.getAsJsonObject("nan_inf.nii.gz");
        float[] d = Nifti.readVolume(DIR.resolve("nan_inf.nii.gz")).data();
        int nan = 0;
        int pos = 0;
        int neg = 0;
        for (float f : d) {
            nan += Float.isNaN(f) ? 1 : 0;
            pos += f == Float.POSITIVE_INFINITY ? 1 : 0;
            neg += f == Float.NEGATIVE_INFINITY ? 1 : 0;
        }
        assertEquals(g.get("count_nan").getAsInt(), nan);
        assertEquals(g.get("count_posinf").getAsInt(), pos);
        assertEquals(g.get("count_neginf").getAsInt(), neg);
        for (var index : g.getAsJsonArray("index_nan")) {
            assertTrue(Float.isNaN(d[index.getAsInt()]), "NaN at " + index);
        }
    }

    @Test
    void aFileWhoseNameSaysOtherwiseThanItsBytesIsRefusedSayingSo() throws Exception {
        Path gz = DIR.resolve("gzip_named_nii.nii");
        assertEquals(gz + ": is gzip-compressed but named without .gz: name it .nii.gz",
                assertThrows(ImageFileException.class, () -> Nifti.readVolume(gz)).getMessage());
        Path renamed = Files.copy(gz, tmp.resolve("renamed.nii.gz"));
        JsonObject content = GOLDEN.getAsJsonObject("gzip_named_nii.nii").getAsJsonObject("content");
        float[] values = Nifti.readVolume(renamed).data();
        assertArrayEquals(doubles(content.getAsJsonArray("values")), toDoubles(values), 1e-6, "renamed, it reads");
        Path plain = Files.copy(DIR.resolve("pixdim_zero_qform.nii"), tmp.resolve("plain.nii.gz"));
        assertEquals(plain + ": is named .gz but is not gzip-compressed (an uncompressed NIfTI? name it .nii)",
                assertThrows(ImageFileException.class, () -> Nifti.readHeader(plain)).getMessage());
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /**
     * A 25 kB .nii.gz whose header claims 2048 × 2048 × 300 float32 (5 GB): its header is described
     * at once, reading it is refused at the scan ceiling before any voxel buffer is allocated.
     */
    @Test
    void aSmallFileClaimingGigabytesCostsNothingToDescribeAndIsRefusedBeforeReading() throws Exception {
        byte[] header = Arrays.copyOf(Files.readAllBytes(DIR.resolve("pixdim_zero_qform.nii")), 352);
        ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(40, (short) 3).putShort(42, (short) 2048).putShort(44, (short) 2048).putShort(46, (short) 300);
        b.putShort(70, (short) 16).putShort(72, (short) 32); // float32
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(header);
            out.write(new byte[1 << 24]); // the start of the zeros a real bomb would carry on with
        }
        Path bomb = Files.write(tmp.resolve("bomb.nii.gz"), bytes.toByteArray());
        assertTrue(Files.size(bomb) < 100_000, Files.size(bomb) + " bytes");
        ScanHeader h = Nifti.readHeader(bomb);
        assertArrayEquals(new long[] {2048, 2048, 300}, h.sizeXyz());
        String saved = System.setProperty(ReadLimits.MAX_SCAN_BYTES, "1g");
        try {
            var e = assertThrows(ImageFileException.class, () -> Nifti.readVolume(bomb));
            assertEquals(bomb + ": a NIfTI image of 2048 x 2048 x 300 voxels would need 5.03 GB of memory, more than the"
                    + " 1.07 GB one scan may use (medseg.read.maxScanBytes or MEDSEG_MAX_SCAN_BYTES raise it, within the"
                    + " JVM's -Xmx and 2^31 voxels)", e.getMessage());
        } finally {
            if (saved == null) {
                System.clearProperty(ReadLimits.MAX_SCAN_BYTES);
            } else {
                System.setProperty(ReadLimits.MAX_SCAN_BYTES, saved);
            }
        }
    }
}
