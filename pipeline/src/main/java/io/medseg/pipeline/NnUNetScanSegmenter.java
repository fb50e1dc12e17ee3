package io.medseg.pipeline;

import io.medseg.core.Segmenter;
import io.medseg.core.preprocess.ScanProfile;
import io.medseg.image.Geometry;
import io.medseg.image.Volume;
import io.medseg.nnunet.NnUNetModel;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * An nnU-Net v2 model (folder, zip or imported bundle) in a batch: each scan as nnU-Net's own
 * predictor segments it (its voxel order, its preprocessing, its sliding window and export), progress
 * counted in network runs. nnU-Net records no training domain, so scans are flagged only by an
 * imported bundle that {@code medseg domain --record-from} gave one.
 */
public final class NnUNetScanSegmenter implements ScanSegmenter {
    private final NnUNetModel model;
    private final double stepSize;
    private final boolean mirror;

    /**
     * @param stepSize nnU-Net's tile_step_size (1 − overlap; 0.5 by default)
     * @param mirror average over the mirror axes the checkpoints allow (nnU-Net's default)
     */
    public NnUNetScanSegmenter(NnUNetModel model, double stepSize, boolean mirror) {
        this.model = model;
        this.stepSize = stepSize;
        this.mirror = mirror;
    }

    @Override
    public int inputChannels() {
        return model.inputChannels();
    }

    @Override
    public int dims() {
        return model.architecture().spatialDims();
    }

    @Override
    public Map<Integer, String> labels() {
        return model.labelNames();
    }

    @Override
    public boolean fileVoxelOrder() {
        return true;
    }

    @Override
    public String domainWarning(Volume scan) {
        return model.bundleConfig().map(c -> c.domainWarning(ScanProfile.of(scan))).orElse("");
    }

    @Override
    public long tileCount(long[] sizeXyz, int channels, Geometry geometry) {
        return model.networkRuns(sizeXyz, geometry.spacingMm(), stepSize, mirror);
    }

    @Override
    public long tileCount(Volume scan) {
        return tileCount(scan.sizeXyz(), scan.channels(), scan.geometry());
    }

    @Override
    public Segmenter.Segmentation segment(Volume scan, IntConsumer progress, boolean keepProbabilities,
            Consumer<String> say) {
        NnUNetModel.Prediction p = model.predict(scan, stepSize, mirror, keepProbabilities, progress);
        Volume probabilities = keepProbabilities
                ? Volume.wrap(p.probabilities(), scan.sizeXyz(), model.classes(), scan.geometry()) : null;
        return new Segmenter.Segmentation(p.mask(), probabilities, "");
    }
}
