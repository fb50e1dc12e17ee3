package io.medseg.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Reorientation;
import io.medseg.image.Volume;
import io.medseg.io.nifti.Nifti;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Open Scan shows every storage order as axial slices in radiological orientation, each voxel at
 * its own place in the patient, and Save Mask writes a mask drawn on that view back on the file's
 * own grid, voxel for voxel.
 */
class RadiologicalViewTest {
    /** Direction matrices (row-major; column k is voxel axis k in LPS) of the storage orders tried. */
    private static final Map<String, double[]> STORAGE = Map.of(
            "LPS", new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
            "RAS", new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1}, // dcm2niix, nibabel
            "LPI", new double[] {1, 0, 0, 0, 1, 0, 0, 0, -1}, // slices top-down
            "LIA", new double[] {1, 0, 0, 0, 0, -1, 0, -1, 0}, // coronal: x left, y inferior, z anterior
            "PIL", new double[] {0, 0, 1, 1, 0, 0, 0, -1, 0}); // sagittal: x posterior, y inferior, z left
    private static final long[] SIZE = {4, 3, 5};
    private static final double[] SPACING = {0.8, 1.5, 2.5};

    @TempDir
    Path tmp;

    private static double[] patient(Geometry g, long[] size, int index) {
        long[] ijk = {index % size[0], index / size[0] % size[1], index / (size[0] * size[1])};
        double[] d = g.direction();
        double[] p = g.originMm().clone();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                p[r] += d[r * 3 + c] * ijk[c] * g.spacingMm()[c];
            }
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"LPS", "RAS", "LPI", "LIA", "PIL"})
    void everyStorageOpensAxialRadiologicalAndSavesBackOnItsOwnGrid(String storage) throws Exception {
        Geometry fileGeometry = new Geometry(SPACING, new double[] {10, -20, 30}, STORAGE.get(storage));
        float[] values = new float[(int) (SIZE[0] * SIZE[1] * SIZE[2])];
        for (int i = 0; i < values.length; i++) {
            values[i] = i; // each voxel says where it came from
        }
        Volume file = Volume.wrap(values, SIZE, 1, fileGeometry).withModality("MR");
        assertEquals(storage, OpenScanPlugin.axisCodes(fileGeometry));

        ImagePlus view = OpenScanPlugin.radiological(file, "scan");
        Volume shown = ScanImages.toVolume(view);
        assertEquals("MR", shown.modality(), "the file's modality is kept for the training-domain check");
        double[] d = shown.geometry().direction();
        for (int k = 0; k < 3; k++) {
            assertTrue(d[k * 3 + k] > 0.99, storage + ": shown axis " + k + " points L, P, S: " + java.util.Arrays.toString(d));
        }
        for (int j = 0; j < values.length; j++) {
            int from = (int) shown.data()[j];
            assertArrayEquals(patient(fileGeometry, SIZE, from), patient(shown.geometry(), shown.sizeXyz(), j), 1e-9,
                    storage + ": shown voxel " + j + " is where file voxel " + from + " is");
        }
        assertEquals(!storage.equals("LPS"), view.getProp(ScanImages.FILE_GRID) != null);

        // a mask drawn on the view (as Segment Image makes it), saved: the file's grid, voxel for voxel
        byte[] fileLabels = new byte[values.length];
        for (int i = 0; i < fileLabels.length; i++) {
            fileLabels[i] = (byte) (i % 7 == 0 ? 1 : i % 5 == 0 ? 2 : 0);
        }
        Map<Integer, String> names = Map.of(0, "background", 1, "liver", 2, "kidney");
        LabelMap onView = Reorientation.toClosestCanonical(fileGeometry, SIZE)
                .apply(LabelMap.wrap(fileLabels, SIZE, fileGeometry, names));
        ImagePlus labels = ScanImages.toImage(onView, "scan-labels");
        if (view.getProp(ScanImages.FILE_GRID) != null) {
            labels.setProp(ScanImages.FILE_GRID, view.getProp(ScanImages.FILE_GRID));
        }
        Path out = SaveMaskPlugin.save(labels, null, tmp.resolve(storage + ".nii.gz"), false);
        LabelMap saved = Nifti.readLabels(out, names);
        assertArrayEquals(SIZE, saved.sizeXyz());
        assertArrayEquals(fileLabels, saved.data(), storage + ": the file's voxel order");
        assertNull(fileGeometry.mismatch(saved.geometry()), storage + ": the file's geometry");
    }

    @Test
    void aDicomOpenedByImageJGivesItsModalityFromTheHeader() {
        ImagePlus imp = new ImagePlus("dicom", new ij.process.FloatProcessor(3, 2));
        imp.setProperty("Info", "0008,0020  Study Date: 20260101\n0008,0060  Modality: MR\n0010,0010  Patient's Name: x\n");
        assertEquals("MR", ScanImages.toVolume(imp).modality());
        assertEquals("", ScanImages.toVolume(new ImagePlus("png", new ij.process.FloatProcessor(3, 2))).modality());
    }
}
