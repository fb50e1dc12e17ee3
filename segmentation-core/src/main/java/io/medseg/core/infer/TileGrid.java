package io.medseg.core.infer;

import java.util.ArrayList;
import java.util.List;

/**
 * Tile origins covering an image: per axis, n = ⌈(size − tile) / step⌉ + 1 tiles spread evenly
 * from 0 to size − tile, step = tile·(1 − overlap). Example: size 10, tile 4, overlap 0.5 →
 * step 2, n = ⌈6 / 2⌉ + 1 = 4, origins 0, 2, 4, 6.
 */
public final class TileGrid {
    private TileGrid() {}

    /** Origins (x, y[, z]) of all tiles; the image must be at least as large as the tile. */
    public static List<long[]> origins(long[] sizeXyz, long[] tileXyz, double overlap) {
        if (!(overlap >= 0 && overlap < 1)) {
            throw new IllegalArgumentException("overlap must be >= 0 and < 1, got " + overlap);
        }
        long[][] perAxis = new long[sizeXyz.length][];
        for (int k = 0; k < sizeXyz.length; k++) {
            perAxis[k] = axisOrigins(sizeXyz[k], tileXyz[k], overlap);
        }
        List<long[]> origins = new ArrayList<>();
        int[] idx = new int[sizeXyz.length];
        while (true) {
            long[] o = new long[sizeXyz.length];
            for (int k = 0; k < o.length; k++) {
                o[k] = perAxis[k][idx[k]];
            }
            origins.add(o);
            int k = 0;
            while (k < idx.length && ++idx[k] == perAxis[k].length) {
                idx[k++] = 0;
            }
            if (k == idx.length) {
                return origins;
            }
        }
    }

    static long[] axisOrigins(long size, long tile, double overlap) {
        if (size < tile) {
            throw new IllegalArgumentException("image size " + size + " is smaller than tile " + tile + "; pad first");
        }
        double step = Math.max(1, tile * (1 - overlap));
        int count = (int) Math.ceil((size - tile) / step) + 1;
        long[] origins = new long[count];
        double actual = count > 1 ? (double) (size - tile) / (count - 1) : 0;
        for (int i = 0; i < count; i++) {
            origins[i] = Math.round(i * actual);
        }
        return origins;
    }
}
