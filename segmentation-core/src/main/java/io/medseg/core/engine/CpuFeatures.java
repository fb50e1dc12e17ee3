package io.medseg.core.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CPU's instruction-set flags as Linux reports them ({@code /proc/cpuinfo}): whether bfloat16
 * arithmetic runs natively ({@code avx512_bf16} or AMX on x86, {@code bf16} on Arm), which is when
 * oneDNN's bf16 kernels are faster than float32 rather than emulated.
 *
 * @param flags the first processor's flags (x86 "flags", Arm "Features"); empty where unknown
 */
public record CpuFeatures(Set<String> flags) {
    public CpuFeatures {
        flags = Set.copyOf(flags);
    }

    private static volatile CpuFeatures current;

    /** This machine's, read once; empty flags on systems without {@code /proc/cpuinfo}. */
    public static CpuFeatures current() {
        CpuFeatures c = current;
        if (c == null) {
            current = c = read(Path.of("/proc/cpuinfo"));
        }
        return c;
    }

    static CpuFeatures read(Path cpuinfo) {
        try {
            return parse(Files.readString(cpuinfo));
        } catch (IOException | RuntimeException e) {
            return new CpuFeatures(Set.of());
        }
    }

    /** The flags of the first "flags" (x86) or "Features" (Arm) line. */
    static CpuFeatures parse(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (key.equals("flags") || key.equals("features")) {
                return new CpuFeatures(new TreeSet<>(Arrays.asList(line.substring(colon + 1).trim().split("\\s+"))));
            }
        }
        return new CpuFeatures(Set.of());
    }

    /** Advanced Matrix Extensions with bf16 tiles (Intel Sapphire Rapids and later). */
    public boolean amx() {
        return flags.contains("amx_bf16") && flags.contains("amx_tile");
    }

    /**
     * bfloat16 dot products in hardware that oneDNN may use: AVX-512 BF16, AMX, or Arm's BF16
     * extension, unless the kernels are pinned below them ({@code MEDSEG_CPU_ISA=avx2} sets
     * {@code ONEDNN_MAX_CPU_ISA=AVX2}, for bit-for-bit reruns across machines).
     */
    public boolean nativeBf16() {
        return pinnedBelowBf16() == null && (flags.contains("avx512_bf16") || amx() || flags.contains("bf16"));
    }

    /** The pinned instruction set when it has no bf16 (e.g. "AVX2"), else null. */
    private static String pinnedBelowBf16() {
        String isa = System.getenv("ONEDNN_MAX_CPU_ISA");
        if (isa == null || isa.isBlank()) {
            return null;
        }
        String upper = isa.toUpperCase(Locale.ROOT);
        boolean hasBf16 = upper.equals("ALL") || upper.contains("AMX") || upper.contains("BF16")
                || upper.contains("AVX10");
        return hasBf16 ? null : upper;
    }

    /** "AMX and avx512_bf16", "avx512_bf16 without AMX", "Arm bf16" or "no native bf16", for what a run prints. */
    public String describeBf16() {
        String pinned = pinnedBelowBf16();
        if (pinned != null) {
            return "kernels pinned to " + pinned + " (ONEDNN_MAX_CPU_ISA), no native bf16";
        }
        if (amx()) {
            return "AMX and avx512_bf16";
        }
        if (flags.contains("avx512_bf16")) {
            return "avx512_bf16 without AMX";
        }
        if (flags.contains("bf16")) {
            return "Arm bf16";
        }
        return flags.isEmpty() ? "CPU flags unknown" : "no native bf16";
    }
}
