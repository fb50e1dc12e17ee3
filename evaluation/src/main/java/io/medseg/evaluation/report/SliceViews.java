package io.medseg.evaluation.report;

import io.medseg.image.LabelMap;
import io.medseg.image.Reorientation;
import io.medseg.image.Volume;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The picture of one 3D case in a report: for every foreground label, axial, coronal and sagittal
 * slices through its largest cross-sections in the reference (or, when the reference lacks it, the
 * prediction) — the centre of a compact organ, one kidney rather than the spine between two —
 * zoomed to the structure with a margin and drawn with square millimetres; then the axial slice
 * with the most wrong voxels over the whole field of view. Each panel shows the image (CT: window
 * −160…240 HU), false positives and false negatives filled in the colours of {@link ErrorOverlay},
 * the reference contour in the label's colour and the predicted contour in white. Views follow the
 * radiological convention (patient's right on the left of axial and coronal views, anterior on the
 * left of sagittal ones, superior up), whatever voxel order the files were stored in.
 */
public final class SliceViews {
    /** The abdominal soft-tissue window of the issue: −160…240 HU. */
    public static final double[] CT_WINDOW = {-160, 240};
    private static final int PANEL = 230;
    private static final int GAP = 6;
    private static final int TITLE = 20;
    private static final double MARGIN_MM = 20;

    private SliceViews() {}

    /** The three views a panel can show. */
    enum View {
        AXIAL, CORONAL, SAGITTAL
    }

    /**
     * @param image the scan (channel 0), or null for a black background
     * @param window grey window {low, high} in image units, or null for the image's 0.5–99.5th percentiles
     */
    public static BufferedImage render(String caseId, Volume image, LabelMap reference, LabelMap prediction,
            double[] window) {
        if (reference.numDimensions() != 3 || !Arrays.equals(reference.sizeXyz(), prediction.sizeXyz())
                || image != null && !Arrays.equals(image.sizeXyz(), reference.sizeXyz())) {
            throw new IllegalArgumentException("slice views need a 3D image and masks of one size, got reference "
                    + Arrays.toString(reference.sizeXyz()) + ", prediction " + Arrays.toString(prediction.sizeXyz())
                    + (image == null ? "" : ", image " + Arrays.toString(image.sizeXyz())));
        }
        Reorientation order = Reorientation.toClosestCanonical(reference.geometry(), reference.sizeXyz());
        LabelMap ref = order.apply(reference);
        LabelMap pred = order.apply(prediction.geometry().equals(reference.geometry()) ? prediction
                : LabelMap.wrap(prediction.data(), prediction.sizeXyz(), reference.geometry(), prediction.labelNames()));
        float[] grey = image == null ? null : order.apply(image).data();
        Scene scene = new Scene(ref.sizeXyz(), ref.geometry().spacingMm(), grey, ref.data(), pred.data(),
                window != null ? window : percentiles(grey));
        int labels = Math.max(ref.maxLabel(), pred.maxLabel());
        int shown = 0;
        for (int l = 1; l <= labels; l++) {
            shown += scene.bounds(l) != null ? 1 : 0;
        }
        int width = 3 * PANEL + 4 * GAP;
        int height = TITLE + (shown + 1) * (PANEL + TITLE + GAP) + 24;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(Color.WHITE);
        g.drawString(caseId, GAP, TITLE - 5);
        int y = TITLE;
        Map<Integer, String> names = reference.labelNames();
        for (int l = 1; l <= labels; l++) {
            int[][] box = scene.bounds(l);
            if (box == null) {
                continue;
            }
            int[] centre = scene.centre(l);
            for (View v : View.values()) {
                int x = GAP + v.ordinal() * (PANEL + GAP);
                String name = names.getOrDefault(l, "label " + l);
                String title = String.format(Locale.ROOT, "%s · %s %d", name, v.name().toLowerCase(Locale.ROOT),
                        centre[v == View.AXIAL ? 2 : v == View.CORONAL ? 1 : 0]);
                g.setColor(Color.WHITE);
                g.drawString(title, x, y + TITLE - 5);
                g.drawImage(scene.panel(v, centre, box, l), x, y + TITLE, null);
            }
            y += PANEL + TITLE + GAP;
        }
        int worst = scene.worstAxialSlice();
        g.setColor(Color.WHITE);
        g.drawString(String.format(Locale.ROOT, "worst axial slice %d: %d voxels wrong (all labels)", worst,
                scene.wrongInSlice(worst)), GAP, y + TITLE - 5);
        g.drawImage(scene.panel(View.AXIAL, new int[] {0, 0, worst}, scene.fullField(), 0), GAP, y + TITLE, null);
        legend(g, 2 * GAP + PANEL, y + TITLE + 20);
        g.dispose();
        return out;
    }

