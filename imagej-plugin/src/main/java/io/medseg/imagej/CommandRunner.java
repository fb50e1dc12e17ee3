package io.medseg.imagej;

import ai.djl.Device;
import ij.IJ;
import ij.macro.Interpreter;
import io.medseg.core.engine.Precision;
import io.medseg.core.train.TrainingDivergedException;
import io.medseg.pipeline.BundledModels;
import io.medseg.pipeline.StoppedException;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every menu command shares: DJL on the plugin's class loader, one-line errors (an ImageJ
 * error dialog, a log line when headless), and the bundled models' folder.
 */
final class CommandRunner {
    /** Where {@code medseg install-fiji} puts the bundled models, below the ImageJ/Fiji folder. */
    static final String MODELS_FOLDER = "models/medseg";

    @FunctionalInterface
    interface Body {
        void run() throws IOException;
    }

    private CommandRunner() {}

    /** Runs a command; bad input and I/O problems end it with one message, nothing half-done is shown. */
    static void run(String command, Body body) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // DJL finds its engine through the context class loader, which in ImageJ is not the plugin's (docs/imagej.md)
        thread.setContextClassLoader(CommandRunner.class.getClassLoader());
        try {
            body.run();
        } catch (StoppedException e) {
            IJ.showStatus(command + ": stopped");
            IJ.log(command + ": stopped: " + e.getMessage());
        } catch (PluginException | IllegalArgumentException | IOException
                | TrainingDivergedException e) {
            error(command, e.getMessage());
        } catch (OutOfMemoryError e) {
            error(command, "out of memory (" + e.getMessage() + "); give ImageJ more memory (Edit > Options > Memory & "
                    + "Threads) or use smaller tiles");
        } finally {
            thread.setContextClassLoader(previous);
            IJ.showProgress(1.0);
        }
    }

    /** The dialogs' precision choices, the command line's default first. */
    static final String[] PRECISIONS = {"fp32", "bf16", "auto"};

    /** The precision a dialog's choice resolves to on {@code device}, logged (with a warning when bf16 is emulated). */
    static Precision.Selection precision(String command, String choice, String fallback, Device device) {
        Precision.Selection s = Precision.select(choice, fallback, device);
        s.warning().ifPresent(w -> IJ.log(command + ": warning: " + w));
        IJ.log(command + ": device " + device + ", precision " + s.describe());
        return s;
    }

    static void error(String command, String message) {
        if (GraphicsEnvironment.isHeadless() || Interpreter.isBatchMode() && IJ.getInstance() == null) {
            IJ.log(command + ": error: " + message);
        } else {
            IJ.error(command, message);
        }
    }

    /**
     * The bundled models: {@code medseg.models} when set, the checkout's {@code sample-scans/models}
     * under {@code medseg.home} (the plain-ImageJ launcher sets it), else {@code models/medseg} of the
     * ImageJ or Fiji folder the plugin's jar lies in (so a headless run works from any working
     * directory), else of ImageJ's folder.
     */
    static BundledModels bundledModels() {
        String models = System.getProperty("medseg.models");
        if (models != null) {
            return new BundledModels(Path.of(models));
        }
        String home = System.getProperty("medseg.home");
        if (home != null) {
            return new BundledModels(Path.of(home, "sample-scans", "models"));
        }
        Path installation = installationOfThePlugin();
        if (installation != null && Files.isDirectory(installation.resolve(MODELS_FOLDER))) {
            return new BundledModels(installation.resolve(MODELS_FOLDER));
        }
        String imagej = IJ.getDirectory("imagej");
        return new BundledModels(Path.of(imagej == null ? "." : imagej, MODELS_FOLDER));
    }

    /** The folder holding {@code plugins/} (or {@code jars/}) with this plugin's jar, or null when it is not a jar there. */
    private static Path installationOfThePlugin() {
        try {
            Path jar = Path.of(CommandRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path folder = jar.getParent();
            boolean installed = Files.isRegularFile(jar) && folder != null && folder.getFileName() != null
                    && (folder.getFileName().toString().equals("plugins") || folder.getFileName().toString().equals("jars"));
            return installed ? folder.getParent() : null;
        } catch (URISyntaxException | SecurityException | NullPointerException | IllegalArgumentException e) {
            return null; // no code source to go by: ImageJ's own folder is used
        }
    }
}
