package io.medseg.evaluation.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Pictures of what a network computes ({@code medseg explain}): filter grids in a diverging
 * blue–white–red scale, and montages of maps as heat maps beside the image they were computed for,
 * each panel captioned with its range, under a colour bar. Maps coarser than the image (deeper layers) are drawn with nearest-neighbour
 * blocks, so their real resolution shows. Inputs are plain float arrays, x fastest.
 */
public final class NetworkViews {
    private static final int CAPTION = 16;
    private static final int GAP = 4;
    /** Viridis at nine stops: perceptually even and readable by colour-blind viewers. */
    private static final int[] VIRIDIS = {0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21908C, 0x27AD81, 0x5DC863,
            0xAADC32, 0xFDE725};

    private NetworkViews() {}

    /** One panel: a map of {@code mapW}×{@code mapH} over the image, with its caption. */
    public record Panel(String caption, float[] map, int mapW, int mapH) {}

    /**
     * Filters as a grid of small images, one row per input channel shown (the first), zoomed by
     * {@code zoom}; one symmetric scale for all, so strong and weak filters can be compared.
     *
     * @param weights filters × input channels × kernel (kw × kh, x fastest; a 3D kernel passes its central slice)
     */
    public static BufferedImage filters(float[] weights, int count, int kw, int kh, int zoom) {
        int per = weights.length / count;
        float max = 1e-12f;
        for (float v : weights) {
            max = Math.max(max, Math.abs(v));
        }
        int columns = (int) Math.min(count, 16);
        int rows = (count + columns - 1) / columns;
        int cw = kw * zoom;
        int ch = kh * zoom;
        BufferedImage img = new BufferedImage(columns * (cw + GAP) + GAP, rows * (ch + GAP + CAPTION) + GAP,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        for (int f = 0; f < count; f++) {
            int x0 = GAP + (f % columns) * (cw + GAP);
            int y0 = GAP + (f / columns) * (ch + GAP + CAPTION);
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    g.setColor(new Color(diverging(weights[f * per + y * kw + x] / max)));
                    g.fillRect(x0 + x * zoom, y0 + y * zoom, zoom, zoom);
                }
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(Integer.toString(f), x0, y0 + ch + CAPTION - 4);
        }
        g.dispose();
        return img;
    }

