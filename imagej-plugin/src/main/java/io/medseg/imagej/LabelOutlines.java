package io.medseg.imagej;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ImageProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A label image's outlines as ROIs, one per label and slice, coloured as the label image's LUT. */
final class LabelOutlines {
    /** Property marking the ROIs this plugin adds to an overlay, so a new segmentation replaces only them. */
    static final String PROPERTY = "medseg";
    /** How ROIs were marked before December 2026 (a name prefix, which the ROI Manager cut the label name for). */
    private static final String OLD_PREFIX = "medseg ";

    private LabelOutlines() {}

    /**
     * One ROI per non-empty label and slice, named by its label ("kidney", with the slice for a
     * stack: "kidney 12") and placed on its slice (and on every channel of {@code target}).
     */
    static List<Roi> of(ImagePlus labels, Map<Integer, String> names, ImagePlus target) {
        List<Roi> rois = new ArrayList<>();
        int slices = labels.getNSlices();
        for (int z = 1; z <= slices; z++) {
            ImageProcessor ip = labels.getStack().getProcessor(z);
            for (Map.Entry<Integer, String> e : names.entrySet()) {
                int label = e.getKey();
                if (label == 0) {
                    continue;
                }
                ImageProcessor copy = ip.duplicate();
                copy.setThreshold(label, label, ImageProcessor.NO_LUT_UPDATE);
                Roi roi = new ThresholdToSelection().convert(copy);
                if (roi == null) {
                    continue;
                }
                roi.setName(slices > 1 ? e.getValue() + " " + z : e.getValue());
                roi.setProperty(PROPERTY, "outline");
                roi.setStrokeColor(ScanImages.labelColour(label));
                roi.setStrokeWidth(Math.max(1, Math.round(Math.max(labels.getWidth(), labels.getHeight()) / 400f)));
                if (target.isHyperStack() || target.getNChannels() > 1) {
                    roi.setPosition(0, z, 1);
                } else if (slices > 1) {
                    roi.setPosition(z);
                }
                rois.add(roi);
            }
        }
        return rois;
    }

    /** Puts the outlines on {@code target}'s overlay, replacing earlier medseg outlines and keeping everything else. */
    static void show(ImagePlus target, List<Roi> rois) {
        Overlay overlay = target.getOverlay() == null ? new Overlay() : target.getOverlay();
        for (Roi r : overlay.toArray()) {
            if (isOurs(r)) {
                overlay.remove(r);
            }
        }
        rois.forEach(overlay::add);
        target.setOverlay(overlay);
    }

    /** Whether medseg drew this outline (now or, by its name, before December 2026). */
    static boolean isOurs(Roi r) {
        return r.getProperty(PROPERTY) != null || r.getName() != null && r.getName().startsWith(OLD_PREFIX);
    }
}
