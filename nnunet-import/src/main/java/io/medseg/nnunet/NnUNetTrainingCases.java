package io.medseg.nnunet;

import com.google.gson.JsonObject;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.train.TrainingCase;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fine-tuning an imported nnU-Net model (a bundle of {@code medseg import-nnunet}): training cases
 * prepared as nnU-Net's preprocessor prepares them for its trainer, in the file's voxel order after
 * {@code transpose_forward}, cropped, normalised and resampled, the labels by {@code
 * resampling_fn_seg}, so the network learns from what {@link NnUNetModel} feeds it when it segments;
 * and the network the run makes, the parent's first fold alone with the dataset's labels, which
 * segments through nnU-Net's pipeline as the parent does.
 *
 * <p>A case's arrays (channels, s0, s1, s2) in nnU-Net's order become a volume of {@code sizeXyz =
 * (s2, s1, s0)}, whose tensor is nnU-Net's array again, with the configuration's spacing and no
 * position (the training loop needs neither orientation nor origin).
 */
public final class NnUNetTrainingCases {
    private final ImportedNnUNet imported;
    private final NnUNetPlan plan;
    private final NnUNetPlan.Resampling segmentation;
    private final int dims;
    private final int inputChannels;
    private final Path source;

    private NnUNetTrainingCases(ImportedNnUNet imported, NnUNetPlan plan, NnUNetPlan.Resampling segmentation, int dims,
            int inputChannels, Path source) {
        this.imported = imported;
        this.plan = plan;
        this.segmentation = segmentation;
        this.dims = dims;
        this.inputChannels = inputChannels;
        this.source = source;
    }

    /**
     * @param parent the imported bundle's config
     * @param path the bundle, named in messages
     * @throws CheckpointException naming the bundle's model.json for arguments it cannot prepare cases for
     */
    public static NnUNetTrainingCases of(ModelConfig parent, Path path) throws CheckpointException {
        Path modelJson = path.resolve(ModelBundle.CONFIG_FILE);
        return of(ImportedNnUNet.parse(parent.arguments(), modelJson), modelJson);
    }

    /** @param modelJson where the arguments come from, named in messages */
    static NnUNetTrainingCases of(ImportedNnUNet imported, Path modelJson) throws CheckpointException {
        NnUNetModel.Contract c = NnUNetModel.contract(imported.plans(), imported.dataset(), imported.configuration(),
                modelJson, modelJson);
        return new NnUNetTrainingCases(imported, c.plan(), NnUNetPlan.segmentation(c.configuration(), modelJson),
                c.architecture().spatialDims(), c.inputChannels(), modelJson);
    }

    /** The configuration's dimensionality. */
    public int dims() {
        return dims;
    }

    /** The fold the fine-tuned network starts from: the parent's first. */
    public String fold() {
        return imported.folds().get(0);
    }

    /**
     * A labelled scan as nnU-Net's trainer gets it: one case for a 3D configuration, one per slice
     * along nnU-Net's first axis (named {@code ID#K}) for a 2D one.
     *
     * @param image as its file holds it (not reoriented: nnU-Net works in the file's voxel order)
     * @param labels on the image's grid
     */
    public List<TrainingCase> cases(String id, Volume image, LabelMap labels) {
        NnUNetModel.checkScan(image, dims, inputChannels);
        TrainingCase.checkSameSize(id, image, labels);
        long[] size = image.sizeXyz();
        NnUNetPreprocessor.PreprocessedCase p = NnUNetPreprocessor.runWithLabels(image.data(), labels.data(),
                inputChannels, NnUNetModel.nnUNetShape(size), NnUNetModel.nnUNetSpacing(size, image.geometry().spacingMm()),
                plan, segmentation, dims);
        int[] s = p.image().shape();
        double[] t = NnUNetPreprocessor.targetSpacing(plan, p.image().properties().spacingTransposed(), dims);
        Map<Integer, String> names = labels.labelNames();
        if (dims == 3) {
            long[] sizeXyz = {s[2], s[1], s[0]};
            Geometry g = unplaced(new double[] {t[2], t[1], t[0]});
            return List.of(TrainingCase.prepared(id, Volume.wrap(p.image().data(), sizeXyz, inputChannels, g),
                    LabelMap.wrap(p.labels(), sizeXyz, g, names), 0f));
        }
        // nnU-Net's 2D trainer samples slices of the first axis; padding is 0 in its data loader
        int plane = s[1] * s[2];
        int n = s[0] * plane;
        long[] sizeXyz = {s[2], s[1]};
        Geometry g = unplaced(new double[] {t[2], t[1]});
        List<TrainingCase> out = new ArrayList<>();
        for (int d = 0; d < s[0]; d++) {
            float[] slice = new float[inputChannels * plane];
            for (int c = 0; c < inputChannels; c++) {
                System.arraycopy(p.image().data(), c * n + d * plane, slice, c * plane, plane);
            }
            byte[] sliceLabels = Arrays.copyOfRange(p.labels(), d * plane, (d + 1) * plane);
            String name = s[0] == 1 ? id : id + "#" + d;
            out.add(TrainingCase.prepared(name, Volume.wrap(slice, sizeXyz, inputChannels, g),
                    LabelMap.wrap(sliceLabels, sizeXyz, g, names), 0f));
        }
        return out;
    }

    private static Geometry unplaced(double[] spacing) {
        int n = spacing.length;
        double[] direction = new double[n * n];
        for (int k = 0; k < n; k++) {
            direction[k * n + k] = 1;
        }
        return new Geometry(spacing, new double[n], direction);
    }

    /** The case's x, y or z axis that nnU-Net's anisotropy rule calls low resolution (3D), or null. */
    public Integer lowResolutionAxis() {
        if (dims != 3) {
            return null;
        }
        double[] t = plan.spacing();
        int coarse = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int k = 0; k < 3; k++) {
            coarse = t[k] > t[coarse] ? k : coarse;
            min = Math.min(min, t[k]);
        }
        return t[coarse] / min > NnUNetResampling.ANISOTROPY ? 2 - coarse : null;
    }

    /**
     * The arguments of the network a fine-tuning run makes: the parent's configuration, plans and
     * mirror axes, its first fold alone, and dataset.json's labels replaced by {@code labels} (value
     * to name, 0 the background), so the bundle segments through nnU-Net's pipeline with them.
     *
     * @throws IllegalArgumentException when the labels are not 0..n-1, as nnU-Net requires
     */
    public JsonObject childArguments(Map<Integer, String> labels) {
        Map<Integer, String> sorted = new TreeMap<>(labels);
        int expected = 0;
        JsonObject json = new JsonObject();
        for (Map.Entry<Integer, String> e : sorted.entrySet()) {
            if (e.getKey() != expected++) {
                throw new IllegalArgumentException("labels " + sorted + ": an nnU-Net model's labels run 0..n-1 without "
                        + "gaps; renumber the dataset's labels");
            }
            json.addProperty(e.getValue(), e.getKey());
        }
        JsonObject dataset = imported.dataset().deepCopy();
        dataset.add("labels", json);
        return new ImportedNnUNet(imported.configuration(), List.of(fold()), imported.mirrorAxes(), imported.plans(),
                dataset).toJson();
    }

    @Override
    public String toString() {
        return "nnU-Net " + imported.configuration() + " (" + source + "), fold " + fold();
    }
}
