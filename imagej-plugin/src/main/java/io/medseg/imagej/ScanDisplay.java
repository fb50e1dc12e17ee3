package io.medseg.imagej;

import ij.IJ;
import ij.ImageListener;
import ij.ImagePlus;
import ij.gui.ImageCanvas;
import ij.gui.ImageWindow;
import ij.gui.Overlay;
import ij.gui.TextRoi;
import java.awt.EventQueue;
import java.awt.Font;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.TreeMap;

/**
 * How scans and their label images appear in ImageJ's windows: small scans at a zoom that can be
 * read, a label image that follows its scan's slice, and a colour legend naming the labels.
 */
final class ScanDisplay {
    /** ImageJ's zoom levels (percent) that small scans are opened at. */
    private static final int[] ZOOMS = {200, 300, 400, 600, 800};
    /** A scan whose larger side is below this many pixels is zoomed in ... */
    static final int SMALL = 300;
    /** ... to the largest level that keeps it within this many screen pixels. */
    static final int TARGET = 600;

    private ScanDisplay() {}

    /** The zoom (percent) a scan of this size opens at: 100 unless it is small. */
    static int readableZoom(int width, int height) {
        int side = Math.max(width, height);
        int zoom = 100;
        if (side < SMALL) {
            for (int z : ZOOMS) {
                if (side * z / 100 <= TARGET) {
                    zoom = z;
                }
            }
        }
        return zoom;
    }

    /**
     * Zooms a shown image in, ImageJ's zoom levels one at a time, until it reaches {@code percent}
     * (nothing without a window: headless, batch mode). Through the canvas, not IJ.run("Set..."),
     * which would be recorded in the user's macro in place of the command that called it.
     */
    static void zoom(ImagePlus imp, int percent) {
        ImageWindow window = imp.getWindow();
        if (percent <= 100 || window == null) {
            return;
        }
        Runnable zoomIn = () -> {
            ImageCanvas canvas = window.getCanvas();
            for (int i = 0; i < 10 && canvas.getMagnification() * 100 < percent - 0.5; i++) {
                canvas.zoomIn(imp.getWidth() / 2, imp.getHeight() / 2);
            }
        };
        if (EventQueue.isDispatchThread()) {
            zoomIn.run();
        } else {
            try {
                EventQueue.invokeAndWait(zoomIn);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (InvocationTargetException e) {
                IJ.log("could not zoom \"" + imp.getTitle() + "\": " + e.getCause());
            }
        }
    }

    /** The current magnification of a shown image in percent (100 without a window). */
    static int zoomOf(ImagePlus imp) {
        return imp.getCanvas() == null ? 100 : (int) Math.round(imp.getCanvas().getMagnification() * 100);
    }

    /**
     * Keeps {@code labels} on the slice {@code scan} shows, from now until either is closed: the
     * label image opens at the scan's slice and moves when the scan's slice moves (ImageJ tells
     * image listeners of a slice change in a window). Returns the listener (null when the stacks differ).
     */
    static ImageListener followSlices(ImagePlus scan, ImagePlus labels) {
        if (scan.getNSlices() != labels.getNSlices()) {
            return null;
        }
        labels.setSlice(scan.getCurrentSlice());
        ImageListener follower = new ImageListener() {
            @Override
            public void imageOpened(ImagePlus imp) {}

            @Override
            public void imageClosed(ImagePlus imp) {
                if (imp == scan || imp == labels) {
                    ImagePlus.removeImageListener(this);
                }
            }

            @Override
            public void imageUpdated(ImagePlus imp) {
                if (imp == scan && labels.getCurrentSlice() != scan.getCurrentSlice()) {
                    labels.setSlice(scan.getCurrentSlice());
                }
            }
        };
        ImagePlus.addImageListener(follower);
        return follower;
    }

    /**
     * A legend in the label image's top-left corner: each label's name in its colour (an overlay,
     * not pixels, so the labels' values stay what they are).
     */
    static void legend(ImagePlus labels, Map<Integer, String> names) {
        Overlay overlay = labels.getOverlay() != null ? labels.getOverlay() : new Overlay();
        // sized to the image so it reads at the zoom the image opens at
        int size = Math.max(6, (int) Math.round(12.0 * 100 / readableZoom(labels.getWidth(), labels.getHeight())));
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, size);
        int y = 2;
        for (Map.Entry<Integer, String> e : new TreeMap<>(names).entrySet()) {
            if (e.getKey() == 0) {
                continue;
            }
            TextRoi text = new TextRoi(2, y, e.getKey() + " " + e.getValue(), font);
            text.setStrokeColor(ScanImages.labelColour(e.getKey()));
            text.setName("legend " + e.getValue());
            overlay.add(text);
            y += size + 2;
        }
        labels.setOverlay(overlay);
    }
}
