package io.medseg.workbench;

import ai.djl.Device;
import io.medseg.core.engine.Precision;
import picocli.CommandLine.Option;

/** {@code --precision auto|fp32|bf16}, shared by the commands that run a network. */
final class PrecisionOption {
    @Option(names = "--precision", paramLabel = "auto|fp32|bf16", description = "the network's arithmetic: fp32, "
            + "bf16 (convolutions in bfloat16 as PyTorch's autocast; normalisation, softmax and blending stay float32) "
            + "or auto (bf16 where the CPU or GPU computes it natively: AVX-512 BF16/AMX, compute capability 8+). "
            + "Default: fp32 (see docs/precision.md)")
    String precision;

    /** The precision on {@code device}; a warning on standard error when bf16 is asked for without hardware for it. */
    Precision.Selection resolve(Device device, String fallback) {
        Precision.Selection s = Precision.select(precision, fallback, device);
        s.warning().ifPresent(w -> System.err.println("warning: " + w));
        return s;
    }
}
