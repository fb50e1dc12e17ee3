package io.medseg.core.infer;

import io.medseg.image.Shapes;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Sliding-window prediction of a whole image: pad to at least the tile size, predict the tile grid
 * in batches, blend with {@link GaussianImportance} weights (or uniform ones), crop the padding.
 */
public final class SlidingWindow {
    private final long[] tileXyz;
    private final double overlap;
    private final int batchSize;
    private final boolean gaussian;
    private final float padValue;
    /** The blending weights of a tile, made once: a 2D model on a volume predicts every slice with them. */
    private float[] weights;

    /**
     * @param tileXyz tile size (x, y[, z])
     * @param overlap fraction of a tile shared with its neighbour, in [0, 1)
     * @param gaussian Gaussian blending (true) or plain averaging
     */
    public SlidingWindow(long[] tileXyz, double overlap, int batchSize, boolean gaussian) {
        this(tileXyz, overlap, batchSize, gaussian, 0f);
    }

    /** @param padValue what an image smaller than a tile is padded with (the normalised value of air for CT) */
    public SlidingWindow(long[] tileXyz, double overlap, int batchSize, boolean gaussian, float padValue) {
        if (!(overlap >= 0 && overlap < 1)) {
            throw new IllegalArgumentException("overlap must be >= 0 and < 1, got " + overlap);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.tileXyz = tileXyz.clone();
        this.overlap = overlap;
        this.batchSize = batchSize;
        this.gaussian = gaussian;
        this.padValue = padValue;
    }

    /**
     * Blended predictions for {@code image} (channels × voxels of {@code sizeXyz}).
     *
     * @param progress told the number of tiles done after each batch (may be null)
     * @return classes × voxels, same spatial size as the input
     */
    public float[] predict(float[] image, long[] sizeXyz, int channels, int classes, TilePredictor predictor,
            IntConsumer progress) {
        if (sizeXyz.length != tileXyz.length) {
            throw new IllegalArgumentException("image has " + sizeXyz.length + " axes, tile " + tileXyz.length);
        }
        long[] padded = new long[sizeXyz.length];
        for (int k = 0; k < padded.length; k++) {
            padded[k] = Math.max(sizeXyz[k], tileXyz[k]);
        }
        float[] input = Arrays.equals(padded, sizeXyz) ? image : Regions.pad(image, sizeXyz, padded, channels, padValue);
        int voxels = Shapes.arrayLength("an image of " + Arrays.toString(padded) + " voxels", padded);
        int tileVoxels = (int) Shapes.count(tileXyz);
        float[] sum = new float[Shapes.arrayLength("class scores of " + Arrays.toString(padded) + " voxels", classes,
                voxels)];
        float[] weightSum = new float[voxels];
        float[] weights = weights();
        List<long[]> origins = TileGrid.origins(padded, tileXyz, overlap);
        for (int start = 0; start < origins.size(); start += batchSize) {
            int count = Math.min(batchSize, origins.size() - start);
            float[] tiles = new float[count * channels * tileVoxels];
            for (int t = 0; t < count; t++) {
                Regions.copyOut(input, padded, channels, origins.get(start + t), tileXyz, tiles, t * channels * tileVoxels);
            }
            float[] out = predictor.predict(tiles, count, tileXyz.clone(), channels);
            if (out.length != count * classes * tileVoxels) {
                throw new IllegalStateException("predictor returned " + out.length + " values for " + count
                        + " tiles of " + classes + " classes x " + tileVoxels + " voxels");
            }
            for (int t = 0; t < count; t++) {
                Regions.addWeighted(out, t * classes * tileVoxels, tileXyz, classes, weights, sum, weightSum, padded,
                        origins.get(start + t));
            }
            if (progress != null) {
                progress.accept(start + count);
            }
        }
        for (int c = 0; c < classes; c++) {
            for (int v = 0; v < voxels; v++) {
                sum[c * voxels + v] /= weightSum[v];
            }
        }
        return Arrays.equals(padded, sizeXyz) ? sum : Regions.crop(sum, padded, sizeXyz, classes);
    }

    /** The tile size (x, y[, z]). */
    public long[] tileXyz() {
        return tileXyz.clone();
    }

    /** Number of tiles for an image of this size. */
    public int tileCount(long[] sizeXyz) {
        long[] padded = new long[sizeXyz.length];
        for (int k = 0; k < padded.length; k++) {
            padded[k] = Math.max(sizeXyz[k], tileXyz[k]);
        }
        return TileGrid.origins(padded, tileXyz, overlap).size();
    }

    private float[] weights() {
        if (weights == null) {
            weights = gaussian ? GaussianImportance.weights(tileXyz, 1.0 / 8) : uniform((int) Shapes.count(tileXyz));
        }
        return weights;
    }

    private static float[] uniform(int n) {
        float[] w = new float[n];
        Arrays.fill(w, 1f);
        return w;
    }
}
