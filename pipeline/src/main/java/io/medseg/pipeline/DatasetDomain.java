package io.medseg.pipeline;

import io.medseg.core.bundle.TrainingDomain;
import io.medseg.core.preprocess.ScanProfile;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link TrainingDomain} of a dataset's training cases: every case read as training reads it
 * (its own pass, so recording the domain changes nothing about the training itself).
 */
public final class DatasetDomain {
    /** Labelled voxels kept per case for the foreground percentiles. */
    static final int FOREGROUND_SAMPLES_PER_CASE = 100_000;

    private DatasetDomain() {}

    public static TrainingDomain of(Dataset dataset) throws IOException {
        List<ScanProfile> profiles = new ArrayList<>();
        double[] foreground = new double[0];
        for (Dataset.Case c : dataset.trainingCases()) {
            Volume image = ScanFiles.readChannels(c.channelFiles());
            LabelMap labels = ScanFiles.readLabels(c.labelFile(), dataset.labels(), image.sizeXyz(), image.geometry());
            profiles.add(ScanProfile.of(image));
            double[] values = ScanProfile.foreground(image, labels.data(), FOREGROUND_SAMPLES_PER_CASE);
            int start = foreground.length;
            foreground = Arrays.copyOf(foreground, start + values.length);
            System.arraycopy(values, 0, foreground, start, values.length);
        }
        return TrainingDomain.of(profiles, foreground, dataset.channelNames().get(0));
    }
}