    private static void legend(Graphics2D g, int x, int y) {
        Object[][] items = {{ErrorOverlay.FALSE_POSITIVE, "false positive (predicted, not in the reference)"},
                {ErrorOverlay.FALSE_NEGATIVE, "false negative (in the reference, missed)"},
                {ReportColours.label(1), "reference contour (label colour)"}, {Color.WHITE, "predicted contour"}};
        for (Object[] item : items) {
            g.setColor((Color) item[0]);
            g.fillRect(x, y - 10, 12, 12);
            g.setColor(Color.WHITE);
            g.drawString((String) item[1], x + 18, y);
            y += 20;
        }
    }

    /**
     * The CT window for a scan in Hounsfield units (air below −500 HU in at least 1 % of its
     * voxels), else null (percentiles): MR or a normalised image gets its own range.
     */
    public static double[] windowFor(Volume image) {
        if (image == null) {
            return null;
        }
        float[] v = image.data();
        int n = (int) Math.min(v.length, image.sizeXyz()[0] * image.sizeXyz()[1] * image.sizeXyz()[2]);
        long air = 0;
        for (int i = 0; i < n; i++) {
            air += v[i] < -500 ? 1 : 0;
        }
        return air >= 0.01 * n ? CT_WINDOW.clone() : null;
    }

    static Color labelColour(int label) {
        return ReportColours.label(label);
    }

    private static double[] percentiles(float[] v) {
        if (v == null) {
            return new double[] {0, 1};
        }
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        return new double[] {sorted[(int) (0.005 * (sorted.length - 1))], sorted[(int) (0.995 * (sorted.length - 1))]};
    }

    /** The canonical volumes and how a panel maps its pixels onto voxels. */
    private static final class Scene {
        final int nx;
        final int ny;
        final int nz;
        final double[] spacing;
        final float[] image;
        final byte[] ref;
        final byte[] pred;
        final double[] window;

        Scene(long[] size, double[] spacing, float[] image, byte[] ref, byte[] pred, double[] window) {
            nx = (int) size[0];
            ny = (int) size[1];
            nz = (int) size[2];
            this.spacing = spacing;
            this.image = image;
            this.ref = ref;
            this.pred = pred;
            this.window = window;
        }

        /** {min, max} voxel index per axis of the label in reference or prediction, or null if absent. */
        int[][] bounds(int label) {
            int[][] b = {{nx, -1}, {ny, -1}, {nz, -1}};
            for (int z = 0, i = 0; z < nz; z++) {
                for (int y = 0; y < ny; y++) {
                    for (int x = 0; x < nx; x++, i++) {
                        if (ref[i] == label || pred[i] == label) {
                            b[0][0] = Math.min(b[0][0], x);
                            b[0][1] = Math.max(b[0][1], x);
                            b[1][0] = Math.min(b[1][0], y);
                            b[1][1] = Math.max(b[1][1], y);
                            b[2][0] = Math.min(b[2][0], z);
                            b[2][1] = Math.max(b[2][1], z);
                        }
                    }
                }
            }
            return b[0][1] < 0 ? null : b;
        }

        int[][] fullField() {
            return new int[][] {{0, nx - 1}, {0, ny - 1}, {0, nz - 1}};
        }

        /**
         * Per axis, the plane where the label's reference (the prediction's when the reference lacks
         * it) has its largest cross-section: the centre of a compact organ, and a plane through one
         * kidney rather than the spine between two.
         */
        int[] centre(int label) {
            for (byte[] mask : new byte[][] {ref, pred}) {
                long[][] area = {new long[nx], new long[ny], new long[nz]};
                long n = 0;
                for (int z = 0, i = 0; z < nz; z++) {
                    for (int y = 0; y < ny; y++) {
                        for (int x = 0; x < nx; x++, i++) {
                            if (mask[i] == label) {
                                area[0][x]++;
                                area[1][y]++;
                                area[2][z]++;
                                n++;
                            }
                        }
                    }
                }
                if (n > 0) {
                    return new int[] {argmax(area[0]), argmax(area[1]), argmax(area[2])};
                }
            }
            return new int[] {nx / 2, ny / 2, nz / 2};
        }

        private static int argmax(long[] v) {
            int best = 0;
            for (int i = 1; i < v.length; i++) {
                best = v[i] > v[best] ? i : best;
            }
            return best;
        }

        int wrongInSlice(int z) {
            int n = 0;
            for (int i = z * nx * ny; i < (z + 1) * nx * ny; i++) {
                n += ref[i] != pred[i] ? 1 : 0;
            }
            return n;
        }

        int worstAxialSlice() {
            int best = nz / 2;
            int most = -1;
            for (int z = 0; z < nz; z++) {
                int n = wrongInSlice(z);
                if (n > most) {
                    most = n;
                    best = z;
                }
            }
            return best;
        }

