package io.medseg.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Voxels keep their patient positions; canonical order runs along +x, +y, +z; restore inverts. */
class ReorientationTest {
    private static final long[] SIZE = {4, 3, 5};

    /** A scan stored "coronal and flipped": array axis 0 → −z, axis 1 → +x, axis 2 → −y. */
    private static Geometry permutedFlipped() {
        double[] direction = {
                0, 1, 0,
                0, 0, -1,
                -1, 0, 0};
        return new Geometry(new double[] {2.5, 0.7, 0.9}, new double[] {10, -20, 30}, direction);
    }

    private static double[] patient(Geometry g, long[] index) {
        int n = g.numDimensions();
        double[] d = g.direction();
        double[] p = g.originMm();
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < n; k++) {
                p[r] += d[r * n + k] * g.spacingMm()[k] * index[k];
            }
        }
        return p;
    }

    private static long[] unflatten(int i, long[] size) {
        long[] idx = new long[size.length];
        long rest = i;
        for (int k = 0; k < size.length; k++) {
            idx[k] = rest % size[k];
            rest /= size[k];
        }
        return idx;
    }

    @Test
    void everyVoxelKeepsItsValueAndPatientPosition() {
        Geometry g = permutedFlipped();
        float[] data = new float[60];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        Volume v = Volume.wrap(data, SIZE, 1, g);
        Reorientation r = Reorientation.toClosestCanonical(g, SIZE);
        assertFalse(r.isIdentity());
        Volume c = r.apply(v);
        assertArrayEquals(new long[] {3, 5, 4}, c.sizeXyz(), "x from axis 1, y from axis 2, z from axis 0");
        assertArrayEquals(new double[] {0.7, 0.9, 2.5}, c.geometry().spacingMm(), 0);
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, c.geometry().direction(), 0, "canonical = LPS");
        for (int i = 0; i < data.length; i++) {
            long[] ci = unflatten(i, c.sizeXyz());
            int source = (int) c.data()[i]; // the value is the voxel's stored flat index
            assertArrayEquals(patient(g, unflatten(source, SIZE)), patient(c.geometry(), ci), 1e-9,
                    "canonical voxel " + Arrays.toString(ci));
        }
    }

    @Test
    void restoreUndoesApplyForLabelsAndProbabilities() {
        Geometry g = permutedFlipped();
        byte[] labels = new byte[60];
        float[] probabilities = new float[120];
        for (int i = 0; i < 60; i++) {
            labels[i] = (byte) (i % 7);
            probabilities[i] = i;
            probabilities[60 + i] = -i;
        }
        Reorientation r = Reorientation.toClosestCanonical(g, SIZE);
        LabelMap c = r.apply(LabelMap.wrap(labels, SIZE, g, Map.of(0, "background")));
        assertArrayEquals(labels, r.restore(c.data()));
        Volume p = r.apply(Volume.wrap(probabilities, SIZE, 2, g));
        assertArrayEquals(probabilities, r.restore(p.data(), 2));
        assertEquals(c.geometry(), Reorientation.toClosestCanonical(c.geometry(), c.sizeXyz()).canonicalGeometry(c.geometry()),
                "canonical is a fixed point");
    }

    @Test
    void aCanonicalScanIsLeftAlone() {
        Geometry g = new Geometry(new double[] {0.8, 0.8, 3}, new double[] {-200, -180, 50},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        Volume v = Volume.zeros(SIZE, 1, g);
        Reorientation r = Reorientation.toClosestCanonical(g, SIZE);
        assertTrue(r.isIdentity());
        assertSame(v, r.apply(v));
    }

    @Test
    void aNiftiStyleRasStoredScanIsFlippedInPlaneOnly() {
        // nibabel/dcm2niix NIfTI: i → −x (patient right), j → −y (anterior) in LPS terms
        Geometry g = new Geometry(new double[] {0.8, 0.8, 3}, new double[] {100, 90, 0},
                new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1});
        Reorientation r = Reorientation.toClosestCanonical(g, SIZE);
        Geometry c = r.canonicalGeometry(g);
        assertArrayEquals(SIZE, r.canonicalSize());
        assertArrayEquals(new double[] {100 - 0.8 * 3, 90 - 0.8 * 2, 0}, c.originMm(), 1e-12);
    }

    @Test
    void anObliqueScanGoesToTheNearestAxisOrderAndStaysOblique() {
        double a = Math.toRadians(20); // tilted 20° about x, stored with y and z swapped
        double[] direction = {
                1, 0, 0,
                0, Math.sin(a), Math.cos(a),
                0, Math.cos(a), -Math.sin(a)};
        Geometry g = new Geometry(new double[] {1, 2, 3}, new double[3], direction);
        Geometry c = Reorientation.toClosestCanonical(g, SIZE).canonicalGeometry(g);
        assertArrayEquals(new double[] {1, 3, 2}, c.spacingMm(), 0);
        double[] d = c.direction();
        assertEquals(Math.cos(a), d[4], 1e-12, "new y axis mostly +y");
        assertEquals(Math.cos(a), d[8], 1e-12, "new z axis mostly +z");
    }
}
