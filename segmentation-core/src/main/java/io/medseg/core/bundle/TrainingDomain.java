package io.medseg.core.bundle;

import io.medseg.core.preprocess.ForegroundIntensities;
import io.medseg.core.preprocess.ScanProfile;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a model was trained on, recorded in its {@code model.json} so that a scan far from it is
 * flagged before anyone trusts the mask: the training scans' dimensions and modality (the dataset's
 * name for channel 0), and per axis the range over cases of spacing and extent, and of the 1st/99th
 * intensity percentiles, raw and standardised (each case's own mean and standard deviation).
 *
 * <p>The rule that compares a scan with it lives in {@link #differences}; docs/commands.md
 * ("Training domain") states it and the measurements behind its margins.
 *
 * @param dims 2 (images) or 3 (volumes); a 2D model trained on slices of volumes records 3
 * @param modality the dataset's name of channel 0 (e.g. "CT", "radiograph")
 * @param cases how many training cases the ranges are over
 * @param spacingMm per axis, {min, max} over cases
 * @param extentMm per axis, {min, max} over cases of size × spacing
 * @param p1 {min, max} over cases of the 1st intensity percentile (channel 0)
 * @param p99 {min, max} over cases of the 99th
 * @param z1 {min, max} over cases of the 1st percentile in standard deviations from the case's mean
 * @param z99 the same for the 99th
 * @param foreground the 0.5th, 50th and 99.5th percentiles of the labelled voxels over all cases
 *     (recorded for the reader; a new scan's foreground is unknown until it is segmented)
 */
public record TrainingDomain(int dims, String modality, int cases, double[][] spacingMm, double[][] extentMm,
        double[] p1, double[] p99, double[] z1, double[] z99, double[] foreground) {

    /** A scan's spacing or extent may be this many times smaller or larger than the training range before a warning. */
    public static final double SIZE_FACTOR = 2;
    /**
     * How far (in multiples of the training scans' typical 1st-to-99th-percentile width) a scan's
     * percentiles may lie outside the training ranges for models that see absolute intensities (CT).
     */
    public static final double INTENSITY_MARGIN = 0.25;
    /** The same margin in standard deviations, for models that standardise every scan (z-score). */
    public static final double STANDARDISED_MARGIN = 0.5;

    /**
     * The domain of a training set, from every case's profile and the pooled values of its labelled voxels.
     */
    public static TrainingDomain of(List<ScanProfile> profiles, double[] foregroundValues, String modality) {
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("a training domain needs at least one case");
        }
        int dims = profiles.get(0).dims();
        int axes = profiles.get(0).spacingMm().length;
        double[][] spacing = new double[axes][];
        double[][] extent = new double[axes][];
        for (int k = 0; k < axes; k++) {
            int axis = k;
            spacing[k] = range(profiles.stream().mapToDouble(p -> p.spacingMm()[axis]).toArray());
            extent[k] = range(profiles.stream().mapToDouble(p -> p.extentMm()[axis]).toArray());
        }
        return new TrainingDomain(dims, modality, profiles.size(), spacing, extent,
                range(profiles.stream().mapToDouble(ScanProfile::p1).toArray()),
                range(profiles.stream().mapToDouble(ScanProfile::p99).toArray()),
                range(profiles.stream().mapToDouble(p -> p.standardized(p.p1())).toArray()),
                range(profiles.stream().mapToDouble(p -> p.standardized(p.p99())).toArray()),
                foregroundPercentiles(foregroundValues));
    }

    private static double[] foregroundPercentiles(double[] values) {
        if (values.length == 0) {
            return null;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new double[] {ForegroundIntensities.percentile(sorted, 0.5), ForegroundIntensities.percentile(sorted, 50),
                ForegroundIntensities.percentile(sorted, 99.5)};
    }

    /**
     * How {@code scan} differs from what the model was trained on, one phrase each (empty when it
     * lies within): dimensions; spacing (for a model that resamples to its own spacing, only a scan
     * coarser than {@value #SIZE_FACTOR}× the coarsest training spacing, since finer detail is
     * resampled away; otherwise outside the range widened {@value #SIZE_FACTOR}× both ways);
     * extent (outside the range widened {@value #SIZE_FACTOR}× both ways); intensities (absolute
     * for CT-normalised models, standardised for z-scored ones). A 2D model on a volume is compared
     * in-plane.
     *
     * @param resamples whether the model resamples scans to its spacing (a model with a plan)
     * @param absoluteIntensities whether the network sees absolute values (CT normalisation)
     */
    public List<String> differences(ScanProfile scan, boolean resamples, boolean absoluteIntensities) {
        List<String> out = new ArrayList<>();
        if (scan.dims() != dims) {
            out.add(scan.dims() == 3 ? "a volume; the model was trained on 2D images (it goes slice by slice)"
                    : "a 2D image; the model was trained on volumes");
        }
        Set<String> expected = dicomModalities(modality);
        if (!scan.modality().isEmpty() && !expected.isEmpty() && !expected.contains(scan.modality().toUpperCase(Locale.ROOT))) {
            out.add("DICOM modality " + scan.modality() + " (the model was trained on " + modality + ")");
        }
        int axes = Math.min(spacingMm.length, scan.spacingMm().length);
        if (scan.dims() == 3 && dims == 2) {
            axes = Math.min(axes, 2);
        }
        boolean spacingOff = false;
        boolean extentOff = false;
        for (int k = 0; k < axes; k++) {
            double sp = scan.spacingMm()[k];
            double[] r = spacingMm[k];
            spacingOff |= sp > r[1] * SIZE_FACTOR || !resamples && sp < r[0] / SIZE_FACTOR;
            double e = scan.extentMm()[k];
            extentOff |= e > extentMm[k][1] * SIZE_FACTOR || e < extentMm[k][0] / SIZE_FACTOR;
        }
        if (spacingOff) {
            out.add("spacing " + perAxis(scan.spacingMm(), axes) + " mm (trained on " + perAxis(spacingMm, axes) + " mm)");
        }
        if (extentOff) {
            out.add("extent " + perAxis(scan.extentMm(), axes) + " mm (trained on " + perAxis(extentMm, axes) + " mm)");
        }
        if (absoluteIntensities) {
            double margin = INTENSITY_MARGIN * ((p99[0] + p99[1]) / 2 - (p1[0] + p1[1]) / 2);
            if (outside(scan.p1(), p1, margin) || outside(scan.p99(), p99, margin)) {
                out.add(String.format(Locale.ROOT, "intensities %s and %s at the 1st and 99th percentiles (trained on %s and %s)",
                        number(scan.p1()), number(scan.p99()), rangeText(p1), rangeText(p99)));
            }
        } else {
            double low = scan.standardized(scan.p1());
            double high = scan.standardized(scan.p99());
            if (outside(low, z1, STANDARDISED_MARGIN) || outside(high, z99, STANDARDISED_MARGIN)) {
                out.add(String.format(Locale.ROOT, "intensity distribution: 1st and 99th percentiles at %s and %s"
                        + " standard deviations from the mean (trained on %s and %s)", number(low), number(high), rangeText(z1),
                        rangeText(z99)));
            }
        }
        return out;
    }

    /**
     * The DICOM Modality values (0008,0060) a training channel's name stands for, or none when the
     * name says no modality (e.g. nnU-Net's "noNorm"), in which case the file's modality is not compared.
     */
    public static Set<String> dicomModalities(String channelName) {
        if (channelName == null) {
            return Set.of();
        }
        Set<String> out = new TreeSet<>();
        for (String word : channelName.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            switch (word) {
                case "ct", "cta", "cect", "ncct" -> out.add("CT");
                case "mr", "mri", "mra", "t1", "t1w", "t1ce", "t1c", "t2", "t2w", "flair", "dwi", "adc", "pd", "pdw" ->
                    out.add("MR");
                case "pet", "pt" -> out.add("PT");
                case "radiograph", "radiography", "xray", "x", "cr", "dx", "periapical", "bitewing", "panoramic" ->
                    out.addAll(List.of("CR", "DX", "IO", "PX", "RG"));
                case "mammography", "mammogram", "mg" -> out.add("MG");
                case "us", "ultrasound" -> out.add("US");
                default -> { }
            }
        }
        return out;
    }

    /** x × y[ × z] of the first {@code axes} values. */
    private static String perAxis(double[] values, int axes) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < axes; k++) {
            b.append(k == 0 ? "" : " × ").append(number(values[k]));
        }
        return b.toString();
    }

    /** x × y[ × z] of the first {@code axes} ranges. */
    private static String perAxis(double[][] ranges, int axes) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < axes; k++) {
            b.append(k == 0 ? "" : " × ").append(rangeText(ranges[k]));
        }
        return b.toString();
    }

    private static boolean outside(double v, double[] range, double margin) {
        return v < range[0] - margin || v > range[1] + margin;
    }

    private static double[] range(double[] values) {
        return new double[] {Arrays.stream(values).min().orElseThrow(), Arrays.stream(values).max().orElseThrow()};
    }

    private static String rangeText(double[] r) {
        String dash = r[0] < 0 ? " to " : "–"; // "-1024–-1018" reads as a subtraction
        return r[0] == r[1] ? number(r[0]) : number(r[0]) + dash + number(r[1]);
    }

    /** Three significant digits at most: what a warning needs. */
    private static String number(double v) {
        return Math.abs(v) >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
                : new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        int axes = spacingMm.length;
        return cases + " " + dims + "D " + (modality == null ? "" : modality + " ") + "case(s); spacing "
                + perAxis(spacingMm, axes) + " mm; extent " + perAxis(extentMm, axes) + " mm; intensity 1st percentile "
                + rangeText(p1) + ", 99th " + rangeText(p99);
    }
}
