package io.medseg.core;

import ai.djl.Device;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.image.LabelMap;
import io.medseg.core.image.Volume;
import io.medseg.core.infer.NetworkPredictor;
import io.medseg.core.infer.SlidingWindow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * Segments scans with a model bundle: normalise as in training, sliding-window prediction with
 * Gaussian blending, argmax. The one entry point the command line and the Fiji plugin share.
 */
public final class Segmenter implements AutoCloseable {
    private final ModelBundle bundle;
    private final SlidingWindow window;

    public Segmenter(ModelBundle bundle, double overlap, int batchSize) {
        this.bundle = bundle;
        this.window = new SlidingWindow(ModelBundle.patchSizeXyz(bundle.config()), overlap, batchSize, true);
    }

    /** Loads a bundle with nnU-Net's default overlap of 0.5. */
    public static Segmenter load(Path bundlePath, Device device) throws IOException {
        return new Segmenter(ModelBundle.load(bundlePath, device), 0.5, 2);
    }

    public ModelConfig config() {
        return bundle.config();
    }

    /** Number of tiles {@link #segment} will predict for this scan (for progress bars). */
    public int tileCount(Volume scan) {
        return window.tileCount(scan.sizeXyz());
    }

    /**
     * @param progress told the number of tiles done (may be null)
     * @throws IllegalArgumentException if channels or dimensions do not match the model
     */
    public LabelMap segment(Volume scan, IntConsumer progress) {
        return LabelMap.wrap(SlidingWindow.argmax(probabilities(scan, progress), config().classes()), scan.sizeXyz(),
                scan.geometry(), config().labelNames());
    }

    /** Class probabilities, classes × voxels (x fastest). */
    public float[] probabilities(Volume scan, IntConsumer progress) {
        ModelConfig c = config();
        if (scan.channels() != c.inputChannels()) {
            throw new IllegalArgumentException("the model expects " + c.inputChannels() + " input channel(s), the image has "
                    + scan.channels());
        }
        if (scan.numDimensions() != c.patchSize().length) {
            throw new IllegalArgumentException("the model is " + c.patchSize().length + "D, the image is "
                    + scan.numDimensions() + "D");
        }
        return window.predict(c.intensity().normalize(scan), scan.sizeXyz(), scan.channels(), c.classes(),
                new NetworkPredictor(bundle), progress);
    }

    @Override
    public void close() {
        bundle.close();
    }
}
