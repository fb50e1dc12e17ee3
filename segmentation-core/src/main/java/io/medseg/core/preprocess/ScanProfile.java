package io.medseg.core.preprocess;

import io.medseg.image.Reorientation;
import io.medseg.image.Volume;
import java.util.Arrays;

/**
 * What a scan looks like to a model, from its header and a sample of its voxels: dimensions,
 * spacing and extent per axis (x, y[, z] in the voxel order closest to LPS, as networks see it), and the 1st/99th percentiles, mean and standard
 * deviation of its first channel. Training records these for every case ({@code TrainingDomain});
 * segmentation compares a new scan with them.
 *
 * @param dims 2 or 3 (a volume of one slice counts as 2D)
 * @param spacingMm spacing per axis
 * @param extentMm size × spacing per axis: the field of view
 * @param p1 1st percentile of channel 0
 * @param p99 99th percentile of channel 0
 * @param mean mean of channel 0
 * @param std standard deviation of channel 0
 * @param modality the modality the file states (DICOM's Modality), "" when it states none
 */
public record ScanProfile(int dims, double[] spacingMm, double[] extentMm, double p1, double p99, double mean,
        double std, String modality) {
    /** Voxels sampled at most (a regular stride through the scan, so the result does not depend on chance). */
    public static final int MAX_SAMPLES = 1 << 20;

    public ScanProfile {
        spacingMm = spacingMm.clone();
        extentMm = extentMm.clone();
    }

    /** The profile with axes in the voxel order closest to LPS, the order networks see scans in. */
    public static ScanProfile of(Volume scan) {
        Reorientation order = Reorientation.toClosestCanonical(scan.geometry(), scan.sizeXyz());
        long[] size = order.canonicalSize();
        double[] spacing = order.canonicalGeometry(scan.geometry()).spacingMm();
        double[] extent = new double[size.length];
        for (int k = 0; k < size.length; k++) {
            extent[k] = size[k] * spacing[k];
        }
        boolean oneSlice = size.length == 3 && size[2] == 1;
        double[] sorted = sample(scan);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        double mean = sum / sorted.length;
        double squares = 0;
        for (double v : sorted) {
            squares += (v - mean) * (v - mean);
        }
        return new ScanProfile(oneSlice ? 2 : size.length, spacing, extent,
                ForegroundIntensities.percentile(sorted, 1), ForegroundIntensities.percentile(sorted, 99), mean,
                Math.sqrt(squares / sorted.length), scan.modality());
    }

    /**
     * Channel-0 values of the voxels labelled non-zero, at most {@code max} of them at a regular
     * stride (what the foreground of a training case looks like).
     */
    public static double[] foreground(Volume scan, byte[] labels, int max) {
        float[] data = scan.data();
        int count = 0;
        for (byte b : labels) {
            count += b != 0 ? 1 : 0;
        }
        int stride = Math.max(1, (int) Math.ceil(count / (double) max));
        double[] out = new double[(count + stride - 1) / stride];
        int n = 0;
        for (int i = 0, seen = 0; i < labels.length; i++) {
            if (labels[i] != 0 && seen++ % stride == 0 && Float.isFinite(data[i])) {
                out[n++] = data[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** A value's distance from the mean in standard deviations (0 for a constant scan). */
    public double standardized(double value) {
        return std > 0 ? (value - mean) / std : 0;
    }

    /** Channel 0 at a regular stride, finite values only, sorted. */
    private static double[] sample(Volume scan) {
        float[] data = scan.data();
        int voxels = data.length / scan.channels();
        int stride = Math.max(1, (int) Math.ceil(voxels / (double) MAX_SAMPLES));
        double[] out = new double[(voxels + stride - 1) / stride];
        int n = 0;
        for (int i = 0; i < voxels; i += stride) {
            if (Float.isFinite(data[i])) {
                out[n++] = data[i];
            }
        }
        if (n == 0) {
            return new double[] {0};
        }
        out = Arrays.copyOf(out, n);
        Arrays.sort(out);
        return out;
    }
}
