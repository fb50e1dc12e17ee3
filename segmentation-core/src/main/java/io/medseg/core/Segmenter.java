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
        long[] size = scan.sizeXyz();
        int dims = config().patchSize().length;
        return window.tileCount(java.util.Arrays.copyOf(size, dims)) * (int) slices(scan);
    }

    /**
     * @param progress told the number of tiles done (may be null)
     * @throws IllegalArgumentException if channels or dimensions do not match the model
     */
    public LabelMap segment(Volume scan, IntConsumer progress) {
        return LabelMap.wrap(SlidingWindow.argmax(probabilities(scan, progress), config().classes()), scan.sizeXyz(),
                scan.geometry(), config().labelNames());
    }

    /**
     * Class probabilities, classes × voxels (x fastest). A 2D network segments a 3D scan slice by
     * slice (as nnU-Net's 2D configuration does).
     */
    public float[] probabilities(Volume scan, IntConsumer progress) {
        ModelConfig c = config();
        if (scan.channels() != c.inputChannels()) {
            throw new IllegalArgumentException("the model expects " + c.inputChannels() + " input channel(s), the image has "
                    + scan.channels());
        }
        long slices = slices(scan);
        float[] normalized = c.intensity().normalize(scan);
        if (slices == 1) {
            return window.predict(normalized, java.util.Arrays.copyOf(scan.sizeXyz(), c.patchSize().length),
                    scan.channels(), c.classes(), new NetworkPredictor(bundle), progress);
        }
        long[] size = scan.sizeXyz();
        int plane = (int) (size[0] * size[1]);
        int voxels = (int) (plane * slices);
        float[] out = new float[c.classes() * voxels];
        float[] slice = new float[plane * scan.channels()];
        int tilesPerSlice = window.tileCount(new long[] {size[0], size[1]});
        for (int z = 0; z < slices; z++) {
            for (int ch = 0; ch < scan.channels(); ch++) {
                System.arraycopy(normalized, ch * voxels + z * plane, slice, ch * plane, plane);
            }
            int done = z * tilesPerSlice;
            float[] p = window.predict(slice, new long[] {size[0], size[1]}, scan.channels(), c.classes(),
                    new NetworkPredictor(bundle), progress == null ? null : t -> progress.accept(done + t));
            for (int k = 0; k < c.classes(); k++) {
                System.arraycopy(p, k * plane, out, k * voxels + z * plane, plane);
            }
        }
        return out;
    }

    /** 1 if the scan has the network's dimensions, else its number of slices (2D network on 3D scan). */
    private long slices(Volume scan) {
        int dims = config().patchSize().length;
        int n = scan.numDimensions();
        if (n == dims) {
            return 1;
        }
        if (dims == 2 && n == 3) {
            return scan.sizeXyz()[2];
        }
        throw new IllegalArgumentException("the model is " + dims + "D, the image is " + n + "D");
    }

    @Override
    public void close() {
        bundle.close();
    }
}
