package io.medseg.core.train;

import io.medseg.core.image.Intensity;
import io.medseg.core.image.LabelMap;
import io.medseg.core.image.Volume;
import java.util.Arrays;

/**
 * One training case held in memory: the normalised image, its labels and where the foreground
 * is (for foreground-centred patch sampling).
 */
public record TrainingCase(String id, float[] image, int channels, byte[] labels, long[] sizeXyz,
        int[] foregroundIndices, LabelMap reference) {

    /** Normalises the image and indexes the foreground; image and labels must have the same size. */
    public static TrainingCase of(String id, Volume image, LabelMap labels, Intensity intensity) {
        if (!Arrays.equals(image.sizeXyz(), labels.sizeXyz())) {
            throw new IllegalArgumentException("case " + id + ": image size " + Arrays.toString(image.sizeXyz())
                    + " differs from label size " + Arrays.toString(labels.sizeXyz()));
        }
        byte[] l = labels.data();
        int count = 0;
        for (byte b : l) {
            count += b != 0 ? 1 : 0;
        }
        int[] foreground = new int[count];
        for (int i = 0, j = 0; i < l.length; i++) {
            if (l[i] != 0) {
                foreground[j++] = i;
            }
        }
        return new TrainingCase(id, intensity.normalize(image), image.channels(), l, image.sizeXyz(), foreground, labels);
    }
}
