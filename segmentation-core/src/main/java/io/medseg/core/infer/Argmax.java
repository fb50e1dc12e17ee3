package io.medseg.core.infer;

import io.medseg.core.preprocess.Interpolation;
import io.medseg.core.preprocess.Resampling;
import io.medseg.image.Shapes;
import java.util.Arrays;

/** Class scores to labels: the class with the largest score per voxel (ties → the lowest class). */
public final class Argmax {
    private Argmax() {}

    /** @param scores classes × voxels (x fastest within a class) */
    public static byte[] labels(float[] scores, int classes) {
        byte[] labels = new byte[scores.length / classes];
        into(scores, classes, labels, 0);
        return labels;
    }

    /** {@link #labels} written into {@code labels} from {@code offset} (one slice of a larger map). */
    public static void into(float[] scores, int classes, byte[] labels, int offset) {
        int voxels = scores.length / classes;
        for (int v = 0; v < voxels; v++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (scores[c * voxels + v] > scores[best * voxels + v]) {
                    best = c;
                }
            }
            labels[offset + v] = (byte) best;
        }
    }

    /**
     * Labels on another grid from class scores: the scores are resampled linearly to
     * {@code newSizeXyz} and the best class is kept per voxel (nnU-Net resamples probabilities, not
     * labels, back to the scan). In 3D slice by slice ({@link Resampling#resampleSlices}), never
     * holding the scores of the whole output grid.
     */
    public static byte[] resampled(float[] scores, int classes, long[] sizeXyz, long[] newSizeXyz) {
        if (sizeXyz.length < 3) {
            Interpolation[] linear = new Interpolation[sizeXyz.length];
            Arrays.fill(linear, Interpolation.LINEAR);
            return labels(Resampling.resample(scores, classes, sizeXyz, newSizeXyz, linear), classes);
        }
        byte[] out = new byte[Shapes.arrayLength("labels resampled to " + Arrays.toString(newSizeXyz), newSizeXyz)];
        int plane = (int) (newSizeXyz[0] * newSizeXyz[1]);
        Resampling.resampleSlices(scores, classes, sizeXyz, newSizeXyz, (slice, sliceScores) ->
                into(sliceScores, classes, out, slice * plane));
        return out;
    }
}
