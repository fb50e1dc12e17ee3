package io.medseg.samples.ct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Partial volume: a painted sphere's covered fraction adds up to its volume, on thin and thick slices. */
class CtCanvasTest {

    @Test
    void coveredFractionsAddUpToTheSphereVolume() {
        for (double thickness : new double[] {1, 5}) {
            CtCanvas c = new CtCanvas(60, 60, (int) Math.ceil(60 / thickness), new double[] {1, 1, thickness},
                    new double[] {-30, -30, -30});
            Arrays.fill(c.hu, 0f);
            double radius = 17.3;
            c.paint(new Blob(new double[] {0.21, -0.37, 0.13}, new double[] {radius, radius, radius}, 0, 0, new double[0][]),
                    (x, y, z) -> 1000, 2);
            double covered = 0;
            long labelled = 0;
            boolean partial = false;
            for (int i = 0; i < c.hu.length; i++) {
                covered += c.hu[i] / 1000.0;
                labelled += c.labels[i] == 2 ? 1 : 0;
                partial |= c.hu[i] > 50 && c.hu[i] < 950;
            }
            double volume = 4.0 / 3 * Math.PI * radius * radius * radius;
            double voxel = thickness;
            // a linear ramp across a 5 mm voxel overestimates a little where the surface curves within it
            assertEquals(volume, covered * voxel, volume * (thickness > 1 ? 0.02 : 0.005),
                    "slices of " + thickness + " mm: summed coverage");
            assertEquals(volume, labelled * voxel, volume * 0.05, "labelled where at least half covered");
            assertTrue(partial, "edges are partial");
        }
    }

    @Test
    void laterSolidsCompositeOverEarlierOnesAndKeepLabelsWhenAsked() {
        CtCanvas c = new CtCanvas(20, 20, 20, new double[] {1, 1, 1}, new double[] {-10, -10, -10});
        c.paint(new Blob(new double[3], new double[] {8, 8, 8}, 0, 0, new double[0][]), (x, y, z) -> 60, 1);
        c.paint(new Capsule(new double[] {-10, 0, 0}, new double[] {10, 0, 0}, 2, 2), (x, y, z) -> 160, CtCanvas.KEEP_LABEL);
        int centre = 10 + 20 * (10 + 20 * 10);
        assertEquals(160, c.hu[centre], 1e-3, "the vessel is painted over the organ");
        assertEquals(1, c.labels[centre], "and keeps the organ's label");
        int outsideOrgan = 0 + 20 * (10 + 20 * 10);
        assertEquals(160, c.hu[outsideOrgan], 1e-3);
        assertEquals(0, c.labels[outsideOrgan]);
        assertEquals(-1000, c.hu[0], 0, "air stays air");
    }
}
