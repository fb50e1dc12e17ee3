package io.medseg.evaluation;

import io.medseg.image.LabelMap;
import java.util.Arrays;

/**
 * Per label, the bounding box of the voxels carrying it in the reference or the prediction
 * (docs/metrics.md §5): surface distances only need this box plus one voxel of margin, because both
 * surfaces lie inside it. Boxes are in array coordinates, x fastest, 2D maps have z = 0.
 */
final class LabelBoxes {
    private final int[][] min;
    private final int[][] max;

    private LabelBoxes(int[][] min, int[][] max) {
        this.min = min;
        this.max = max;
    }

    /** One pass over both maps; labels must already be checked to be below {@code labels}. */
    static LabelBoxes of(LabelMap reference, LabelMap prediction, int labels) {
        int[] size = dims3(reference.sizeXyz());
        int[][] min = new int[labels][3];
        int[][] max = new int[labels][3];
        for (int[] m : min) {
            Arrays.fill(m, Integer.MAX_VALUE);
        }
        for (int[] m : max) {
            Arrays.fill(m, -1);
        }
        byte[] g = reference.data();
        byte[] p = prediction.data();
        int i = 0;
        for (int z = 0; z < size[2]; z++) {
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++, i++) {
                    int gl = g[i] & 0xff;
                    int pl = p[i] & 0xff;
                    if (gl != 0) {
                        include(min[gl], max[gl], x, y, z);
                    }
                    if (pl != 0 && pl != gl) {
                        include(min[pl], max[pl], x, y, z);
                    }
                }
            }
        }
        return new LabelBoxes(min, max);
    }

    private static void include(int[] min, int[] max, int x, int y, int z) {
        min[0] = Math.min(min[0], x);
        max[0] = Math.max(max[0], x);
        min[1] = Math.min(min[1], y);
        max[1] = Math.max(max[1], y);
        min[2] = Math.min(min[2], z);
        max[2] = Math.max(max[2], z);
    }

    boolean isEmpty(int label) {
        return max[label][0] < 0;
    }

    /** Lowest corner of the label's box grown by {@code margin} and clipped to the image. */
    int[] origin(int label, int margin) {
        int[] o = new int[3];
        for (int k = 0; k < 3; k++) {
            o[k] = Math.max(0, min[label][k] - margin);
        }
        return o;
    }

    /** Size of the label's box grown by {@code margin} and clipped to the image. */
    int[] extent(int label, int margin, int[] size) {
        int[] o = origin(label, margin);
        int[] e = new int[3];
        for (int k = 0; k < 3; k++) {
            e[k] = Math.min(size[k] - 1, max[label][k] + margin) - o[k] + 1;
        }
        return e;
    }

    /** Sizes as three ints (z = 1 for 2D). */
    static int[] dims3(long[] sizeXyz) {
        return new int[] {(int) sizeXyz[0], (int) sizeXyz[1], sizeXyz.length > 2 ? (int) sizeXyz[2] : 1};
    }
}
