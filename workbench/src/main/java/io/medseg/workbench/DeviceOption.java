package io.medseg.workbench;

import ai.djl.Device;
import io.medseg.core.engine.Devices;
import java.util.concurrent.ForkJoinPool;
import picocli.CommandLine.Option;

/** {@code --device auto|cpu|gpu}, shared by the commands that run a network. */
final class DeviceOption {
    @Option(names = "--device", defaultValue = "auto",
            description = "auto (GPU when libtorch sees one), cpu or gpu. Default: ${DEFAULT-VALUE}")
    String device;
    @Option(names = "--threads", description = "CPU threads for libtorch and medseg's own parallel work (default: all cores)")
    Integer threads;

    /** The device, after limiting the threads when asked (before the engine starts). */
    Device resolve() {
        if (threads != null && !Devices.threads(threads)) {
            System.err.println("warning: --threads " + threads + " came after the engine started in this process; "
                    + "it applies to the next one");
        }
        Device d = Devices.select(device);
        if (threads != null) {
            System.err.println("threads: " + threads + " (libtorch), " + ForkJoinPool
                    .getCommonPoolParallelism() + " (Java parallel streams)");
        }
        return d;
    }
}
