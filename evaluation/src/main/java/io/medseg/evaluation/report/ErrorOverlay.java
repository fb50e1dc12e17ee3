package io.medseg.evaluation.report;

import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * The classic U-Net tooth-root figure for one 2D case, four panels side by side: the image, the
 * reference and the prediction drawn over it, and the errors — false positives (predicted, not
 * in the reference) and false negatives (in the reference, missed) in two colours that stay
 * distinct for red–green colour-blind readers.
 */
public final class ErrorOverlay {
    /** Orange-red: predicted where the reference has another label (false positive). */
    public static final Color FALSE_POSITIVE = new Color(0xE6, 0x55, 0x0D);
    /** Blue: reference voxels the prediction missed (false negative). */
    public static final Color FALSE_NEGATIVE = new Color(0x31, 0x82, 0xBD);
    private static final Color[] LABEL_COLOURS = {new Color(0x31, 0xA3, 0x54), new Color(0xFE, 0xC4, 0x4F),
            new Color(0x75, 0x6B, 0xB1), new Color(0xDE, 0x2D, 0x26)};
    private static final int TITLE = 22;

    private ErrorOverlay() {}

    /**
     * @param image the radiograph (channel 0 is shown), or null for a black background
     * @throws IllegalArgumentException unless all are 2D of one size
     */
    public static BufferedImage render(String caseId, Volume image, LabelMap reference, LabelMap prediction) {
        if (reference.numDimensions() != 2 || !Arrays.equals(reference.sizeXyz(), prediction.sizeXyz())
                || image != null && !Arrays.equals(image.sizeXyz(), reference.sizeXyz())) {
            throw new IllegalArgumentException("error overlays need 2D image and masks of one size, got reference "
                    + Arrays.toString(reference.sizeXyz()) + ", prediction " + Arrays.toString(prediction.sizeXyz())
                    + (image == null ? "" : ", image " + Arrays.toString(image.sizeXyz())));
        }
        int w = (int) reference.sizeXyz()[0];
        int h = (int) reference.sizeXyz()[1];
        int[] grey = greyLevels(image, w * h);
        byte[] g = reference.data();
        byte[] p = prediction.data();
        BufferedImage out = new BufferedImage(4 * w, h + 2 * TITLE, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < w * h; i++) {
            int x = i % w;
            int y = i / w + TITLE;
            int base = grey[i] * 0x010101;
            out.setRGB(x, y, base);
            out.setRGB(w + x, y, blend(grey[i], g[i] & 0xff));
            out.setRGB(2 * w + x, y, blend(grey[i], p[i] & 0xff));
            out.setRGB(3 * w + x, y, error(grey[i], g[i] & 0xff, p[i] & 0xff));
        }
        Graphics2D gr = out.createGraphics();
        gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        gr.setColor(Color.WHITE);
        String[] titles = {caseId, "reference", "prediction", "errors"};
        for (int k = 0; k < 4; k++) {
            gr.drawString(titles[k], k * w + 6, TITLE - 6);
        }
        legend(gr, 3 * w + 6, h + 2 * TITLE - 7);
        gr.dispose();
        return out;
    }

    private static void legend(Graphics2D gr, int x, int baseline) {
        gr.setColor(FALSE_POSITIVE);
        gr.fillRect(x, baseline - 10, 10, 10);
        gr.setColor(Color.WHITE);
        gr.drawString("false positive", x + 14, baseline);
        gr.setColor(FALSE_NEGATIVE);
        gr.fillRect(x + 110, baseline - 10, 10, 10);
        gr.setColor(Color.WHITE);
        gr.drawString("false negative", x + 124, baseline);
    }

    private static int blend(int grey, int label) {
        if (label == 0) {
            return grey * 0x010101;
        }
        Color c = LABEL_COLOURS[(label - 1) % LABEL_COLOURS.length];
        return mix(grey, c, 0.55);
    }

    private static int error(int grey, int g, int p) {
        int dim = grey / 2;
        if (g == p) {
            return g == 0 ? dim * 0x010101 : mix(dim, Color.LIGHT_GRAY, 0.5);
        }
        return p != 0 ? FALSE_POSITIVE.getRGB() & 0xffffff : FALSE_NEGATIVE.getRGB() & 0xffffff;
    }

    private static int mix(int grey, Color c, double alpha) {
        int r = (int) Math.round(grey * (1 - alpha) + c.getRed() * alpha);
        int gg = (int) Math.round(grey * (1 - alpha) + c.getGreen() * alpha);
        int b = (int) Math.round(grey * (1 - alpha) + c.getBlue() * alpha);
        return r << 16 | gg << 8 | b;
    }

    /** Channel 0 mapped to 0..255 between its 0.5th and 99.5th percentiles (a radiograph's useful window). */
    static int[] greyLevels(Volume image, int n) {
        int[] out = new int[n];
        if (image == null) {
            return out;
        }
        float[] v = Arrays.copyOf(image.data(), n);
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        double lo = sorted[(int) (0.005 * (n - 1))];
        double hi = sorted[(int) (0.995 * (n - 1))];
        double scale = hi > lo ? 255 / (hi - lo) : 0;
        for (int i = 0; i < n; i++) {
            out[i] = (int) Math.max(0, Math.min(255, Math.round((v[i] - lo) * scale)));
        }
        return out;
    }
}
