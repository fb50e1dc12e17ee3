package io.medseg.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A 2D overlay of a large image shows its errors close up, where they are densest. */
class ErrorOverlayCloseUpTest {
    private static final Map<Integer, String> NAMES = Map.of(0, "background", 1, "root");

    @Test
    void theDensestWindowIsFound() {
        int w = 10;
        byte[] g = new byte[100];
        byte[] p = new byte[100];
        p[0] = 1; // one stray error at (0, 0)
        for (int y = 6; y < 8; y++) {
            for (int x = 5; x < 8; x++) {
                p[y * w + x] = 1; // six errors in x 5..7, y 6..7
            }
        }
        int[] whole = {0, 0, 10, 10};
        assertArrayEquals(new int[] {5, 6, 3, 2}, ErrorOverlay.densestErrors(g, p, w, whole, 3, 2));
        // a 4×4 window: the first in row order holding all six (x 4, y 4)
        assertArrayEquals(new int[] {4, 4, 4, 4}, ErrorOverlay.densestErrors(g, p, w, whole, 4, 4));
        assertNull(ErrorOverlay.densestErrors(g, g, w, whole, 3, 3), "no errors, no close-up");
    }

    @Test
    void aRadiographSizedCaseGetsAFifthPanelWithItsOneVoxelErrorsEnlarged() {
        int w = 256;
        int h = 224;
        byte[] g = new byte[w * h];
        byte[] p = new byte[w * h];
        for (int y = 10; y < 210; y++) {
            for (int x = 10; x < 240; x++) {
                g[y * w + x] = 1;
                p[y * w + x] = 1;
            }
        }
        p[100 * w + 5] = 1; // a one-pixel false positive left of the root
        BufferedImage img = ErrorOverlay.render("case", null, LabelMap.wrap(g, new long[] {w, h}, Geometry.identity(2), NAMES),
                LabelMap.wrap(p, new long[] {w, h}, Geometry.identity(2), NAMES));
        // the structure fills the image: zoom 1, so the close-up (zoom 4) is the fifth panel
        assertEquals(5 * 256, img.getWidth());
        int fp = ReportColours.FALSE_POSITIVE.getRGB() & 0xffffff;
        long inCloseUp = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 4 * 256; x < 5 * 256; x++) {
                inCloseUp += (img.getRGB(x, y) & 0xffffff) == fp ? 1 : 0;
            }
        }
        assertEquals(16, inCloseUp, "the one pixel drawn 4 × 4");
    }
}