        /**
         * One view through {@code at}, cropped to {@code box} plus a margin, scaled to PANEL pixels
         * with square millimetres; {@code label} 0 draws every label's errors and contours.
         */
        BufferedImage panel(View view, int[] at, int[][] box, int label) {
            // panel columns and rows as (voxel axis, direction); rows run top to bottom
            int colAxis = view == View.SAGITTAL ? 1 : 0;
            int rowAxis = view == View.AXIAL ? 1 : 2;
            boolean rowsDown = view != View.AXIAL; // z: superior at the top
            int fixedAxis = view == View.AXIAL ? 2 : view == View.CORONAL ? 1 : 0;
            double margin = label == 0 ? 0 : MARGIN_MM;
            double c0 = box[colAxis][0] * spacing[colAxis] - margin;
            double c1 = (box[colAxis][1] + 1) * spacing[colAxis] + margin;
            double r0 = box[rowAxis][0] * spacing[rowAxis] - margin;
            double r1 = (box[rowAxis][1] + 1) * spacing[rowAxis] + margin;
            double mmPerPixel = Math.max(c1 - c0, r1 - r0) / PANEL;
            int[] size = {nx, ny, nz};
            int w = PANEL;
            int h = PANEL;
            int[] voxel = new int[w * h]; // −1 outside the volume
            int[] idx = new int[3];
            idx[fixedAxis] = at[fixedAxis];
            double cMid = (c0 + c1) / 2;
            double rMid = (r0 + r1) / 2;
            for (int py = 0; py < h; py++) {
                double rowMm = rMid + (py + 0.5 - h / 2.0) * mmPerPixel * (rowsDown ? -1 : 1);
                int rv = (int) Math.floor(rowMm / spacing[rowAxis]);
                for (int px = 0; px < w; px++) {
                    double colMm = cMid + (px + 0.5 - w / 2.0) * mmPerPixel;
                    int cv = (int) Math.floor(colMm / spacing[colAxis]);
                    idx[colAxis] = cv;
                    idx[rowAxis] = rv;
                    boolean inside = cv >= 0 && cv < size[colAxis] && rv >= 0 && rv < size[rowAxis];
                    voxel[py * w + px] = inside ? idx[0] + nx * (idx[1] + ny * idx[2]) : -1;
                }
            }
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < w * h; p++) {
                int v = voxel[p];
                if (v < 0) {
                    out.setRGB(p % w, p / w, 0x202020);
                    continue;
                }
                int grey = image == null ? 0 : (int) Math.max(0, Math.min(255,
                        Math.round((image[v] - window[0]) * 255 / (window[1] - window[0]))));
                int rgb = grey * 0x010101;
                boolean fp = pred[v] != ref[v] && pred[v] != 0 && (label == 0 || pred[v] == label);
                boolean fn = pred[v] != ref[v] && ref[v] != 0 && (label == 0 || ref[v] == label);
                if (fp) {
                    rgb = ErrorOverlay.mix(grey, ErrorOverlay.FALSE_POSITIVE, 0.6);
                } else if (fn) {
                    rgb = ErrorOverlay.mix(grey, ErrorOverlay.FALSE_NEGATIVE, 0.6);
                }
                out.setRGB(p % w, p / w, rgb);
            }
            // contours: a pixel whose voxel has the label while a neighbouring pixel's voxel does not
            for (int py = 0; py < h; py++) {
                for (int px = 0; px < w; px++) {
                    int v = voxel[py * w + px];
                    if (v < 0) {
                        continue;
                    }
                    int refEdge = edge(ref, voxel, px, py, w, h, label);
                    int predEdge = edge(pred, voxel, px, py, w, h, label);
                    if (predEdge > 0) {
                        out.setRGB(px, py, 0xFFFFFF);
                    } else if (refEdge > 0) {
                        out.setRGB(px, py, labelColour(refEdge).getRGB() & 0xFFFFFF);
                    }
                }
            }
            Graphics2D g = out.createGraphics();
            g.setStroke(new BasicStroke(1));
            g.setColor(new Color(0x606060));
            g.drawRect(0, 0, w - 1, h - 1);
            g.dispose();
            return out;
        }

        /** The label whose boundary passes through this pixel (1-pixel neighbourhood), or 0. */
        private static int edge(byte[] mask, int[] voxel, int px, int py, int w, int h, int only) {
            int here = mask[voxel[py * w + px]];
            if (here == 0 || only != 0 && here != only) {
                return 0;
            }
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int qx = px + dx;
                    int qy = py + dy;
                    if (qx < 0 || qy < 0 || qx >= w || qy >= h) {
                        continue;
                    }
                    int q = voxel[qy * w + qx];
                    if (q < 0 || mask[q] != here) {
                        return here;
                    }
                }
            }
            return 0;
        }
    }
}
