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
 * distinct for red–green colour-blind readers. The panels are cropped to the structures and
 * zoomed by a whole factor, so a one-pixel rim of errors is visible.
 */
public final class ErrorOverlay {
    /** Orange-red: predicted where the reference has another label (false positive). */
    public static final Color FALSE_POSITIVE = ReportColours.FALSE_POSITIVE;
    /** Blue: reference voxels the prediction missed (false negative). */
    public static final Color FALSE_NEGATIVE = ReportColours.FALSE_NEGATIVE;
    private static final int TITLE = 22;
    /** Panels are zoomed by a whole factor to about this many pixels on their longer side. */
    private static final int TARGET = 320;
    private static final int MAX_ZOOM = 8;
    /** Wide enough for the legend under the last panel. */
    private static final int MIN_PANEL_WIDTH = 120;

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
        // zoomed to the structures (with a margin), so that a one-pixel error rim is several pixels wide
        int[] crop = crop(g, p, w, h);
        int cw = crop[2] - crop[0];
        int ch = crop[3] - crop[1];
        int k = Math.max(1, Math.min(MAX_ZOOM, TARGET / Math.max(cw, ch)));
        int pw = Math.max(cw * k, MIN_PANEL_WIDTH);
        // at a zoom below CLOSE_UP a one-pixel error is hard to see: a fifth panel shows the errors
        // where they are densest, a quarter of the width and height at four times the zoom
        int[] close = k < CLOSE_UP ? densestErrors(g, p, w, crop, cw / 4, ch / 4) : null;
        int panels = close == null ? 4 : 5;
        BufferedImage out = new BufferedImage(panels * pw, ch * k + 2 * TITLE, BufferedImage.TYPE_INT_RGB);
        for (int dy = 0; dy < ch * k; dy++) {
            for (int dx = 0; dx < cw * k; dx++) {
                int i = (crop[1] + dy / k) * w + crop[0] + dx / k;
                int y = dy + TITLE;
                out.setRGB(dx, y, grey[i] * 0x010101);
                out.setRGB(pw + dx, y, blend(grey[i], g[i] & 0xff));
                out.setRGB(2 * pw + dx, y, blend(grey[i], p[i] & 0xff));
                out.setRGB(3 * pw + dx, y, error(grey[i], g[i] & 0xff, p[i] & 0xff));
                if (close != null) {
                    int j = (close[1] + Math.min(dy / (4 * k), close[3] - 1)) * w + close[0]
                            + Math.min(dx / (4 * k), close[2] - 1);
                    out.setRGB(4 * pw + dx, y, error(grey[j], g[j] & 0xff, p[j] & 0xff));
                }
            }
        }
        w = pw;
        h = ch * k;
        Graphics2D gr = out.createGraphics();
        gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        gr.setColor(Color.WHITE);
        String[] titles = {caseId + (k > 1 || cw * ch < reference.data().length ? " (zoom " + k + "×)" : ""), "reference",
                "prediction", "errors", close == null ? "" : "errors, close-up (zoom " + 4 * k + "×)"};
        for (int panel = 0; panel < panels; panel++) {
            gr.drawString(titles[panel], panel * w + 6, TITLE - 6);
        }
        if (close != null) { // where the close-up is, on the errors panel
            gr.drawRect(3 * w + (close[0] - crop[0]) * k, TITLE + (close[1] - crop[1]) * k, close[2] * k - 1,
                    close[3] * k - 1);
        }
        legend(gr, 3 * w + 6, h + 2 * TITLE - 7);
        gr.dispose();
        return out;
    }

    /** Below this zoom the overlay adds a close-up of the densest errors. */
    static final int CLOSE_UP = 3;

    /**
     * {x, y, width, height}: the window of {@code ww} × {@code wh} pixels inside {@code crop} that
     * holds the most pixels where reference and prediction differ (the first such window in row
     * order, by a summed-area table); null when they agree everywhere or the window is empty.
     */
    static int[] densestErrors(byte[] g, byte[] p, int w, int[] crop, int ww, int wh) {
        if (ww < 1 || wh < 1) {
            return null;
        }
        int cw = crop[2] - crop[0];
        int ch = crop[3] - crop[1];
        long[] sum = new long[(cw + 1) * (ch + 1)];
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int i = (crop[1] + y) * w + crop[0] + x;
                int e = g[i] != p[i] ? 1 : 0;
                sum[(y + 1) * (cw + 1) + x + 1] = e + sum[y * (cw + 1) + x + 1] + sum[(y + 1) * (cw + 1) + x]
                        - sum[y * (cw + 1) + x];
            }
        }
        long best = 0;
        int[] at = null;
        for (int y = 0; y + wh <= ch; y++) {
            for (int x = 0; x + ww <= cw; x++) {
                long n = sum[(y + wh) * (cw + 1) + x + ww] - sum[y * (cw + 1) + x + ww] - sum[(y + wh) * (cw + 1) + x]
                        + sum[y * (cw + 1) + x];
                if (n > best) {
                    best = n;
                    at = new int[] {crop[0] + x, crop[1] + y, ww, wh};
                }
            }
        }
        return at;
    }

    /**
     * {x0, y0, x1, y1}: the bounding box of every foreground pixel of either mask, grown by a
     * margin of an eighth of the image (at least 8 pixels); the whole image when both are empty.
     */
    static int[] crop(byte[] g, byte[] p, int w, int h) {
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        for (int i = 0; i < w * h; i++) {
            if (g[i] != 0 || p[i] != 0) {
                x0 = Math.min(x0, i % w);
                x1 = Math.max(x1, i % w);
                y0 = Math.min(y0, i / w);
                y1 = Math.max(y1, i / w);
            }
        }
        if (x1 < 0) {
            return new int[] {0, 0, w, h};
        }
        int margin = Math.max(8, Math.max(w, h) / 8);
        return new int[] {Math.max(0, x0 - margin), Math.max(0, y0 - margin), Math.min(w, x1 + 1 + margin),
                Math.min(h, y1 + 1 + margin)};
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
        Color c = ReportColours.label(label);
        return mix(grey, c, 0.55);
    }

    /**
     * The error panel's colour of one pixel (packed RGB): the grey level dimmed where both are
     * background, light grey where they agree on a label, else the false positive or negative colour.
     */
    public static int error(int grey, int g, int p) {
        int dim = grey / 2;
        if (g == p) {
            return g == 0 ? dim * 0x010101 : mix(dim, Color.LIGHT_GRAY, 0.5);
        }
        return p != 0 ? FALSE_POSITIVE.getRGB() & 0xffffff : FALSE_NEGATIVE.getRGB() & 0xffffff;
    }

    /** A grey level with {@code alpha} of a colour mixed in, as packed RGB. */
    static int mix(int grey, Color c, double alpha) {
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
