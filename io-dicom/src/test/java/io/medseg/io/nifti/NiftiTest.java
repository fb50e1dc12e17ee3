package io.medseg.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.GoldenValues;
import io.medseg.io.ImageFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NIfTI files written by nibabel (its own test images and small files in every datatype, big
 * endian, scaled, qform-only, NIfTI-2, .hdr/.img) read to the values and affine nibabel reports
 * (resources/nifti/golden.json, from src/test/python/make_nifti_fixtures.py).
 */
class NiftiTest {
    static final Path DIR = Path.of("src/test/resources/nifti");
    static final JsonObject GOLDEN = GoldenValues.load(DIR.resolve("golden.json"));

    static Stream<String> files() {
        return GOLDEN.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("files")
    void readsWhatNibabelReads(String name) throws Exception {
        JsonObject g = GOLDEN.getAsJsonObject(name);
        Volume v = Nifti.readVolume(DIR.resolve(name));
        JsonArray shape = g.getAsJsonArray("shape");
        long channels = 1;
        for (int i = 0; i < shape.size(); i++) {
            if (i < 3) {
                assertEquals(shape.get(i).getAsLong(), v.sizeXyz()[i], name + " size " + i);
            } else {
                channels *= shape.get(i).getAsLong();
            }
        }
        assertEquals(channels, v.channels(), name + " channels");
        GoldenValues.assertMatches(name, g, v.data(), 0);
        double[][] affine = Nifti.rasAffine(v.geometry());
        JsonArray expected = g.getAsJsonArray("affine");
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(expected.get(r).getAsJsonArray().get(c).getAsDouble(), affine[r][c], 1e-4,
                        name + " affine[" + r + "][" + c + "]");
            }
        }
    }

    static Volume obliqueVolume() {
        long[] size = {6, 5, 4};
        float[] data = new float[120];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f - 7;
        }
        double c = Math.cos(0.3);
        double s = Math.sin(0.3);
        // LPS direction columns: a rotation about z by 0.3 rad
        Geometry g = new Geometry(new double[] {0.75, 0.8, 2.5}, new double[] {-101.5, 20.25, -33},
                new double[] {c, -s, 0, s, c, 0, 0, 0, 1});
        return Volume.wrap(data, size, 1, g);
    }

    @Test
    void hounsfieldUnitsAreStoredAsInt16AndReadBack(@TempDir Path tmp) throws Exception {
        Volume v = obliqueVolume();
        float[] hu = v.data();
        for (int i = 0; i < hu.length; i++) {
            hu[i] = i * 37 - 1024; // whole numbers up to 3379
        }
        Volume ct = Volume.wrap(hu, v.sizeXyz(), 1, v.geometry());
        Path file = tmp.resolve("ct.nii");
        Nifti.writeInt16(ct, file, false);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(4, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(70),
                "datatype code 4 = int16");
        assertEquals(352 + 2 * hu.length, bytes.length);
        Volume back = Nifti.readVolume(file);
        assertArrayEquals(hu, back.data());
        assertArrayEquals(v.geometry().direction(), back.geometry().direction(), 1e-6);
        hu[5] = 0.5f;
        var e = assertThrows(IllegalArgumentException.class, () -> Nifti.writeInt16(ct, tmp.resolve("bad.nii"), false));
        assertEquals(tmp.resolve("bad.nii") + ": voxel 5 is 0.5, not a whole number in the int16 range", e.getMessage());
        assertFalse(Files.exists(tmp.resolve("bad.nii")));
    }

    @Test
    void writeThenReadKeepsValuesAndGeometry(@TempDir Path tmp) throws Exception {
        Volume v = obliqueVolume();
        for (String name : List.of("v.nii", "v.nii.gz")) {
            Nifti.write(v, tmp.resolve(name), false);
            Volume back = Nifti.readVolume(tmp.resolve(name));
            assertArrayEquals(v.data(), back.data());
            assertArrayEquals(v.sizeXyz(), back.sizeXyz());
            assertArrayEquals(v.geometry().spacingMm(), back.geometry().spacingMm(), 1e-6);
            assertArrayEquals(v.geometry().originMm(), back.geometry().originMm(), 1e-4);
            assertArrayEquals(v.geometry().direction(), back.geometry().direction(), 1e-6);
        }
        byte[] labels = new byte[120];
        labels[7] = 2;
        LabelMap m = LabelMap.wrap(labels, v.sizeXyz(), v.geometry(), Map.of(0, "bg", 1, "liver", 2, "kidney"));
        Nifti.write(m, tmp.resolve("m.nii.gz"), false);
        LabelMap mb = Nifti.readLabels(tmp.resolve("m.nii.gz"), m.labelNames());
        assertArrayEquals(labels, mb.data());
        assertEquals(v.geometry().spacingMm()[2], mb.geometry().spacingMm()[2], 1e-6);
        assertThrows(FileAlreadyExistsException.class, () -> Nifti.write(m, tmp.resolve("m.nii.gz"), false));
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.filter(p -> p.toString().endsWith(".partial")).count());
        }
    }

    @Test
    void ourOutputIsWhatNibabelReads(@TempDir Path tmp) throws Exception {
        // written_by_medseg.nii is this writer's output for obliqueVolume(); make_nifti_fixtures.py
        // recorded how nibabel reads it. Writing it again must give the same bytes.
        Path committed = DIR.resolve("written_by_medseg.nii");
        if (Boolean.getBoolean("medseg.writeFixtures")) {
            Nifti.write(obliqueVolume(), committed, true);
        }
        Nifti.write(obliqueVolume(), tmp.resolve("again.nii"), false);
        assertArrayEquals(Files.readAllBytes(committed), Files.readAllBytes(tmp.resolve("again.nii")));
        JsonObject g = GOLDEN.getAsJsonObject("written_by_medseg.nii");
        double[][] ours = Nifti.rasAffine(obliqueVolume().geometry());
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(ours[r][c], g.getAsJsonArray("affine").get(r).getAsJsonArray().get(c).getAsDouble(), 1e-5);
            }
        }
        assertEquals(1, g.get("sform_code").getAsInt());
        assertEquals(1, g.get("qform_code").getAsInt());
    }

    @Test
    void badFilesNameTheFileAndTheProblem(@TempDir Path tmp) throws Exception {
        Path wrong = tmp.resolve("wrong.nii");
        Files.write(wrong, new byte[400]);
        assertTrue(assertThrows(ImageFileException.class, () -> Nifti.readVolume(wrong)).getMessage()
                .startsWith(wrong + ": not a NIfTI file: sizeof_hdr is 0"));

        byte[] good = Files.readAllBytes(DIR.resolve("dtype_int16.nii"));
        Path truncated = tmp.resolve("truncated.nii");
        Files.write(truncated, Arrays.copyOf(good, good.length - 10));
        assertTrue(assertThrows(ImageFileException.class, () -> Nifti.readVolume(truncated)).getMessage()
                .endsWith("the header claims 120 (60 voxels of int16): truncated file or a corrupt header"));

        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putShort(42, (short) 32767)
                .putShort(44, (short) 32767).putShort(46, (short) 32767);
        Path absurd = tmp.resolve("absurd.nii");
        Files.write(absurd, huge);
        assertTrue(assertThrows(ImageFileException.class, () -> Nifti.readVolume(absurd)).getMessage()
                .contains("claims 35181150961663 voxels"));

        Files.copy(DIR.resolve("pair_int16.hdr"), tmp.resolve("lonely.hdr"));
        assertTrue(assertThrows(ImageFileException.class, () -> Nifti.readVolume(tmp.resolve("lonely.hdr"))).getMessage()
                .contains("lonely.img is missing"));

        Path notGzip = tmp.resolve("fake.nii.gz");
        Files.write(notGzip, good);
        assertTrue(assertThrows(IOException.class, () -> Nifti.readVolume(notGzip)).getMessage().contains("fake.nii.gz"));

        List<String> notLabels = new ArrayList<>();
        try {
            Nifti.readLabels(DIR.resolve("nifti2_float.nii"), Map.of());
        } catch (ImageFileException e) {
            notLabels.add(e.getMessage());
        }
        assertTrue(notLabels.get(0).contains("not a label in 0..255"), notLabels.toString());
    }
}
