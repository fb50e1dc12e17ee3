package io.medseg.samples;

/** Seeds for the generators' {@link java.util.Random}s. */
public final class Seeds {
    private Seeds() {}

    /**
     * SplitMix64's finaliser: consecutive seeds give correlated first draws from
     * {@code java.util.Random}, so case k's seed + k is scrambled into an unrelated one first.
     */
    public static long scramble(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
