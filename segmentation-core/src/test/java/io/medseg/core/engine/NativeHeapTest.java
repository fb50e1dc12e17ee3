package io.medseg.core.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Memory libtorch freed but glibc kept (free blocks below a live one are never trimmed) goes back
 * to the operating system: the resident size drops by what was freed.
 */
@EnabledOnOs(OS.LINUX)
class NativeHeapTest {
    private static final long MB = 1 << 20;

    @Test
    void freedTensorMemoryBelowALiveTensorIsReturned() throws IOException {
        Devices.engine();
        assertTrue(NativeHeap.supported(), "glibc has malloc_trim");
        try (NDManager m = NDManager.newBaseManager()) {
            NativeHeap.releaseFreed();
            long before = residentBytes();
            // 2000 blocks of 64 kB: under glibc's mmap threshold, so they come from the heap
            List<NDArray> blocks = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                blocks.add(m.ones(new Shape(16384)));
            }
            NDArray pin = m.ones(new Shape(16384)); // stays alive above the freed ones
            blocks.forEach(NDArray::close);
            long kept = residentBytes();
            assertTrue(kept - before > 100 * MB, "glibc kept the freed blocks: " + (kept - before) / MB + " MB");
            assertTrue(NativeHeap.releaseFreed(), "malloc_trim released pages");
            long after = residentBytes();
            assertTrue(kept - after > 100 * MB, "released " + (kept - after) / MB + " MB of the 125 MB freed");
            pin.close();
        }
    }

    /** Resident set size from /proc/self/statm (pages). */
    private static long residentBytes() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
        return Long.parseLong(fields[1]) * 4096;
    }
}
