package io.medseg.evaluation.report;

import java.awt.Color;

/**
 * The report's colours in one place: false positives orange, false negatives blue, and label
 * colours (reference contours, label overlays) chosen to stay apart from both (CIE ΔE76 above
 * {@value #MIN_DISTANCE} to each), so a reference contour is never read as an error. The previous
 * palette gave kidney an orange-yellow (#FEC44F, ΔE 52 to the false-positive orange), label 4 a red
 * (ΔE 20) and label 3 a purple (ΔE 25 to the false-negative blue).
 */
public final class ReportColours {
    public static final Color FALSE_POSITIVE = new Color(0xE6, 0x55, 0x0D);
    public static final Color FALSE_NEGATIVE = new Color(0x31, 0x82, 0xBD);
    /** Green, magenta, yellow, light green: none near orange or blue (ΔE 72 or more to each). */
    private static final Color[] LABELS = {new Color(0x31, 0xA3, 0x54), new Color(0xE7, 0x29, 0x8A),
            new Color(0xFF, 0xF2, 0x33), new Color(0xA6, 0xD8, 0x54)};
    /** The least CIE ΔE76 between any label colour and either error colour (ReportColoursTest checks it). */
    static final double MIN_DISTANCE = 60;

    private ReportColours() {}

    /** The colour of label {@code label} (1, 2, …; repeating after {@link #labelCount()}). */
    public static Color label(int label) {
        return LABELS[(label - 1) % LABELS.length];
    }

    static int labelCount() {
        return LABELS.length;
    }
}
