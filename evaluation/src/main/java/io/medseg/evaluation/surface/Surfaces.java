package io.medseg.evaluation.surface;

import java.util.ArrayList;
import java.util.List;

/**
 * The surface of a binary mask: S(X) = X ∖ erode(X), with a structuring element of the given
 * connectivity (1 = faces only: 4-connected in 2D, 6-connected in 3D, as MedPy's default and
 * scipy's {@code generate_binary_structure(rank, 1)}; rank = every neighbour). Voxels outside the
 * array count as background, so a mask touching the border has a surface there.
 */
public final class Surfaces {
    private Surfaces() {}

    /**
     * @param mask x fastest, size {@code dims[0] × dims[1] × dims[2]} (dims[2] = 1 in 2D)
     * @param numDimensions 2 or 3; a 2D mask is eroded in 2D (never as a 1-slice volume, whose every
     *     voxel would be surface)
     * @param connectivity 1..numDimensions
     */
    public static boolean[] extract(boolean[] mask, int[] dims, int numDimensions, int connectivity) {
        if (connectivity < 1 || connectivity > numDimensions) {
            throw new IllegalArgumentException("connectivity must be 1.." + numDimensions + ", got " + connectivity);
        }
        int[][] offsets = neighbourOffsets(numDimensions, connectivity);
        int nx = dims[0];
        int ny = dims[1];
        int nz = dims[2];
        boolean[] surface = new boolean[mask.length];
        int i = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++, i++) {
                    if (mask[i]) {
                        surface[i] = touchesBackground(mask, dims, x, y, z, offsets);
                    }
                }
            }
        }
        return surface;
    }

    private static boolean touchesBackground(boolean[] mask, int[] dims, int x, int y, int z, int[][] offsets) {
        for (int[] o : offsets) {
            int qx = x + o[0];
            int qy = y + o[1];
            int qz = z + o[2];
            if (qx < 0 || qy < 0 || qz < 0 || qx >= dims[0] || qy >= dims[1] || qz >= dims[2]
                    || !mask[qx + dims[0] * (qy + dims[1] * qz)]) {
                return true;
            }
        }
        return false;
    }

    /** Offsets in {-1, 0, 1}^d with 1..connectivity non-zero components (z = 0 in 2D). */
    static int[][] neighbourOffsets(int numDimensions, int connectivity) {
        List<int[]> out = new ArrayList<>();
        int zRange = numDimensions == 3 ? 1 : 0;
        for (int dz = -zRange; dz <= zRange; dz++) {
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int nonZero = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
                    if (nonZero > 0 && nonZero <= connectivity) {
                        out.add(new int[] {dx, dy, dz});
                    }
                }
            }
        }
        return out.toArray(int[][]::new);
    }
}
