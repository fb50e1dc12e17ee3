package io.medseg.evaluation;

import io.medseg.image.LabelMap;
import io.medseg.evaluation.surface.DistanceMetrics;
import io.medseg.evaluation.surface.SurfaceDistances;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Evaluates predictions against references. The command line, the Fiji plugin, {@code medseg demo}
 * and training-time validation all call this class, so every metric is defined once.
 *
 * <p>Per case: one pass builds the confusion matrix, a second finds each label's bounding box;
 * then labels are measured in parallel, each on its box plus one voxel (exact: both surfaces lie
 * inside it), with two distance transforms per label (docs/metrics.md §5).
 */
public final class Evaluator {

    private final Map<Integer, String> labelNames;
    private final EvaluationSettings settings;

    /** @param labelNames every declared label including 0 = background */
    public Evaluator(Map<Integer, String> labelNames, EvaluationSettings settings) {
        if (!labelNames.containsKey(0)) {
            throw new IllegalArgumentException("label names must include 0 (background), got " + labelNames);
        }
        this.labelNames = Map.copyOf(labelNames);
        this.settings = settings;
    }

    public Evaluator(Map<Integer, String> labelNames) {
        this(labelNames, EvaluationSettings.DEFAULT);
    }

    public int labels() {
        return labelNames.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    }

    public EvaluationSettings settings() {
        return settings;
    }

    public String labelName(int label) {
        return labelNames.getOrDefault(label, "label " + label);
    }

    /**
     * @throws IllegalArgumentException when the masks differ in size, dimensionality or spacing, or
     *     carry an undeclared label
     */
    public CaseEvaluation evaluate(String caseId, LabelMap reference, LabelMap prediction) {
        checkSpacing(reference, prediction);
        int labels = labels();
        ConfusionMatrix m = ConfusionMatrix.of(reference, prediction, labels);
        double[] spacing = reference.geometry().spacingMm();
        double voxelVolume = Arrays.stream(spacing).reduce(1, (a, b) -> a * b);
        LabelBoxes boxes = settings.surfaceDistances() ? LabelBoxes.of(reference, prediction, labels) : null;
        List<CaseLabelResult> rows = IntStream.range(0, labels).parallel()
                .mapToObj(l -> new CaseLabelResult(caseId, l, labelName(l), m.countsFor(l),
                        l == 0 || boxes == null ? null : distances(reference, prediction, l, boxes), voxelVolume))
                .toList();
        return new CaseEvaluation(caseId, m, new ArrayList<>(rows), reference.sizeXyz(), spacing,
                diagonalMm(reference.sizeXyz(), spacing));
    }

    private DistanceMetrics distances(LabelMap reference, LabelMap prediction, int label, LabelBoxes boxes) {
        int[] size = LabelBoxes.dims3(reference.sizeXyz());
        double tolerance = settings.toleranceMm(label);
        if (boxes.isEmpty(label)) {
            return SurfaceDistances.NONE.metrics(settings.distances(), tolerance);
        }
        int[] o = boxes.origin(label, 1);
        int[] e = boxes.extent(label, 1, size);
        boolean[] g = crop(reference.data(), size, o, e, label);
        boolean[] p = crop(prediction.data(), size, o, e, label);
        return SurfaceDistances.between(g, p, e, reference.numDimensions(), reference.geometry().spacingMm(),
                settings.distances().connectivity()).metrics(settings.distances(), tolerance);
    }

    /** The voxels equal to {@code label} inside the box at {@code origin} of {@code extent}. */
    private static boolean[] crop(byte[] data, int[] size, int[] origin, int[] extent, int label) {
        boolean[] out = new boolean[extent[0] * extent[1] * extent[2]];
        byte value = (byte) label;
        int j = 0;
        for (int z = 0; z < extent[2]; z++) {
            for (int y = 0; y < extent[1]; y++) {
                int i = origin[0] + size[0] * (origin[1] + y + size[1] * (origin[2] + z));
                for (int x = 0; x < extent[0]; x++, j++) {
                    out[j] = data[i + x] == value;
                }
            }
        }
        return out;
    }

    private static void checkSpacing(LabelMap reference, LabelMap prediction) {
        if (reference.numDimensions() != prediction.numDimensions()
                || !Arrays.equals(reference.sizeXyz(), prediction.sizeXyz())) {
            throw new IllegalArgumentException("prediction size " + Arrays.toString(prediction.sizeXyz())
                    + " differs from reference size " + Arrays.toString(reference.sizeXyz()));
        }
        if (!reference.geometry().sameSpacing(prediction.geometry())) {
            throw new IllegalArgumentException("prediction spacing " + Arrays.toString(prediction.geometry().spacingMm())
                    + " mm differs from reference spacing " + Arrays.toString(reference.geometry().spacingMm()) + " mm");
        }
    }

    /** Distance between the centres of opposite corner voxels, in mm. */
    static double diagonalMm(long[] sizeXyz, double[] spacingMm) {
        double s = 0;
        for (int k = 0; k < sizeXyz.length; k++) {
            double d = (sizeXyz[k] - 1) * spacingMm[k];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /**
     * Mean Dice over foreground labels that are not empty in both masks (NaN if all are): the
     * validation score during training.
     */
    public static double meanForegroundDice(LabelMap reference, LabelMap prediction) {
        int labels = Math.max(2, Math.max(reference.maxLabel(), prediction.maxLabel()) + 1);
        ConfusionMatrix m = ConfusionMatrix.of(reference, prediction, labels);
        return MetricSummary.nanMean(IntStream.range(1, labels).mapToDouble(l -> m.countsFor(l).dice()));
    }
}
