package io.medseg.core.engine;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;

/**
 * How many tiles a GPU's free memory holds in one network pass: measured, not modelled. One tile's
 * pass is run first; libtorch's caching allocator keeps what the pass needed, so the free memory
 * before and after it differ by one tile's working memory, and the batch is what the rest holds
 * with a tenth to spare.
 */
public final class GpuTileBatch {
    /** More tiles per pass gain little on a GPU and delay the first progress line. */
    public static final int MOST = 16;

    private GpuTileBatch() {}

    /**
     * @param freeBefore free bytes before one tile's pass
     * @param freeAfter free bytes after it (its memory still held by the allocator)
     * @param most the largest batch to give (the scan's tile count, or {@link #MOST})
     * @return at least 1
     */
    public static int fit(long freeBefore, long freeAfter, int most) {
        long perTile = freeBefore - freeAfter;
        if (perTile <= 0) {
            return Math.max(1, most); // nothing measurable: the pass fits many times over
        }
        long more = (long) (0.9 * Math.max(0, freeAfter)) / perTile;
        return (int) Math.max(1, Math.min(most, 1 + more));
    }

    /** Free bytes on a GPU as CUDA reports them. */
    public static long freeBytes(Device gpu) {
        MemoryUsage m = CudaUtils.getGpuMemory(gpu);
        return m.getMax() - m.getUsed();
    }
}
