package io.medseg.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import org.junit.jupiter.api.Test;

/** No label colour can be taken for an error colour: CIE ΔE76 (sRGB, D65) between them. */
class ReportColoursTest {
    /** CIE L*a*b* of an sRGB colour (D65 white). */
    static double[] lab(Color c) {
        double[] rgb = {c.getRed() / 255.0, c.getGreen() / 255.0, c.getBlue() / 255.0};
        for (int i = 0; i < 3; i++) {
            rgb[i] = rgb[i] <= 0.04045 ? rgb[i] / 12.92 : Math.pow((rgb[i] + 0.055) / 1.055, 2.4);
        }
        double x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047;
        double y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
        double z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883;
        double fx = f(x);
        double fy = f(y);
        double fz = f(z);
        return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
    }

    private static double f(double t) {
        return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }

    static double distance(Color a, Color b) {
        double[] p = lab(a);
        double[] q = lab(b);
        return Math.sqrt(Math.pow(p[0] - q[0], 2) + Math.pow(p[1] - q[1], 2) + Math.pow(p[2] - q[2], 2));
    }

    @Test
    void labIsTheReferenceConversion() {
        // skimage.color.rgb2lab: pure red (53.24, 80.09, 67.20), white (100, 0, 0)
        double[] red = lab(Color.RED);
        assertEquals(53.24, red[0], 0.05);
        assertEquals(80.09, red[1], 0.1);
        assertEquals(67.20, red[2], 0.1);
        assertEquals(100, lab(Color.WHITE)[0], 0.01);
    }

    @Test
    void everyLabelColourStaysApartFromBothErrorColours() {
        for (int label = 1; label <= ReportColours.labelCount(); label++) {
            Color c = ReportColours.label(label);
            double fp = distance(c, ReportColours.FALSE_POSITIVE);
            double fn = distance(c, ReportColours.FALSE_NEGATIVE);
            assertTrue(fp > ReportColours.MIN_DISTANCE && fn > ReportColours.MIN_DISTANCE,
                    "label " + label + " #" + Integer.toHexString(c.getRGB() & 0xffffff) + ": ΔE " + fp + " to FP, " + fn
                            + " to FN");
        }
        // the old palette fails the rule: kidney's orange-yellow #FEC44F and label 4's red next to the FP orange
        assertTrue(distance(new Color(0xFE, 0xC4, 0x4F), ReportColours.FALSE_POSITIVE) < ReportColours.MIN_DISTANCE);
        assertTrue(distance(new Color(0xDE, 0x2D, 0x26), ReportColours.FALSE_POSITIVE) < ReportColours.MIN_DISTANCE);
    }
}
