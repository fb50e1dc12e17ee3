package io.medseg.core.preprocess;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Intensities of foreground voxels pooled over a training set, for nnU-Net's CT normalisation:
 * up to {@value #SAMPLES_PER_CASE} voxels drawn (with replacement, seeded) from every case's
 * foreground, then the 0.5th and 99.5th percentiles (linear, as numpy's default), mean and std.
 */
public final class ForegroundIntensities {
    public static final int SAMPLES_PER_CASE = 10_000;
    private float[] samples = new float[0];
    private final SplittableRandom random;

    public ForegroundIntensities(long seed) {
        random = new SplittableRandom(seed);
    }

    /** Adds a case: image values of channel 0 (x fastest) and its labels; background is label 0. */
    public void add(float[] image, byte[] labels) {
        int count = 0;
        for (byte b : labels) {
            count += b != 0 ? 1 : 0;
        }
        if (count == 0) {
            return;
        }
        int[] foreground = new int[count];
        for (int i = 0, j = 0; i < labels.length; i++) {
            if (labels[i] != 0) {
                foreground[j++] = i;
            }
        }
        int n = Math.min(SAMPLES_PER_CASE, count);
        int start = samples.length;
        samples = Arrays.copyOf(samples, start + n);
        for (int k = 0; k < n; k++) {
            samples[start + k] = image[foreground[n == count ? k : random.nextInt(count)]];
        }
    }

    public int sampleCount() {
        return samples.length;
    }

    /** nnU-Net's CT scheme from the pooled samples. */
    public Intensity ctNormalisation() {
        if (samples.length == 0) {
            throw new IllegalStateException("no foreground voxels in any training case: CT statistics need labelled voxels");
        }
        double[] sorted = new double[samples.length];
        double sum = 0;
        for (int i = 0; i < samples.length; i++) {
            sorted[i] = samples[i];
            sum += samples[i];
        }
        Arrays.sort(sorted);
        double mean = sum / sorted.length;
        double squares = 0;
        for (double v : sorted) {
            squares += (v - mean) * (v - mean);
        }
        return Intensity.ct(percentile(sorted, 0.5), percentile(sorted, 99.5), mean, Math.sqrt(squares / sorted.length));
    }

    /** numpy's default ("linear") percentile of sorted values. */
    public static double percentile(double[] sorted, double q) {
        double pos = q / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
