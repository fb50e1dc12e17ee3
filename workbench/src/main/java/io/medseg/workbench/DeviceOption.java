package io.medseg.workbench;

import ai.djl.Device;
import io.medseg.core.engine.Devices;
import picocli.CommandLine.Option;

/** {@code --device auto|cpu|gpu}, shared by the commands that run a network. */
final class DeviceOption {
    @Option(names = "--device", defaultValue = "auto",
            description = "auto (GPU when libtorch sees one), cpu or gpu. Default: ${DEFAULT-VALUE}")
    String device;

    Device resolve() {
        return Devices.select(device);
    }
}
