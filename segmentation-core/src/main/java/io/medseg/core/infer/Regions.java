package io.medseg.core.infer;

import io.medseg.image.Shapes;
import java.util.Arrays;

/** Copies between an N-d image and rectangular regions of it (x fastest, channel slowest). */
final class Regions {
    private Regions() {}

    /** Copies the region at {@code origin} of size {@code region} out of every channel of {@code image}. */
    static void copyOut(float[] image, long[] size, int channels, long[] origin, long[] region, float[] dst, int dstOffset) {
        int voxels = (int) Shapes.count(size);
        int regionVoxels = (int) Shapes.count(region);
        long[] strides = Shapes.stridesXFastest(size);
        forEachRow(region, (rowStart, pos) -> {
            long src = 0;
            for (int k = 0; k < size.length; k++) {
                src += (origin[k] + pos[k]) * strides[k];
            }
            for (int c = 0; c < channels; c++) {
                System.arraycopy(image, (int) (c * voxels + src), dst, dstOffset + c * regionVoxels + rowStart, (int) region[0]);
            }
        });
    }

    /** sum[c, origin + p] += w[p] · tile[c, p]; weightSum[origin + p] += w[p]. */
    static void addWeighted(float[] tiles, int offset, long[] region, int classes, float[] w, float[] sum,
            float[] weightSum, long[] size, long[] origin) {
        int voxels = (int) Shapes.count(size);
        int regionVoxels = (int) Shapes.count(region);
        long[] strides = Shapes.stridesXFastest(size);
        forEachRow(region, (rowStart, pos) -> {
            int dst = 0;
            for (int k = 0; k < size.length; k++) {
                dst += (int) ((origin[k] + pos[k]) * strides[k]);
            }
            for (int x = 0; x < region[0]; x++) {
                weightSum[dst + x] += w[rowStart + x];
                for (int c = 0; c < classes; c++) {
                    sum[c * voxels + dst + x] += w[rowStart + x] * tiles[offset + c * regionVoxels + rowStart + x];
                }
            }
        });
    }

    /** Pads with {@code value} at the far end of each axis. */
    static float[] pad(float[] image, long[] size, long[] padded, int channels, float value) {
        float[] out = new float[(int) Shapes.count(padded) * channels];
        if (value != 0) {
            Arrays.fill(out, value);
        }
        int voxels = (int) Shapes.count(size);
        int paddedVoxels = (int) Shapes.count(padded);
        long[] strides = Shapes.stridesXFastest(padded);
        forEachRow(size, (rowStart, pos) -> {
            int dst = 0;
            for (int k = 0; k < size.length; k++) {
                dst += (int) (pos[k] * strides[k]);
            }
            for (int c = 0; c < channels; c++) {
                System.arraycopy(image, c * voxels + rowStart, out, c * paddedVoxels + dst, (int) size[0]);
            }
        });
        return out;
    }

    /** The inverse of {@link #pad}: the region at the origin of size {@code size}. */
    static float[] crop(float[] image, long[] padded, long[] size, int channels) {
        float[] out = new float[(int) Shapes.count(size) * channels];
        copyOut(image, padded, channels, new long[size.length], size, out, 0);
        return out;
    }

    /** Calls back once per x-row of a region with the row's linear start and its position (x = 0). */
    private static void forEachRow(long[] region, RowVisitor visitor) {
        int n = region.length;
        long[] pos = new long[n];
        int rows = (int) (Shapes.count(region) / region[0]);
        for (int r = 0; r < rows; r++) {
            visitor.visit((int) (r * region[0]), pos);
            for (int k = 1; k < n && ++pos[k] == region[k]; k++) {
                pos[k] = 0;
            }
        }
    }

    private interface RowVisitor {
        void visit(int rowStart, long[] pos);
    }
}
