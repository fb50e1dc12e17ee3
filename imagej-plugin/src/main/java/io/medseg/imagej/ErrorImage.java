package io.medseg.imagej;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.medseg.evaluation.report.ErrorOverlay;

/**
 * Where a prediction disagrees with the reference, slice by slice, in the report's colours: false
 * positives orange, false negatives blue, agreement light grey, over the dimmed scan (or black).
 */
final class ErrorImage {
    private ErrorImage() {}

    static ImagePlus of(ImagePlus reference, ImagePlus prediction, ImagePlus scan, String title) {
        int w = reference.getWidth();
        int h = reference.getHeight();
        int slices = reference.getNSlices();
        ImageStack stack = new ImageStack(w, h);
        for (int z = 1; z <= slices; z++) {
            ImageProcessor g = reference.getStack().getProcessor(z);
            ImageProcessor p = prediction.getStack().getProcessor(z);
            ImageProcessor s = scan == null ? null : scan.getStack().getProcessor(scan.getStackIndex(1, z, 1));
            double low = scan == null ? 0 : scan.getDisplayRangeMin();
            double high = scan == null ? 1 : scan.getDisplayRangeMax();
            int[] rgb = new int[w * h];
            for (int i = 0; i < rgb.length; i++) {
                int grey = s == null ? 0 : (int) Math.max(0, Math.min(255, (s.getf(i) - low) / (high - low) * 255));
                // getf: a mask opened as a scan is 32-bit, where get() returns the float's bits
                rgb[i] = ErrorOverlay.error(grey, (int) g.getf(i), (int) p.getf(i));
            }
            stack.addSlice(null, new ColorProcessor(w, h, rgb));
        }
        ImagePlus imp = new ImagePlus(title, stack);
        imp.setCalibration(reference.getCalibration().copy());
        return imp;
    }
}
