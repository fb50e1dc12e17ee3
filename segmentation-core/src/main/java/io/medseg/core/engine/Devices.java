package io.medseg.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.Utils;
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
     *
     * @throws IllegalArgumentException in one line when libtorch cannot be loaded (e.g. the CUDA build
     *     MEDSEG_LIBTORCH names has not been fetched)
     */
    public static Engine engine() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Engine engine;
        try {
            engine = Engine.getEngine("PyTorch");
        } catch (RuntimeException e) {
            // what the environment names cannot be loaded: one line for the user, not the engine's stack trace
            throw new IllegalArgumentException(whyNoEngine(e), e);
        }
        engineStarted = true;
        return engine;
    }

    /** One line on a libtorch that did not load: the CUDA build not fetched yet, or the engine's own words. */
    private static String whyNoEngine(RuntimeException e) {
        String flavor = System.getenv("MEDSEG_LIBTORCH");
        String cause = e.getMessage() + (e.getCause() != null ? ": " + e.getCause().getMessage() : "");
        if (flavor != null && !flavor.equals("cpu") && System.getenv("PYTORCH_LIBRARY_PATH") == null) {
            return "libtorch 2.7.1 " + flavor + " (MEDSEG_LIBTORCH=" + flavor + ") is not in DJL's cache "
                    + Utils.getEngineCacheDir("pytorch") + (Boolean.getBoolean("ai.djl.offline")
                    ? "; run `medseg setup-gpu` once to fetch it (about 2.5 GB from publish.djl.ai)"
                    : "; fetching it from https://publish.djl.ai/pytorch/2.7.1/ failed (" + cause + ")")
                    + ", or see docs/commands.md#gpu";
        }
        return "libtorch could not be loaded (" + cause + ")";
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
