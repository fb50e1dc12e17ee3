package io.medseg.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;

/**
 * Starts DJL's PyTorch engine offline and picks the device: a GPU when libtorch sees one, the CPU
 * otherwise; {@code cpu} or {@code gpu} force the choice.
 */
public final class Devices {
    private Devices() {}

    /**
     * Makes DJL use the libtorch jar on the class path instead of downloading one. Must run before
     * the first use of {@link Engine}; the command line and the tests call it first.
     */
    public static Engine engine() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Engine engine = Engine.getEngine("PyTorch");
        engineStarted = true;
        return engine;
    }

    /**
     * Limits libtorch (intra-op threads; inter-op 1) and Java's parallel streams to {@code n} threads,
     * for shared machines. Takes effect only before the engine and the common pool start, so a
     * front end calls it first; returns false when it came too late for either.
     */
    public static boolean threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", Integer.toString(n));
        return ForkJoinPool.getCommonPoolParallelism() == n && !engineStarted;
    }

    private static volatile boolean engineStarted;

    /** The libtorch version when this process has started the engine, else empty (nothing is loaded for it). */
    public static Optional<String> engineVersionIfStarted() {
        return engineStarted ? Optional.of(Engine.getEngine("PyTorch").getVersion()) : Optional.empty();
    }

    /**
     * @param choice {@code auto}, {@code cpu} or {@code gpu} (case-insensitive)
     * @throws IllegalArgumentException for an unknown choice, or {@code gpu} without a visible GPU
     */
    public static Device select(String choice) {
        Engine engine = engine();
        String c = choice == null ? "auto" : choice.toLowerCase(Locale.ROOT);
        switch (c) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (engine.getGpuCount() == 0) {
                    throw new IllegalArgumentException("a GPU was asked for, but libtorch sees no GPU on this"
                            + " machine (CUDA driver missing or CPU-only libtorch: for an NVIDIA card, point"
                            + " PYTORCH_LIBRARY_PATH at the lib folder of a pip-installed torch 2.7.1+cu128 with"
                            + " PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128, docs/commands.md#gpu); use the CPU or auto");
                }
                return Device.gpu();
            case "auto":
                return engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            default:
                throw new IllegalArgumentException("device must be auto, cpu or gpu, got '" + choice + "'");
        }
    }
}
