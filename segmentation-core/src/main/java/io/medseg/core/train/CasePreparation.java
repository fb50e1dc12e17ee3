package io.medseg.core.train;

import io.medseg.core.preprocess.Intensity;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.core.preprocess.Fingerprint;
import io.medseg.core.preprocess.ForegroundIntensities;
import io.medseg.core.preprocess.Interpolation;
import io.medseg.core.preprocess.Plan;
import io.medseg.core.preprocess.Resampling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns loaded scans into training cases the way nnU-Net's pre-processing does: fingerprint,
 * intensity statistics, then normalise and resample each case to the plan's spacing (image cubic,
 * linear along a low-resolution axis; labels linear on one-hot, nearest along that axis).
 */
public final class CasePreparation {
    private CasePreparation() {}

    public static Fingerprint fingerprint(List<Volume> images) {
        List<long[]> sizes = new ArrayList<>();
        List<double[]> spacings = new ArrayList<>();
        for (Volume v : images) {
            sizes.add(v.sizeXyz());
            spacings.add(v.geometry().spacingMm());
        }
        return new Fingerprint(sizes, spacings);
    }

    /** nnU-Net's CT statistics of the foreground of all cases (first channel), seeded. */
    public static Intensity ctIntensity(List<Volume> images, List<LabelMap> labels, long seed) {
        ForegroundIntensities stats = new ForegroundIntensities(seed);
        for (int i = 0; i < images.size(); i++) {
            stats.add(images.get(i).data(), labels.get(i).data());
        }
        return stats.ctNormalisation();
    }

    /** The case normalised and resampled to the plan's spacing. */
    public static TrainingCase resampled(String id, Volume image, LabelMap labels, Intensity intensity, Plan plan) {
        long[] size = image.sizeXyz();
        long[] target = Resampling.targetSize(size, image.geometry().spacingMm(), plan.targetSpacingMm());
        if (Resampling.same(size, target)) {
            return TrainingCase.of(id, image, labels, intensity);
        }
        Interpolation[] kinds = new Interpolation[size.length];
        Interpolation[] labelKinds = new Interpolation[size.length];
        Arrays.fill(kinds, Interpolation.CUBIC);
        Arrays.fill(labelKinds, Interpolation.LINEAR);
        if (plan.anisotropicAxis() >= 0) {
            kinds[plan.anisotropicAxis()] = Interpolation.LINEAR;
            labelKinds[plan.anisotropicAxis()] = Interpolation.NEAREST; // nnU-Net's order 0 along thick slices
        }
        float[] normalised = Resampling.resample(intensity.normalize(image), image.channels(), size, target, kinds);
        byte[] resampledLabels = Resampling.resampleLabelsOneHot(labels.data(), size, target, labelKinds);
        LabelMap reference = LabelMap.wrap(resampledLabels, target, Resampling.geometry(labels.geometry(), size, target),
                labels.labelNames());
        return new TrainingCase(id, normalised, image.channels(), resampledLabels, target,
                TrainingCase.indexByLabel(resampledLabels), intensity.fillValue(), reference);
    }
}
