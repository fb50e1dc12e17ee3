package io.medseg.nnunet;

import ai.djl.nn.Block;
import com.google.gson.JsonObject;
import io.medseg.core.bundle.NetworkArchitecture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the networks of an imported nnU-Net v2 model as {@value #NAME}: arguments are an
 * {@link ImportedNnUNet}, the network a {@link FoldEnsemble} of the configuration's
 * PlainConvUNet or ResidualEncoderUNet, one per fold. Such bundles come from {@code medseg
 * import-nnunet}; this project does not train them from scratch.
 */
public final class ImportedNnUNetArchitecture implements NetworkArchitecture {
    public static final String NAME = "nnunet-v2";
    /** Where problems with the arguments are said to lie: build() is not told the bundle's path. */
    private static final Path ARGUMENTS = Path.of("model.json arguments");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean trainsFromScratch() {
        return false;
    }

    @Override
    public boolean bringsOwnPipeline() {
        return true; // NnUNetModel: nnU-Net's cropping, normalisation, resampling and sliding window
    }

    @Override
    public JsonObject defaultArguments() {
        throw new IllegalArgumentException(NAME + " networks come from an nnU-Net model folder (medseg import-nnunet), "
                + "not from a recipe; they are not trained from scratch here");
    }

    @Override
    public Block build(JsonObject arguments, int inputChannels, int classes) {
        ImportedNnUNet imported = parse(arguments);
        NnUNetArchitecture architecture = architecture(imported);
        List<Block> networks = new ArrayList<>();
        for (int i = 0; i < imported.folds().size(); i++) {
            networks.add(NnUNetNetwork.build(architecture, classes).block());
        }
        return new FoldEnsemble(imported.folds(), networks);
    }

    @Override
    public int spatialDims(JsonObject arguments) {
        return architecture(parse(arguments)).spatialDims();
    }

    @Override
    public int[] sizeDivisors(JsonObject arguments) {
        return architecture(parse(arguments)).sizeDivisors();
    }

    @Override
    public boolean normalisesPerInstance(JsonObject arguments) {
        return true; // nnU-Net's networks use instance norm (others are refused)
    }

    /** All folds: a forward pass of the ensemble runs each. */
    @Override
    public double forwardFlops(JsonObject arguments, int inputChannels, int classes, long[] sizeTensorOrder) {
        ImportedNnUNet imported = parse(arguments);
        return imported.folds().size() * architecture(imported).forwardFlops(inputChannels, classes, sizeTensorOrder);
    }

    private static ImportedNnUNet parse(JsonObject arguments) {
        try {
            return ImportedNnUNet.parse(arguments, ARGUMENTS);
        } catch (CheckpointException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static NnUNetArchitecture architecture(ImportedNnUNet imported) {
        try {
            JsonObject configuration = NnUNetModelFolder.configuration(imported.plans(), imported.configuration(),
                    Path.of("plans of the model.json arguments"));
            return NnUNetArchitecture.of(configuration, ARGUMENTS);
        } catch (CheckpointException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
