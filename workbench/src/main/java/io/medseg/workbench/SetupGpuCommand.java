package io.medseg.workbench;

import ai.djl.engine.Engine;
import io.medseg.core.engine.Devices;
import io.medseg.core.engine.LibTorchInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code medseg setup-gpu}: lets DJL fetch libtorch 2.7.1's CUDA 12.8 build once into its cache. The
 * launcher runs this command with {@code MEDSEG_LIBTORCH=cu128}, DJL online and the CPU jar off the
 * class path; every later run with {@code MEDSEG_LIBTORCH=cu128} loads the cached build offline.
 */
@Command(name = "setup-gpu", mixinStandardHelpOptions = true,
        description = "Fetch libtorch 2.7.1 for CUDA 12.8 once into DJL's cache (~/.djl.ai/pytorch, about 2.5 GB from "
                + "publish.djl.ai), for NVIDIA GPUs; then run medseg with MEDSEG_LIBTORCH=cu128. Offline CPU stays the "
                + "default. Needs the ./medseg launcher (it sets the class path and allows the download).")
final class SetupGpuCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        if (!"cu128".equals(System.getenv("MEDSEG_LIBTORCH"))) {
            throw new IllegalArgumentException("setup-gpu runs through the ./medseg launcher, which gives it "
                    + "MEDSEG_LIBTORCH=cu128, the class path without the CPU libtorch and DJL's permission to download");
        }
        Engine engine = Devices.engine();
        LibTorchInfo info = LibTorchInfo.current();
        System.out.println("libtorch " + info.describe());
        System.out.println(engine.getGpuCount() == 0
                ? "libtorch sees no GPU (no NVIDIA driver for CUDA 12.8 here?); the CUDA build is cached all the same"
                : "libtorch sees " + engine.getGpuCount() + " GPU(s)");
        System.out.println("run medseg with MEDSEG_LIBTORCH=cu128 from now on (e.g. export it in your shell's profile); "
                + "--device auto then picks the GPU");
        return 0;
    }
}
