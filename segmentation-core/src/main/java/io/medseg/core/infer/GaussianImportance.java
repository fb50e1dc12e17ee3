package io.medseg.core.infer;

import io.medseg.image.Shapes;

/**
 * Tile weights that fall off towards the tile border, so predictions near a tile's centre (which
 * saw the most context) dominate the blend: exp(−d²/2σ²) per axis with σ = tile/8 (nnU-Net),
 * scaled to a maximum of 1 and floored at the smallest non-zero weight so no voxel gets 0.
 */
public final class GaussianImportance {
    private GaussianImportance() {}

    public static float[] weights(long[] tileXyz, double sigmaScale) {
        int voxels = (int) Shapes.count(tileXyz);
        double[][] axis = new double[tileXyz.length][];
        for (int k = 0; k < tileXyz.length; k++) {
            axis[k] = new double[(int) tileXyz[k]];
            double centre = (tileXyz[k] - 1) / 2.0;
            double sigma = Math.max(tileXyz[k] * sigmaScale, 1e-6);
            for (int i = 0; i < axis[k].length; i++) {
                double d = i - centre;
                axis[k][i] = Math.exp(-d * d / (2 * sigma * sigma));
            }
        }
        float[] w = new float[voxels];
        int[] pos = new int[tileXyz.length];
        double max = 0;
        for (int v = 0; v < voxels; v++) {
            double p = 1;
            for (int k = 0; k < pos.length; k++) {
                p *= axis[k][pos[k]];
            }
            w[v] = (float) p;
            max = Math.max(max, p);
            for (int k = 0; k < pos.length && ++pos[k] == tileXyz[k]; k++) {
                pos[k] = 0;
            }
        }
        float min = Float.MAX_VALUE;
        for (int v = 0; v < voxels; v++) {
            w[v] /= (float) max;
            if (w[v] > 0) {
                min = Math.min(min, w[v]);
            }
        }
        for (int v = 0; v < voxels; v++) {
            w[v] = Math.max(w[v], min);
        }
        return w;
    }
}