    /**
     * The image, then heat maps beside it (not over it: a blend hides both), {@code columns} per row,
     * and a colour bar below. Each map is scaled to its own range, given in its caption
     * ({@code fixedRange} null), or to a fixed one (probabilities: 0..1) that the colour bar names.
     *
     * @param image w × h values, shown between their 0.5th and 99.5th percentiles
     * @param zoom whole-pixel magnification of the image (1 = its own size)
     */
    public static BufferedImage montage(float[] image, int w, int h, List<Panel> panels, int columns, int zoom,
            float[] fixedRange) {
        int[] grey = grey(image);
        List<Panel> all = new ArrayList<>();
        all.add(new Panel("image", image, w, h));
        float[][] ranges = new float[panels.size()][];
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            float[] m = panel.map();
            ranges[p] = fixedRange != null ? fixedRange : new float[] {min(m), max(m)};
            all.add(fixedRange != null ? panel : new Panel(panel.caption() + String.format(Locale.ROOT, " [%s, %s]",
                    number(ranges[p][0]), number(ranges[p][1])), m, panel.mapW(), panel.mapH()));
        }
        BufferedImage maps = grid(all, columns, w * zoom, h * zoom, (p, x, y) -> {
            int ix = x / zoom;
            int iy = y / zoom;
            if (p == 0) {
                int v = grey[iy * w + ix];
                return v << 16 | v << 8 | v;
            }
            Panel panel = panels.get(p - 1);
            int mx = (int) ((long) ix * panel.mapW() / w);
            int my = (int) ((long) iy * panel.mapH() / h);
            float lo = ranges[p - 1][0];
            float hi = ranges[p - 1][1];
            return viridis(hi > lo ? (panel.map()[my * panel.mapW() + mx] - lo) / (hi - lo) : 0f);
        });
        return withColourBar(maps, fixedRange);
    }

    /** Height of the colour bar strip under a montage. */
    static final int COLOUR_BAR = 30;

    /** The montage with a strip below: the viridis bar from low to high and what its ends mean. */
    private static BufferedImage withColourBar(BufferedImage maps, float[] fixedRange) {
        BufferedImage img = new BufferedImage(maps.getWidth(), maps.getHeight() + COLOUR_BAR, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        g.drawImage(maps, 0, 0, null);
        int x0 = GAP + 40;
        int y0 = maps.getHeight() + 4;
        int width = 200;
        for (int x = 0; x < width; x++) {
            g.setColor(new Color(viridis(x / (float) (width - 1))));
            g.fillRect(x0 + x, y0, 1, 12);
        }
        g.setColor(Color.DARK_GRAY);
        String low = fixedRange != null ? number(fixedRange[0]) : "min";
        String high = fixedRange != null ? number(fixedRange[1]) : "max";
        g.drawString(low, GAP, y0 + 11);
        g.drawString(high, x0 + width + 6, y0 + 11);
        g.drawString(fixedRange != null ? "the same scale for every map" : "each map from its own minimum to its maximum"
                + " (in brackets in its caption)", x0 + width + 40, y0 + 11);
        g.dispose();
        return img;
    }

    /** Three significant digits: what a caption needs. */
    private static String number(float v) {
        return v == 0 ? "0" : new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** Greyscale images (the inputs grown by gradient ascent), each in its own range, captioned. */
    public static BufferedImage greys(List<Panel> panels, int columns, int zoom) {
        int[][] grey = panels.stream().map(p -> grey(p.map())).toArray(int[][]::new);
        int mapW = panels.get(0).mapW();
        return grid(panels, columns, mapW * zoom, panels.get(0).mapH() * zoom, (p, x, y) -> {
            int v = grey[p][(y / zoom) * mapW + x / zoom];
            return v << 16 | v << 8 | v;
        });
    }

    /** The colour of pixel (x, y) of panel p. */
    private interface PanelPixels {
        int rgb(int panel, int x, int y);
    }

    /** Panels of pw × ph in rows of {@code columns}, each with its caption below. */
    private static BufferedImage grid(List<Panel> panels, int columns, int pw, int ph, PanelPixels pixels) {
        int cols = Math.min(columns, panels.size());
        int rows = (panels.size() + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * (pw + GAP) + GAP, rows * (ph + GAP + CAPTION) + GAP,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        for (int p = 0; p < panels.size(); p++) {
            int x0 = GAP + (p % cols) * (pw + GAP);
            int y0 = GAP + (p / cols) * (ph + GAP + CAPTION);
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    img.setRGB(x0 + x, y0 + y, pixels.rgb(p, x, y));
                }
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(panels.get(p).caption(), x0, y0 + ph + CAPTION - 4);
        }
        g.dispose();
        return img;
    }

    /** Indices of the {@code n} maps with the largest mean (the channels this input drives most), ascending. */
    public static int[] mostActive(List<float[]> maps, int n) {
        Integer[] order = new Integer[maps.size()];
        double[] mean = new double[maps.size()];
        for (int c = 0; c < order.length; c++) {
            order[c] = c;
            double s = 0;
            for (float v : maps.get(c)) {
                s += v;
            }
            mean[c] = s / maps.get(c).length;
        }
        Arrays.sort(order, (a, b) -> Double.compare(mean[b], mean[a]));
        return Arrays.stream(order).limit(n).mapToInt(Integer::intValue).sorted().toArray();
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        return g;
    }

    /** 0..255 between the 0.5th and 99.5th percentiles. */
    static int[] grey(float[] v) {
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        int n = v.length;
        double lo = sorted[(int) (0.005 * (n - 1))];
        double hi = sorted[(int) (0.995 * (n - 1))];
        double scale = hi > lo ? 255 / (hi - lo) : 0;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) Math.max(0, Math.min(255, Math.round((v[i] - lo) * scale)));
        }
        return out;
    }

    /** Viridis at t in [0, 1] (clamped), linearly between its stops. */
    static int viridis(float t) {
        float u = Math.max(0, Math.min(1, Float.isNaN(t) ? 0 : t)) * (VIRIDIS.length - 1);
        int i = Math.min((int) u, VIRIDIS.length - 2);
        float f = u - i;
        int a = VIRIDIS[i];
        int b = VIRIDIS[i + 1];
        int r = Math.round((a >> 16 & 255) * (1 - f) + (b >> 16 & 255) * f);
        int gg = Math.round((a >> 8 & 255) * (1 - f) + (b >> 8 & 255) * f);
        int bb = Math.round((a & 255) * (1 - f) + (b & 255) * f);
        return r << 16 | gg << 8 | bb;
    }

    /** Blue (−1) – white (0) – red (+1), ColorBrewer's RdBu ends. */
    static int diverging(float t) {
        float u = Math.max(-1, Math.min(1, Float.isNaN(t) ? 0 : t));
        int end = u < 0 ? 0x2166AC : 0xB2182B;
        float f = Math.abs(u);
        int r = Math.round(255 * (1 - f) + (end >> 16 & 255) * f);
        int g = Math.round(255 * (1 - f) + (end >> 8 & 255) * f);
        int b = Math.round(255 * (1 - f) + (end & 255) * f);
        return r << 16 | g << 8 | b;
    }


    private static float min(float[] v) {
        float m = Float.POSITIVE_INFINITY;
        for (float x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static float max(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
