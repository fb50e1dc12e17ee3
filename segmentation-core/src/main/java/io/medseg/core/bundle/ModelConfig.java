package io.medseg.core.bundle;

import com.google.gson.JsonObject;
import io.medseg.core.engine.TensorLayout;
import io.medseg.core.preprocess.Intensity;
import io.medseg.core.preprocess.Plan;
import io.medseg.core.preprocess.ScanProfile;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything {@code model.json} says about a model: the architecture recipe and the contract of
 * its input and output. Loading a bundle needs nothing else but the parameter file.
 *
 * @param architecture registered name, e.g. {@code unet2d}
 * @param arguments the architecture's arguments (see its {@link NetworkArchitecture})
 * @param inputChannels channels the network expects
 * @param labels label value → name, 0 = background; the network has one output class per entry
 * @param patchSize training patch and inference tile size, tensor order ([D,] H, W)
 * @param spacingMm the spacing (x, y[, z]) of the training images
 * @param intensity normalisation before the network
 * @param training how the model was trained (null for an untrained model)
 * @param provenance seed, library versions, dataset fingerprint
 * @param metrics final validation figures
 * @param plan how spacing, patch and stages were derived from the data; when present, scans are
 *     resampled to {@code spacingMm} before the network and its output back to the scan's grid
 *     (null for models that work on the scan's own grid, such as the 2D radiograph U-Net)
 * @param state {@value #COMPLETE}, or {@code "incomplete: saved at epoch K of N"} while the run that writes it
 *     goes on (a bundle that still says so after the run ended was interrupted; {@code train --continue}
 *     resumes it); null in bundles written before the field existed, read as complete
 * @param domain what the model was trained on, compared with every scan before it is segmented
 *     (null for untrained models and bundles written before the field existed)
 */
public record ModelConfig(String format, String architecture, JsonObject arguments, int inputChannels,
        Map<Integer, String> labels, int[] patchSize, double[] spacingMm, Intensity intensity,
        TrainingSettings training, Map<String, String> provenance, Map<String, Double> metrics, Plan plan, String state,
        TrainingDomain domain) {

    public static final String FORMAT = "medseg-bundle/1";
    public static final String COMPLETE = "complete";

    public ModelConfig {
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("model.json format is '" + format + "', this version reads " + FORMAT);
        }
        if (inputChannels < 1) {
            throw new IllegalArgumentException("inputChannels must be >= 1, got " + inputChannels);
        }
        if (labels == null || labels.size() < 2 || !labels.containsKey(0)) {
            throw new IllegalArgumentException("labels must name background 0 and at least one class, got " + labels);
        }
        for (int k = 0; k < labels.size(); k++) {
            if (!labels.containsKey(k)) {
                throw new IllegalArgumentException("labels must be 0.." + (labels.size() - 1) + " without gaps, got "
                        + labels.keySet());
            }
        }
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        patchSize = patchSize.clone();
        spacingMm = spacingMm.clone();
        provenance = provenance == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(provenance));
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metrics));
    }

    /** A model whose training domain is not (yet) recorded. */
    public ModelConfig(String format, String architecture, JsonObject arguments, int inputChannels,
            Map<Integer, String> labels, int[] patchSize, double[] spacingMm, Intensity intensity,
            TrainingSettings training, Map<String, String> provenance, Map<String, Double> metrics, Plan plan,
            String state) {
        this(format, architecture, arguments, inputChannels, labels, patchSize, spacingMm, intensity, training, provenance,
                metrics, plan, state, null);
    }

    /** A model whose training state is not (yet) recorded. */
    public ModelConfig(String format, String architecture, JsonObject arguments, int inputChannels,
            Map<Integer, String> labels, int[] patchSize, double[] spacingMm, Intensity intensity,
            TrainingSettings training, Map<String, String> provenance, Map<String, Double> metrics, Plan plan) {
        this(format, architecture, arguments, inputChannels, labels, patchSize, spacingMm, intensity, training, provenance,
                metrics, plan, null);
    }

    /** A model without a plan: it works on every scan's own grid. */
    public ModelConfig(String format, String architecture, JsonObject arguments, int inputChannels,
            Map<Integer, String> labels, int[] patchSize, double[] spacingMm, Intensity intensity,
            TrainingSettings training, Map<String, String> provenance, Map<String, Double> metrics) {
        this(format, architecture, arguments, inputChannels, labels, patchSize, spacingMm, intensity, training, provenance,
                metrics, null);
    }

    public int classes() {
        return labels.size();
    }

    /** Labels in value order, for building a {@link io.medseg.image.LabelMap}. */
    public Map<Integer, String> labelNames() {
        return new TreeMap<>(labels);
    }

    public ModelConfig withTraining(TrainingSettings settings, Map<String, String> newProvenance,
            Map<String, Double> newMetrics) {
        return new ModelConfig(format, architecture, arguments, inputChannels, labels, patchSize, spacingMm,
                intensity, settings, newProvenance, newMetrics, plan, state, domain);
    }

    public ModelConfig withState(String newState) {
        return new ModelConfig(format, architecture, arguments, inputChannels, labels, patchSize, spacingMm,
                intensity, training, provenance, metrics, plan, newState, domain);
    }

    public ModelConfig withDomain(TrainingDomain newDomain) {
        return new ModelConfig(format, architecture, arguments, inputChannels, labels, patchSize, spacingMm,
                intensity, training, provenance, metrics, plan, state, newDomain);
    }

    /**
     * One line when {@code scan} lies outside what the model was trained on, naming what differs
     * ("" when it lies within, or when the bundle records no domain); see {@link TrainingDomain#differences}.
     */
    public String domainWarning(ScanProfile scan) {
        if (domain == null) {
            return "";
        }
        // an imported nnU-Net model resamples as nnU-Net does, without this project's plan
        boolean resamples = (plan != null || Architectures.byName(architecture).bringsOwnPipeline())
                && scan.dims() == patchSize.length;
        List<String> differences = domain.differences(scan, resamples, intensity.scheme() == Intensity.Scheme.CT);
        return differences.isEmpty() ? "" : "unlike the model's training data: " + String.join("; ", differences)
                + "; check the mask";
    }

    /** Whether the run that wrote this bundle finished (bundles without a state are taken as finished). */
    public boolean complete() {
        return state == null || COMPLETE.equals(state);
    }

    @Override
    public String toString() {
        return architecture + " " + arguments + ", " + inputChannels + " channel(s), labels " + labels
                + ", patch " + TensorLayout.describe(patchSize);
    }
}
