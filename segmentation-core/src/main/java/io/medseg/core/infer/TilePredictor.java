package io.medseg.core.infer;

/** Predicts a batch of tiles: anything from a network to {@code x -> x + 1} in tests. */
@FunctionalInterface
public interface TilePredictor {
    /**
     * @param tiles {@code count} tiles of {@code channels} × voxels each (x fastest, channel, then tile slowest)
     * @return {@code count} tiles of {@code classes} × voxels each, in the same layout
     */
    float[] predict(float[] tiles, int count, long[] tileSizeXyz, int channels);
}
