package io.medseg.io;

import io.medseg.image.Shapes;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What one scan may cost a reader, checked before anything is allocated from a header's claims:
 * the bytes of its decoded voxels (floats) and the time a third-party pixel decoder may take for
 * one frame. Both are configurable, as a system property or an environment variable:
 * <ul>
 *   <li>{@code medseg.read.maxScanBytes} / {@code MEDSEG_MAX_SCAN_BYTES}: e.g. {@code 6g}, {@code 800m};
 *       by default a quarter of the JVM's maximum heap (at most what one Java array holds): segmenting a
 *       scan takes several times its own size (normalised input, class scores, the mask), so a scan
 *       past a quarter of the heap would end in an out-of-memory error after minutes of reading;
 *   <li>{@code medseg.read.decoderSeconds} / {@code MEDSEG_DECODER_SECONDS}: a fixed budget; by default
 *       5 s plus 2 s per million pixels of the frame (5.5 s for a 512² CT slice, 23 s for a 3000²
 *       mammogram), far above what jai-imageio's JPEG 2000 decoder needs for real data.
 * </ul>
 */
public final class ReadLimits {
    public static final String MAX_SCAN_BYTES = "medseg.read.maxScanBytes";
    public static final String DECODER_SECONDS = "medseg.read.decoderSeconds";
    /** A float[] holds at most this many elements on every JVM. */
    public static final long MAX_ARRAY = Shapes.MAX_ARRAY;

    private ReadLimits() {}

    /** The most bytes of decoded voxels one scan may need. */
    public static long maxScanBytes() {
        String v = setting(MAX_SCAN_BYTES, "MEDSEG_MAX_SCAN_BYTES");
        if (v != null) {
            return parseBytes(v);
        }
        return Math.min(Runtime.getRuntime().maxMemory() / 4, MAX_ARRAY * Float.BYTES);
    }

    /** The time a third-party decoder may take for one frame of {@code pixels} pixels, in milliseconds. */
    public static long decoderMillis(long pixels) {
        String v = setting(DECODER_SECONDS, "MEDSEG_DECODER_SECONDS");
        if (v == null) {
            return 5000 + 2000 * pixels / 1_000_000;
        }
        try {
            double seconds = Double.parseDouble(v.trim());
            if (!(seconds > 0)) {
                throw new NumberFormatException();
            }
            return (long) Math.ceil(seconds * 1000);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(DECODER_SECONDS + " must be a number of seconds > 0, got '" + v + "'");
        }
    }

    /**
     * Refuses a scan whose voxel count, the product of {@code dims} (no overflow: a product past
     * 2^63 counts as too large), would exceed {@link #maxScanBytes()} as floats, or a Java array.
     *
     * @param what the claim, for the message: "series 1.2.3 of 512 x 512 x 300 voxels"
     */
    public static void checkVoxels(Path file, String what, long... dims) throws ImageFileException {
        double voxels = 1;
        for (long d : dims) {
            voxels *= d;
        }
        long limit = Math.min(maxScanBytes(), MAX_ARRAY * Float.BYTES);
        if (voxels * Float.BYTES > limit) {
            throw new ImageFileException(file, what + " would need " + size(voxels * Float.BYTES)
                    + " of memory, more than the " + size(limit) + " one scan may use (" + MAX_SCAN_BYTES
                    + " or MEDSEG_MAX_SCAN_BYTES raise it, within the JVM's -Xmx and 2^31 voxels)");
        }
    }

    /** "6g", "800m", "64k" or a number of bytes. */
    static long parseBytes(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (!t.isEmpty() && "kmgt".indexOf(t.charAt(t.length() - 1)) >= 0) {
            unit = 1L << (10 * ("kmgt".indexOf(t.charAt(t.length() - 1)) + 1));
            t = t.substring(0, t.length() - 1);
        }
        try {
            double v = Double.parseDouble(t);
            if (!(v > 0) || v * unit >= Long.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (long) (v * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_SCAN_BYTES + " must be a size such as 6g, 800m or a number of bytes,"
                    + " got '" + text + "'");
        }
    }

    /** "8.46 GB", "24.0 kB", "512 bytes". */
    static String size(double bytes) {
        if (bytes >= 1e15) {
            return String.format(Locale.ROOT, "%.3g GB", bytes / 1e9);
        }
        if (bytes >= 1e9) {
            return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
        }
        if (bytes >= 1e6) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        return bytes >= 1e3 ? String.format(Locale.ROOT, "%.1f kB", bytes / 1e3) : (long) bytes + " bytes";
    }

    private static String setting(String property, String environment) {
        String v = System.getProperty(property);
        return v != null ? v : System.getenv(environment);
    }
}
