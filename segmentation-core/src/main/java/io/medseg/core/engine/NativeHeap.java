package io.medseg.core.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.Locale;

/**
 * Hands memory that libtorch has freed back to the operating system (glibc's {@code malloc_trim}).
 *
 * <p>{@code medseg train} runs with one malloc arena that never unmaps or trims (see the launcher),
 * which keeps each step's gigabytes of tensors mapped and makes steps up to 2x faster. Under that
 * setting the free space between live blocks is never returned: a 3D run measured 1.0 GB of live
 * native memory (heaptrack) behind 4.2 GB resident after 5 epochs, growing about 0.3–0.8 GB per
 * epoch at the whole-volume validation. {@code malloc_trim(0)} releases the free pages inside the
 * heap too (4.2 → 1.0 GB), so the training loop calls it after each validation.
 *
 * <p>Other C libraries (musl, macOS, Windows) have no {@code malloc_trim}; there this does nothing.
 */
public final class NativeHeap {
    private static final Function MALLOC_TRIM = lookUp();

    private NativeHeap() {}

    /**
     * Releases free native heap pages; returns whether the C library released any (false where it
     * has no {@code malloc_trim}).
     */
    public static boolean releaseFreed() {
        return MALLOC_TRIM != null && MALLOC_TRIM.invokeInt(new Object[] {0}) == 1;
    }

    /** Whether this C library can release free heap pages. */
    public static boolean supported() {
        return MALLOC_TRIM != null;
    }

    private static Function lookUp() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        try {
            return NativeLibrary.getInstance("c").getFunction("malloc_trim");
        } catch (UnsatisfiedLinkError e) {
            return null; // musl and other C libraries without it
        }
    }
}
