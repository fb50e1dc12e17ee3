package io.medseg.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 2D overlays zoom to the structure; 3D slice views show errors where they are, whatever the stored order. */
class CasePicturesTest {
    private static final int FP = ErrorOverlay.FALSE_POSITIVE.getRGB() & 0xFFFFFF;
    private static final int FN = ErrorOverlay.FALSE_NEGATIVE.getRGB() & 0xFFFFFF;

    @Test
    void aOnePixelRimOnA256ImageBecomesAVisibleBand() {
        int w = 256;
        byte[] ref = new byte[w * w];
        byte[] pred = new byte[w * w];
        for (int y = 100; y < 140; y++) {
            for (int x = 110; x < 130; x++) {
                ref[y * w + x] = 1;
                pred[y * w + x] = 1;
            }
        }
        for (int y = 100; y < 140; y++) {
            pred[y * w + 130] = 1; // a one-pixel false-positive rim on the right
        }
        Geometry g = Geometry.identity(2);
        Map<Integer, String> names = Map.of(0, "background", 1, "root");
        BufferedImage img = ErrorOverlay.render("c", null, LabelMap.wrap(ref, new long[] {w, w}, g, names),
                LabelMap.wrap(pred, new long[] {w, w}, g, names));
        int[] crop = ErrorOverlay.crop(ref, pred, w, w);
        assertArrayEquals(new int[] {78, 68, 163, 172}, crop, "box of the structures grown by 256/8 = 32 pixels");
        int zoom = 320 / (172 - 68);
        assertEquals(3, zoom);
        int panel = (163 - 78) * zoom;
        assertEquals(4 * panel, img.getWidth());
        // the rim (source x = 130) in the errors panel spans `zoom` display pixels
        int y = 22 + (120 - 68) * zoom;
        int x0 = 3 * panel + (130 - 78) * zoom;
        for (int dx = 0; dx < zoom; dx++) {
            assertEquals(FP, img.getRGB(x0 + dx, y) & 0xFFFFFF, "rim pixel " + dx);
        }
        assertTrue((img.getRGB(x0 + zoom, y) & 0xFFFFFF) != FP, "and no wider");
    }

    @Test
    void sliceViewsShowTheErrorsOfEachLabelAndTheWorstSlice() {
        long[] size = {40, 36, 20};
        int n = 40 * 36 * 20;
        byte[] ref = new byte[n];
        byte[] pred = new byte[n];
        float[] hu = new float[n];
        Arrays.fill(hu, -1000f);
        for (int z = 4; z < 16; z++) {
            for (int y = 8; y < 28; y++) {
                for (int x = 5; x < 25; x++) {
                    int i = x + 40 * (y + 36 * z);
                    hu[i] = 60;
                    ref[i] = 1;
                    pred[i] = (byte) (x < 22 ? 1 : 0); // the prediction misses the right edge: false negatives
                }
            }
        }
        for (int z = 8; z < 12; z++) {
            for (int y = 14; y < 20; y++) {
                for (int x = 30; x < 36; x++) {
                    int i = x + 40 * (y + 36 * z);
                    hu[i] = 180;
                    ref[i] = 2;
                    pred[i] = 2;
                }
            }
        }
        int extra = 33 + 40 * (10 + 36 * 10); // one false-positive kidney voxel
        pred[extra] = 2;
        // stored with z reversed: views must still put superior at the top
        Geometry g = new Geometry(new double[] {2, 2, 4}, new double[] {0, 0, 76}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, -1});
        Map<Integer, String> names = Map.of(0, "background", 1, "liver", 2, "kidney");
        Volume image = Volume.wrap(hu, size, 1, g);
        assertArrayEquals(SliceViews.CT_WINDOW, SliceViews.windowFor(image));
        assertNull(SliceViews.windowFor(Volume.wrap(new float[n], size, 1, g)), "no air: not a CT window");
        BufferedImage img = SliceViews.render("case", image, LabelMap.wrap(ref, size, g, names),
                LabelMap.wrap(pred, size, g, names), SliceViews.windowFor(image));
        assertEquals(3 * 230 + 4 * 6, img.getWidth());
        assertEquals(20 + 3 * (230 + 20 + 6) + 24, img.getHeight(), "two labels and the worst slice");
        int[] counts = colours(img);
        assertTrue(counts[0] > 200, "false negatives of the liver are drawn: " + counts[0]);
        assertTrue(counts[1] > 20, "the false-positive kidney voxel is drawn, zoomed: " + counts[1]);
    }

    /** {false-negative pixels, false-positive pixels}. */
    private static int[] colours(BufferedImage img) {
        int fn = 0;
        int fp = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                int r = rgb >> 16;
                int b = rgb & 0xFF;
                // the fills mix 60 % of the colour into grey: bluish or orange pixels
                fn += b > r + 40 ? 1 : 0;
                fp += r > b + 60 && ((rgb >> 8) & 0xFF) < r - 70 ? 1 : 0; // not the yellow kidney contour
            }
        }
        return new int[] {fn, fp};
    }
}
