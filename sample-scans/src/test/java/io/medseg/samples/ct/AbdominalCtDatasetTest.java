package io.medseg.samples.ct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Reorientation;
import io.medseg.image.Volume;
import io.medseg.io.nifti.Nifti;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nnU-Net layout, int16 HU, and every stored voxel order reads back to the generated anatomy. */
class AbdominalCtDatasetTest {
    private static final AbdominalPhantom.Acquisition TINY = new AbdominalPhantom.Acquisition(40, new double[] {5});

    @Test
    void everyStorageOrderKeepsEachVoxelsPatientPosition(@TempDir Path tmp) throws Exception {
        AbdominalPhantom.CtCase c = AbdominalPhantom.generate(5, TINY);
        for (AbdominalCtDataset.StorageOrder order : AbdominalCtDataset.StorageOrder.ALL) {
            Geometry stored = AbdominalCtDataset.storedGeometry(c.geometry(), c.sizeXyz(), order);
            long[] size = AbdominalCtDataset.storedSize(c.sizeXyz(), order);
            Reorientation r = Reorientation.toClosestCanonical(stored, size);
            Path file = tmp.resolve(order.name().replaceAll("[^A-Za-z]", "") + ".nii.gz");
            Nifti.writeInt16(Volume.wrap(r.restore(c.hu(), 1), size, 1, stored), file, false);
            Volume back = Nifti.readVolume(file);
            Reorientation toCanonical = Reorientation.toClosestCanonical(back.geometry(), back.sizeXyz());
            Volume canonical = toCanonical.apply(back);
            assertArrayEquals(c.sizeXyz(), canonical.sizeXyz(), order.name());
            assertArrayEquals(c.hu(), canonical.data(), order.name());
            assertArrayEquals(c.geometry().originMm(), canonical.geometry().originMm(), 1e-3, order.name());
            assertArrayEquals(c.geometry().spacingMm(), canonical.geometry().spacingMm(), 1e-5, order.name());
            assertArrayEquals(c.geometry().direction(), canonical.geometry().direction(), 1e-6, order.name());
        }
    }

    @Test
    void writesAnNnUNetDatasetThatReadsBackToTheGeneratedCases(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("Dataset902_Abdomen");
        List<Integer> progress = new ArrayList<>();
        AbdominalCtDataset.write(dir, 40, 2, 1, TINY, (done, total, id) -> progress.add(done));
        assertEquals(List.of(1, 2, 3), progress);
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("dataset.json"))).getAsJsonObject();
        assertEquals("CT", json.getAsJsonObject("channel_names").get("0").getAsString());
        assertEquals(2, json.getAsJsonObject("labels").get("kidney").getAsInt());
        assertEquals(2, json.get("numTraining").getAsInt());
        List<String> csv = Files.readAllLines(dir.resolve("phantoms.csv"));
        assertEquals(4, csv.size());
        assertTrue(csv.get(3).startsWith("ct_002,test,"), csv.get(3));
        for (String row : csv) { // plain CSV: as many fields as the header, none with a comma of its own
            assertEquals(csv.get(0).split(",").length, row.split(",", -1).length, row);
        }
        for (AbdominalCtDataset.StorageOrder order : AbdominalCtDataset.StorageOrder.ALL) {
            assertFalse(order.name().contains(","), order.name());
        }
        for (int k = 0; k < 3; k++) {
            String split = k < 2 ? "Tr" : "Ts";
            String id = String.format("ct_%03d", k);
            Volume image = Nifti.readVolume(dir.resolve("images" + split).resolve(id + "_0000.nii.gz"));
            LabelMap labels = Nifti.readLabels(dir.resolve("labels" + split).resolve(id + ".nii.gz"),
                    AbdominalCtDataset.LABELS);
            Reorientation r = Reorientation.toClosestCanonical(image.geometry(), image.sizeXyz());
            AbdominalPhantom.CtCase expected = AbdominalPhantom.generate(40 + k, TINY);
            assertArrayEquals(expected.hu(), r.apply(image).data(), id);
            assertArrayEquals(expected.labels(), r.apply(labels).data(), id);
        }
        var e = assertThrows(IOException.class, () -> AbdominalCtDataset.write(dir, 1, 1, 0, TINY, null));
        assertTrue(e.getMessage().contains("exists"), e.getMessage());
        // asked to stop after the first case: nothing under the name, no temporary folder left
        Path stopped = tmp.resolve("Dataset903_Stopped");
        var s = assertThrows(AbdominalCtDataset.Stopped.class, () -> AbdominalCtDataset.write(stopped, 1, 2, 0, TINY,
                new AbdominalCtDataset.Listener() {
                    int written;

                    @Override
                    public void written(int done, int total, String caseId) {
                        written = done;
                    }

                    @Override
                    public boolean stopRequested() {
                        return written == 1;
                    }
                }));
        assertEquals("after 1 of 2 cases; " + stopped + " was not written", s.getMessage());
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("Dataset902_Abdomen"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aKidneyOnlyDatasetHasTheSameImagesAndOnlyTheKidneyAsLabelOne(@TempDir Path tmp) throws Exception {
        Path both = tmp.resolve("Dataset902_Abdomen");
        Path kidney = tmp.resolve("Dataset905_Kidney");
        AbdominalCtDataset.write(both, 40, 1, 0, TINY, null);
        AbdominalCtDataset.write(kidney, 40, 1, 0, TINY, List.of("kidney"), null);
        JsonObject labels = JsonParser.parseString(Files.readString(kidney.resolve("dataset.json"))).getAsJsonObject()
                .getAsJsonObject("labels");
        assertEquals(JsonParser.parseString("{\"background\": 0, \"kidney\": 1}"), labels);
        assertArrayEquals(Files.readAllBytes(both.resolve("imagesTr/ct_000_0000.nii.gz")),
                Files.readAllBytes(kidney.resolve("imagesTr/ct_000_0000.nii.gz")));
        byte[] two = Nifti.readLabels(both.resolve("labelsTr/ct_000.nii.gz"), AbdominalCtDataset.LABELS).data();
        byte[] one = Nifti.readLabels(kidney.resolve("labelsTr/ct_000.nii.gz"), Map.of(0, "background", 1, "kidney"))
                .data();
        int kidneyVoxels = 0;
        for (int i = 0; i < two.length; i++) {
            assertEquals(two[i] == 2 ? 1 : 0, one[i], "voxel " + i);
            kidneyVoxels += one[i];
        }
        assertTrue(kidneyVoxels > 0 && kidneyVoxels < two.length, "the phantom has a kidney: " + kidneyVoxels);
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> AbdominalCtDataset.write(tmp.resolve("x"), 40, 1, 0, TINY, List.of("spleen"), null));
        assertEquals("unknown organ 'spleen': expected liver or kidney", unknown.getMessage());
        var twice = assertThrows(IllegalArgumentException.class,
                () -> AbdominalCtDataset.write(tmp.resolve("x"), 40, 1, 0, TINY, List.of("kidney", "kidney"), null));
        assertEquals("organ 'kidney' given twice", twice.getMessage());
    }
}
