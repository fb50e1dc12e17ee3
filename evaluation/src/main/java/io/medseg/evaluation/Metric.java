package io.medseg.evaluation;

import io.medseg.evaluation.surface.DistanceMetrics;
import java.util.function.ToDoubleFunction;

/**
 * Every per-(case, label) metric that reports summarise, with its column name and kind. The kind
 * decides empty-mask substitution when aggregating: a {@link Kind#SCORE} is perfect at 1, a
 * {@link Kind#DISTANCE} at 0 mm and may be +∞; {@link Kind#OTHER} is never substituted.
 */
public enum Metric {
    DICE("dice", Kind.SCORE, r -> r.counts().dice()),
    IOU("iou", Kind.SCORE, r -> r.counts().iou()),
    SENSITIVITY("sensitivity", Kind.SCORE, r -> r.counts().sensitivity()),
    SPECIFICITY("specificity", Kind.SCORE, r -> r.counts().specificity()),
    PRECISION("precision", Kind.SCORE, r -> r.counts().precision()),
    RVD("rvd", Kind.OTHER, r -> r.counts().relativeVolumeDifference()),
    VS("vs", Kind.SCORE, r -> r.counts().volumeSimilarity()),
    HD("hd", Kind.DISTANCE, r -> distance(r, DistanceMetrics::hausdorffMm)),
    HD95("hd95", Kind.DISTANCE, r -> distance(r, DistanceMetrics::hausdorffPercentileMm)),
    ASSD("assd", Kind.DISTANCE, r -> distance(r, DistanceMetrics::assdMm)),
    MASD("masd", Kind.DISTANCE, r -> distance(r, DistanceMetrics::masdMm)),
    ASD_PRED_TO_REF("asd_pred_to_ref", Kind.DISTANCE, r -> distance(r, DistanceMetrics::asdPredToRefMm)),
    ASD_REF_TO_PRED("asd_ref_to_pred", Kind.DISTANCE, r -> distance(r, DistanceMetrics::asdRefToPredMm)),
    NSD("nsd", Kind.SCORE, r -> distance(r, DistanceMetrics::nsd)),
    NPV("npv", Kind.SCORE, r -> r.counts().negativePredictiveValue()),
    FNR("fnr", Kind.OTHER, r -> r.counts().falseNegativeRate()),
    FPR("fpr", Kind.OTHER, r -> r.counts().falsePositiveRate()),
    FDR("fdr", Kind.OTHER, r -> r.counts().falseDiscoveryRate()),
    FOR("for", Kind.OTHER, r -> r.counts().falseOmissionRate()),
    PT("pt", Kind.OTHER, r -> r.counts().prevalenceThreshold()),
    ACCURACY("accuracy", Kind.SCORE, r -> r.counts().accuracy()),
    BALANCED_ACCURACY("balanced_accuracy", Kind.SCORE, r -> r.counts().balancedAccuracy()),
    MCC("mcc", Kind.SCORE, r -> r.counts().matthewsCorrelation()),
    FM("fm", Kind.SCORE, r -> r.counts().fowlkesMallows()),
    BM("bm", Kind.SCORE, r -> r.counts().informedness()),
    MK("mk", Kind.SCORE, r -> r.counts().markedness()),
    F2("f2", Kind.SCORE, r -> r.counts().fBeta(2)),
    KAPPA("kappa", Kind.SCORE, r -> r.counts().cohenKappa()),
    REF_ML("ref_mL", Kind.OTHER, r -> r.referenceMl()),
    PRED_ML("pred_mL", Kind.OTHER, r -> r.predictionMl());

    /** How a metric is substituted when aggregating. */
    public enum Kind { SCORE, DISTANCE, OTHER }

    private final String column;
    private final Kind kind;
    private final ToDoubleFunction<CaseLabelResult> value;

    Metric(String column, Kind kind, ToDoubleFunction<CaseLabelResult> value) {
        this.column = column;
        this.kind = kind;
        this.value = value;
    }

    public String column() {
        return column;
    }

    public Kind kind() {
        return kind;
    }

    /** The raw value (NaN and +∞ kept); NaN for distance metrics that were not computed (background). */
    public double of(CaseLabelResult row) {
        return value.applyAsDouble(row);
    }

    /** Whether this metric comes from surface distances (not defined for the background). */
    public boolean isSurfaceMetric() {
        return kind == Kind.DISTANCE || this == NSD;
    }

    public static Metric byColumn(String column) {
        for (Metric m : values()) {
            if (m.column.equals(column)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + column + "'");
    }

    private static double distance(CaseLabelResult r, ToDoubleFunction<DistanceMetrics> f) {
        return r.distances() == null ? Double.NaN : f.applyAsDouble(r.distances());
    }
}
