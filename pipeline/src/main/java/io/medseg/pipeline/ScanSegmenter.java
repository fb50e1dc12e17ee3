package io.medseg.pipeline;

import io.medseg.core.Segmenter;
import io.medseg.core.preprocess.ScanProfile;
import io.medseg.image.Geometry;
import io.medseg.image.Volume;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * What a folder batch needs of a model: a bundle of this project ({@link #of(Segmenter)}) or an
 * nnU-Net model folder ({@link NnUNetScanSegmenter}) segment scans the same way to the batch.
 */
public interface ScanSegmenter {
    /** Input channels the model takes. */
    int inputChannels();

    /** 2 or 3: the model's dimensionality. */
    int dims();

    /** Label value → name, 0 = background. */
    Map<Integer, String> labels();

    /**
     * Whether the model must see scans in their file's voxel order (nnU-Net works so and never
     * reorients); a view shown in another order (Fiji's radiological view) is turned back first.
     */
    default boolean fileVoxelOrder() {
        return false;
    }

    /** The one-line training-domain warning for {@code scan}, or "" (also when the model records no domain). */
    String domainWarning(Volume scan);

    /** Progress units (tiles or network runs) a scan of this header takes. */
    long tileCount(long[] sizeXyz, int channels, Geometry geometry);

    /** Progress units for the scan itself (its voxels may say more than its header). */
    long tileCount(Volume scan);

    /**
     * The mask on the scan's grid, and the probabilities when asked for.
     *
     * @param progress told the units done so far
     * @param say told what the run had to change (a smaller tile after running out of memory), one line each
     */
    Segmenter.Segmentation segment(Volume scan, IntConsumer progress, boolean keepProbabilities, Consumer<String> say);

    /** A bundle's segmenter, with its memory fallback. */
    static ScanSegmenter of(Segmenter segmenter) {
        return new ScanSegmenter() {
            @Override
            public int inputChannels() {
                return segmenter.config().inputChannels();
            }

            @Override
            public int dims() {
                return segmenter.config().patchSize().length;
            }

            @Override
            public Map<Integer, String> labels() {
                return segmenter.config().labels();
            }

            @Override
            public String domainWarning(Volume scan) {
                return segmenter.config().domainWarning(ScanProfile.of(scan));
            }

            @Override
            public long tileCount(long[] sizeXyz, int channels, Geometry geometry) {
                return segmenter.tileCount(sizeXyz, channels, geometry);
            }

            @Override
            public long tileCount(Volume scan) {
                return segmenter.tileCount(scan);
            }

            @Override
            public Segmenter.Segmentation segment(Volume scan, IntConsumer progress, boolean keepProbabilities,
                    Consumer<String> say) {
                return MemoryFallback.segment(segmenter, scan, progress, keepProbabilities, say);
            }
        };
    }
}
