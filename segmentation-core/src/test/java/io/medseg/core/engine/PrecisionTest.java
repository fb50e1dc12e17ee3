package io.medseg.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** Reading the CPU's bf16 support, and resolving --precision against it. */
class PrecisionTest {
    // flags lines shortened from the machines named in the issue (Sapphire Rapids, Zen 5) and older ones
    private static final String SAPPHIRE_RAPIDS = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Processor\n"
            + "flags\t\t: fpu sse2 avx2 avx512f avx512bw avx512_bf16 avx512_fp16 amx_bf16 amx_tile amx_int8\n\n"
            + "processor\t: 1\nflags\t\t: fpu\n";
    private static final String ZEN5 = "flags\t\t: fpu avx2 avx512f avx512_bf16 avx512_vnni\n";
    private static final String SKYLAKE = "flags\t\t: fpu avx2 avx512f avx512bw avx512_vnni\n";
    private static final String GRAVITON3 = "processor\t: 0\nFeatures\t: fp asimd sve bf16 i8mm\n";

    @Test
    void readsBf16SupportFromTheFirstProcessorsFlags() {
        CpuFeatures spr = CpuFeatures.parse(SAPPHIRE_RAPIDS);
        assertTrue(spr.amx());
        assertTrue(spr.flags().contains("avx512_bf16"));
        CpuFeatures zen5 = CpuFeatures.parse(ZEN5);
        assertFalse(zen5.amx());
        assertTrue(zen5.flags().contains("avx512_bf16"));
        CpuFeatures skylake = CpuFeatures.parse(SKYLAKE);
        assertFalse(skylake.amx());
        assertFalse(skylake.flags().contains("avx512_bf16"));
        assertTrue(CpuFeatures.parse(GRAVITON3).flags().contains("bf16"));
        assertTrue(CpuFeatures.parse("").flags().isEmpty());
        if (System.getenv("ONEDNN_MAX_CPU_ISA") == null) {
            assertTrue(spr.nativeBf16());
            assertTrue(zen5.nativeBf16());
            assertFalse(skylake.nativeBf16());
            assertEquals("AMX and avx512_bf16", spr.describeBf16());
            assertEquals("avx512_bf16 without AMX", zen5.describeBf16());
            assertEquals("no native bf16", skylake.describeBf16());
            assertEquals("CPU flags unknown", CpuFeatures.parse("").describeBf16());
        }
    }

    @Test
    void resolvesTheChoiceAndRefusesUnknownOnes() {
        Device cpu = Device.cpu();
        boolean fast = CpuFeatures.current().nativeBf16();
        Precision.Selection auto = Precision.select("auto", "fp32", cpu);
        assertEquals(fast ? Precision.BF16 : Precision.FP32, auto.precision());
        assertEquals("auto: " + CpuFeatures.current().describeBf16(), auto.reason());
        assertEquals(Precision.FP32, Precision.select(null, "fp32", cpu).precision());
        assertEquals("the default", Precision.select(null, "fp32", cpu).reason());
        Precision.Selection bf16 = Precision.select("BF16", "fp32", cpu);
        assertEquals(Precision.BF16, bf16.precision());
        assertEquals(!fast, bf16.warning().isPresent(), "a warning exactly when bf16 is emulated");
        bf16.warning().ifPresent(w -> assertTrue(w.endsWith("libtorch emulates it, slower than fp32"), w));
        var e = assertThrows(IllegalArgumentException.class, () -> Precision.select("fp16", "fp32", cpu));
        assertEquals("precision must be auto, fp32 or bf16, got 'fp16'", e.getMessage());
        assertEquals(Precision.BF16, Precision.parse("bf16"));
        var recorded = assertThrows(IllegalArgumentException.class, () -> Precision.parse("auto"));
        assertEquals("precision must be fp32 or bf16, got 'auto'", recorded.getMessage());
    }
}
