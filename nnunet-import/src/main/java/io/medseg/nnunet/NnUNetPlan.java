package io.medseg.nnunet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * What nnU-Net's preprocessing and export take from {@code plans.json} for one configuration:
 * axis order ({@code transpose_forward/backward}), target spacing, patch size, per-channel
 * normalisation with its stored intensity properties, and the resampling of images and of logits.
 * Read strictly: a scheme or resampling function this reader does not reproduce is an error
 * naming it.
 */
record NnUNetPlan(int[] transposeForward, int[] transposeBackward, double[] spacing, int[] patch,
        Normalisation[] normalisation, Resampling data, Resampling probabilities) {

    /** One channel's normalisation, with the properties the CT scheme needs. */
    record Normalisation(Scheme scheme, boolean useMask, double mean, double std, double p005, double p995) {}

    /** nnU-Net's normalisation classes. */
    enum Scheme {
        CT("CTNormalization"), ZSCORE("ZScoreNormalization"), RESCALE_0_1("RescaleTo01Normalization"),
        RGB_0_1("RGBTo01Normalization"), NONE("NoNormalization");

        final String className;

        Scheme(String className) {
            this.className = className;
        }
    }

    /** resample_data_or_seg_to_shape's settings. */
    record Resampling(int order, int orderZ, Boolean forceSeparateZ) {}

    private static final Set<String> RESAMPLING_FUNCTIONS = Set.of("resample_data_or_seg_to_shape");

    static NnUNetPlan of(JsonObject plans, JsonObject configuration, int channels, Path file) throws CheckpointException {
        int[] forward = ints(plans.getAsJsonArray("transpose_forward"));
        int[] backward = ints(plans.getAsJsonArray("transpose_backward"));
        double[] spacing = doubles(configuration.getAsJsonArray("spacing"));
        int[] patch = ints(configuration.getAsJsonArray("patch_size"));
        JsonArray schemes = configuration.getAsJsonArray("normalization_schemes");
        JsonArray masks = configuration.getAsJsonArray("use_mask_for_norm");
        if (schemes == null || schemes.size() != channels || masks == null || masks.size() != channels) {
            throw new CheckpointException(file, "normalization_schemes and use_mask_for_norm need one entry per input "
                    + "channel (" + channels + ")");
        }
        JsonObject properties = plans.has("foreground_intensity_properties_per_channel")
                ? plans.getAsJsonObject("foreground_intensity_properties_per_channel") : new JsonObject();
        Normalisation[] norm = new Normalisation[channels];
        for (int c = 0; c < channels; c++) {
            Scheme scheme = scheme(schemes.get(c).getAsString(), file);
            JsonObject p = properties.has(String.valueOf(c)) ? properties.getAsJsonObject(String.valueOf(c)) : null;
            if (scheme == Scheme.CT && (p == null || !p.has("mean") || !p.has("std") || !p.has("percentile_00_5")
                    || !p.has("percentile_99_5"))) {
                throw new CheckpointException(file, "channel " + c + " uses CTNormalization but "
                        + "foreground_intensity_properties_per_channel has no mean, std and percentiles for it");
            }
            norm[c] = new Normalisation(scheme, masks.get(c).getAsBoolean(), value(p, "mean"), value(p, "std"),
                    value(p, "percentile_00_5"), value(p, "percentile_99_5"));
        }
        return new NnUNetPlan(forward, backward, spacing, patch, norm,
                resampling(configuration, "resampling_fn_data", file),
                resampling(configuration, "resampling_fn_probabilities", file));
    }

    private static Scheme scheme(String className, Path file) throws CheckpointException {
        for (Scheme s : Scheme.values()) {
            if (s.className.equals(className)) {
                return s;
            }
        }
        throw new CheckpointException(file, "normalisation scheme " + className + " is not one nnU-Net ships ("
                + String.join(", ", java.util.Arrays.stream(Scheme.values()).map(s -> s.className).toList())
                + "); refused");
    }

    /**
     * The configuration's {@code resampling_fn_seg}: how nnU-Net's preprocessor resamples a training
     * case's labels (read only when preparing cases for fine-tuning; inference never resamples labels).
     */
    static Resampling segmentation(JsonObject configuration, Path file) throws CheckpointException {
        return resampling(configuration, "resampling_fn_seg", file, true);
    }

    private static Resampling resampling(JsonObject configuration, String key, Path file) throws CheckpointException {
        return resampling(configuration, key, file, false);
    }

    private static Resampling resampling(JsonObject configuration, String key, Path file, boolean labels)
            throws CheckpointException {
        String fn = configuration.has(key) ? configuration.get(key).getAsString() : "None";
        if (!RESAMPLING_FUNCTIONS.contains(fn)) {
            throw new CheckpointException(file, key + " " + fn + " is not supported (resample_data_or_seg_to_shape is)");
        }
        JsonObject kwargs = configuration.has(key + "_kwargs") ? configuration.getAsJsonObject(key + "_kwargs")
                : new JsonObject();
        for (Map.Entry<String, JsonElement> e : kwargs.entrySet()) {
            if (!Set.of("is_seg", "order", "order_z", "force_separate_z").contains(e.getKey())) {
                throw new CheckpointException(file, key + "_kwargs." + e.getKey() + " is a setting this reader does not know");
            }
        }
        boolean isSeg = kwargs.has("is_seg") && kwargs.get("is_seg").getAsBoolean();
        if (isSeg != labels) {
            throw new CheckpointException(file, key + (labels ? " does not resample as a segmentation (is_seg)"
                    : " resamples as a segmentation, which images and logits are not"));
        }
        int order = kwargs.has("order") ? kwargs.get("order").getAsInt() : 3;
        int orderZ = kwargs.has("order_z") ? kwargs.get("order_z").getAsInt() : 0;
        if (order != 0 && order != 1 && order != 3 || orderZ != 0) {
            throw new CheckpointException(file, key + " with order " + order + " and order_z " + orderZ + " is not "
                    + "supported (orders 0, 1, 3 with order_z 0 are)");
        }
        // null (None) lets nnU-Net decide per image; a missing key is the function's default, False
        Boolean force = !kwargs.has("force_separate_z") ? Boolean.FALSE
                : kwargs.get("force_separate_z").isJsonNull() ? null : kwargs.get("force_separate_z").getAsBoolean();
        return new Resampling(order, orderZ, force);
    }

    private static double value(JsonObject p, String key) {
        return p != null && p.has(key) ? p.get(key).getAsDouble() : Double.NaN;
    }

    private static int[] ints(JsonArray a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).getAsInt();
        }
        return r;
    }

    private static double[] doubles(JsonArray a) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).getAsDouble();
        }
        return r;
    }
}
