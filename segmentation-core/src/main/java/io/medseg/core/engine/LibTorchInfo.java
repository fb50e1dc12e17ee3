package io.medseg.core.engine;

import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which libtorch this process runs and where it came from: the CPU build that the
 * {@code pytorch-native-cpu} jar carries (unpacked by DJL into its cache), or a folder the user named
 * with {@code PYTORCH_LIBRARY_PATH} (a pip-installed torch's {@code lib}, for a CUDA build).
 *
 * @param version libtorch's version, e.g. 2.7.1
 * @param flavor "cpu", or the CUDA flavour when the folder holds libtorch_cuda ({@code PYTORCH_FLAVOR} when set, else "cuda")
 * @param dir the folder libtorch was loaded from
 * @param userFolder whether {@code dir} is the user's {@code PYTORCH_LIBRARY_PATH}
 */
public record LibTorchInfo(String version, String flavor, Path dir, boolean userFolder) {
    /** The libtorch of this process (starts the engine when it has not started). */
    public static LibTorchInfo current() {
        Engine engine = Devices.engine();
        Path dir = Path.of(libtorchPath()).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            dir = dir.getParent();
        }
        String user = System.getenv("PYTORCH_LIBRARY_PATH");
        boolean userFolder = user != null && !user.isBlank() && dir.startsWith(Path.of(user).toAbsolutePath().normalize());
        boolean cuda = Files.exists(dir.resolve("libtorch_cuda.so")) || Files.exists(dir.resolve("torch_cuda.dll"));
        String flavorVariable = System.getenv("PYTORCH_FLAVOR");
        String flavor = !cuda ? "cpu" : flavorVariable != null && !flavorVariable.isBlank() ? flavorVariable : "cuda";
        return new LibTorchInfo(engine.getVersion(), flavor, dir, userFolder);
    }

    /**
     * The folder DJL loaded libtorch from: {@code ai.djl.pytorch.jni.LibUtils.getLibtorchPath()}, called by
     * name because the PyTorch engine is a runtime dependency only (core compiles against DJL's API).
     */
    private static String libtorchPath() {
        try {
            return (String) Class.forName("ai.djl.pytorch.jni.LibUtils").getMethod("getLibtorchPath").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DJL's PyTorch engine does not say where its libtorch is: " + e, e);
        }
    }

    /** "2.7.1 cpu, from DIR (PYTORCH_LIBRARY_PATH)" or "… (the pytorch-native-cpu jar)". */
    public String describe() {
        return version + " " + flavor + ", from " + dir + (userFolder ? " (PYTORCH_LIBRARY_PATH)"
                : " (the pytorch-native-cpu jar, unpacked by DJL)");
    }
}
