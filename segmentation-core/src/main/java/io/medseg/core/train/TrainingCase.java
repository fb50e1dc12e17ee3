package io.medseg.core.train;

import io.medseg.core.preprocess.Intensity;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * One training case held in memory: the normalised image, its labels, where each label is (for
 * foreground-centred patch sampling that is fair to small structures) and the value padding fills
 * with (the normalised value of air for CT).
 *
 * @param foregroundByLabel voxel indices of label k at entry k (entry 0, background, is empty)
 */
public record TrainingCase(String id, float[] image, int channels, byte[] labels, long[] sizeXyz,
        int[][] foregroundByLabel, float fillValue, LabelMap reference) {

    /** Normalises the image and indexes the foreground; image and labels must have the same size. */
    public static TrainingCase of(String id, Volume image, LabelMap labels, Intensity intensity) {
        checkSameSize(id, image, labels);
        return new TrainingCase(id, intensity.normalize(image), image.channels(), labels.data(), image.sizeXyz(),
                indexByLabel(labels.data()), intensity.fillValue(), labels);
    }

    /**
     * A case another pipeline has already normalised (an imported nnU-Net model's preprocessing):
     * indexes the foreground and keeps the image as it is.
     *
     * @param fillValue what padding beyond the image holds
     */
    public static TrainingCase prepared(String id, Volume image, LabelMap labels, float fillValue) {
        checkSameSize(id, image, labels);
        return new TrainingCase(id, image.data(), image.channels(), labels.data(), image.sizeXyz(),
                indexByLabel(labels.data()), fillValue, labels);
    }

    /** Image and labels of a case must cover the same voxels. */
    public static void checkSameSize(String id, Volume image, LabelMap labels) {
        if (!Arrays.equals(image.sizeXyz(), labels.sizeXyz())) {
            throw new IllegalArgumentException("case " + id + ": image size " + Arrays.toString(image.sizeXyz())
                    + " differs from label size " + Arrays.toString(labels.sizeXyz()));
        }
    }

    /** Voxel indices of every label present, indexed by label value. */
    static int[][] indexByLabel(byte[] labels) {
        int[] counts = new int[256];
        for (byte b : labels) {
            counts[b & 0xff]++;
        }
        int max = 0;
        for (int k = 1; k < 256; k++) {
            if (counts[k] > 0) {
                max = k;
            }
        }
        int[][] out = new int[max + 1][];
        out[0] = new int[0];
        for (int k = 1; k <= max; k++) {
            out[k] = new int[counts[k]];
        }
        int[] fill = new int[max + 1];
        for (int i = 0; i < labels.length; i++) {
            int k = labels[i] & 0xff;
            if (k != 0) {
                out[k][fill[k]++] = i;
            }
        }
        return out;
    }

    /** Labels (1..) that have at least one voxel in this case. */
    public int[] presentLabels() {
        return IntStream.range(1, foregroundByLabel.length).filter(k -> foregroundByLabel[k].length > 0)
                .toArray();
    }
}
