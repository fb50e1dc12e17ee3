package io.medseg.io.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.medseg.io.ImageFileException;
import io.medseg.io.ReadLimits;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NIfTI inputs of issue 11: headers that claim more than the file holds, dimensions that
 * overflow, offsets that point backwards, truncated gzip streams. Each is refused with the file
 * and the problem, quickly, and without allocating what the header merely claims (measured with
 * the JVM's per-thread allocation counter).
 */
class HostileNiftiTest {
    static final Path DIR = Path.of("src/test/resources/nifti");

    @TempDir
    Path tmp;
    private String savedLimit;

    @BeforeEach
    void fixTheCeiling() {
        // the default ceiling depends on the JVM's heap; these cases must reach the checks after it
        savedLimit = System.setProperty(ReadLimits.MAX_SCAN_BYTES, "12g");
    }

    @AfterEach
    void restoreTheCeiling() {
        if (savedLimit == null) {
            System.clearProperty(ReadLimits.MAX_SCAN_BYTES);
        } else {
            System.setProperty(ReadLimits.MAX_SCAN_BYTES, savedLimit);
        }
    }

    /** The 352 bytes of a NIfTI-1 header (+ empty extension flag) for int32 voxels of these dimensions. */
    static byte[] nifti1(int x, int y, int z) throws Exception {
        byte[] h = Arrays.copyOf(Files.readAllBytes(DIR.resolve("dtype_int16.nii")), 352);
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(40, (short) 3).putShort(42, (short) x).putShort(44, (short) y).putShort(46, (short) z);
        b.putShort(70, (short) 8).putShort(72, (short) 32); // datatype int32, bitpix
        b.putFloat(108, 352);
        Arrays.fill(h, 348, 352, (byte) 0);
        return h;
    }

    @Test
    void a352ByteFileClaimingAThousandCubedIsRefusedFromItsLength() throws Exception {
        Path file = Files.write(tmp.resolve("claims.nii"), nifti1(1000, 1000, 1000));
        long[] used = allocatedWhile(() -> Nifti.readVolume(file));
        assertEquals(file + ": has 0 bytes of voxel data after vox_offset 352, the header claims 4000000000"
                + " (1000000000 voxels of int32): truncated file or a corrupt header", message(file));
        assertTrue(used[0] < 50_000_000, "allocated " + used[0] + " bytes");
        assertTrue(used[1] < 1_000_000_000, "took " + used[1] + " ns");
    }

    @Test
    void aGzippedFileClaimingAThousandCubedFailsBeforeItTakesTheMemory() throws Exception {
        Path file = Files.write(tmp.resolve("claims.nii.gz"), gzip(nifti1(1000, 1000, 1000)));
        long[] used = allocatedWhile(() -> Nifti.readVolume(file));
        assertEquals(file + ": ends inside the voxel data: 0 of 4000000000 bytes after vox_offset (truncated gzip"
                + " stream?)", message(file));
        assertTrue(used[0] < 100_000_000, "allocated " + used[0] + " bytes, not the 4 GB claimed");
        assertTrue(used[1] < 2_000_000_000L, "took " + used[1] + " ns");
    }

    @Test
    void dimensionsBeyondOneArrayAreRefusedAndJustBelowFromTheLength() throws Exception {
        Path below = Files.write(tmp.resolve("below.nii"), nifti1(1290, 1290, 1290)); // OutOfMemoryError once
        assertEquals(below + ": has 0 bytes of voxel data after vox_offset 352, the header claims 8586756000"
                + " (2146689000 voxels of int32): truncated file or a corrupt header", message(below));
        Path beyond = Files.write(tmp.resolve("beyond.nii"), nifti1(1300, 1300, 1300));
        assertEquals(beyond + ": the header claims 2197000000 voxels (dim [1300, 1300, 1300]), more than one image can"
                + " hold (2^31)", message(beyond));
    }

    @Test
    void nifti2DimensionsThatOverflowALongAreRefused() throws Exception {
        byte[] h = Arrays.copyOf(Files.readAllBytes(DIR.resolve("nifti2_float.nii")), 544);
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(16, 3).putLong(24, 1L << 62).putLong(32, 1L << 62).putLong(40, 16);
        Path file = Files.write(tmp.resolve("overflow.nii"), h);
        assertEquals(file + ": the header claims 3.403e+38 voxels (dim [4611686018427387904, 4611686018427387904, 16]),"
                + " more than one image can hold (2^31)", message(file));
    }

    @Test
    void aNegativeVoxOffsetInAHeaderPairIsRefused() throws Exception {
        byte[] h = Files.readAllBytes(DIR.resolve("pair_int16.hdr"));
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, -5);
        Path file = Files.write(tmp.resolve("pair.hdr"), h);
        Files.copy(DIR.resolve("pair_int16.img"), tmp.resolve("pair.img"));
        assertEquals(file + ": vox_offset is -5.0, expected a byte offset >= 0", message(file));
    }

    @Test
    void aNonFiniteOriginOrScalingIsRefused() throws Exception {
        byte[] h = Files.readAllBytes(DIR.resolve("dtype_int16.nii"));
        byte[] origin = h.clone();
        ByteBuffer.wrap(origin).order(ByteOrder.LITTLE_ENDIAN).putShort(254, (short) 1).putFloat(292, Float.NaN);
        Path file = Files.write(tmp.resolve("origin.nii"), origin);
        assertEquals(file + ": the affine's offset (origin) is NaN on axis 0, not a finite position in mm", message(file));
        byte[] scaled = h.clone();
        ByteBuffer.wrap(scaled).order(ByteOrder.LITTLE_ENDIAN).putFloat(112, Float.POSITIVE_INFINITY);
        Path inf = Files.write(tmp.resolve("scaled.nii"), scaled);
        assertTrue(message(inf).startsWith(inf + ": scl_slope Infinity and scl_inter "), message(inf));
    }

    @Test
    void truncatedGzipStreamsNameTheFile() throws Exception {
        byte[] whole = Files.readAllBytes(DIR.resolve("standard.nii.gz"));
        for (int keep : new int[] {whole.length - 6, whole.length / 2, 30}) {
            Path file = Files.write(tmp.resolve("cut" + keep + ".nii.gz"), Arrays.copyOf(whole, keep));
            String m = message(file);
            assertTrue(m.startsWith(file + ": "), m);
            assertTrue(m.contains("truncated gzip stream") || m.contains("too short for a NIfTI header"), m);
        }
    }

    private static String message(Path file) {
        return assertThrows(ImageFileException.class, () -> Nifti.readVolume(file)).getMessage();
    }

    /** Bytes allocated by this thread and nanoseconds taken while {@code read} fails. */
    private static long[] allocatedWhile(Executable read) {
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        long start = System.nanoTime();
        assertThrows(ImageFileException.class, read);
        return new long[] {threads.getThreadAllocatedBytes(id) - before, System.nanoTime() - start};
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }
}
