package io.medseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.preprocess.ScanProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule of docs/commands.md ("Training domain") on the bundled models: silent on the committed
 * scans each was made for, a warning on mismatched pairs. The foreign phantoms are measured by
 * scripts/foreign-ct-comparison.sh (Python-generated, too slow for a unit test).
 */
class TrainingDomainOfBundledModelsTest {
    private static final Path MODELS = Path.of("../sample-scans/models");
    private static final Path DATA = Path.of("../sample-scans/data");

    private static ModelConfig model(String name) throws IOException {
        return ModelBundle.readConfig(MODELS.resolve(name));
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }

    private static String warning(ModelConfig model, Path scan) throws IOException {
        return model.domainWarning(ScanProfile.of(ScanFiles.readImage(scan)));
    }

    @Test
    void theToothRootBundleRecordsTheDomainOfItsCommittedTrainingSet() throws Exception {
        // the CT bundles' training sets are generated (scripts/train-ct-model.sh compares theirs)
        Gson gson = new Gson();
        assertEquals(gson.toJson(DatasetDomain.of(Dataset.open(DATA.resolve("Dataset001_ToothRoot")))),
                gson.toJson(model("tooth-root-unet2d").domain()));
    }

    @Test
    void everyBundledModelIsSilentOnTheCommittedScansItWasMadeFor() throws Exception {
        ModelConfig tooth = model("tooth-root-unet2d");
        for (Path scan : files(DATA.resolve("Dataset001_ToothRoot/imagesTs"))) {
            assertEquals("", warning(tooth, scan), scan.toString());
        }
        for (String name : List.of("abdomen-ct-unet3d", "abdomen-ct-vnet")) {
            ModelConfig ct = model(name);
            for (String set : List.of("imagesTr", "imagesTs")) {
                for (Path scan : files(DATA.resolve("Dataset002_AbdomenCT").resolve(set))) {
                    assertEquals("", warning(ct, scan), name + " on " + scan);
                }
            }
            Path dicom = DATA.resolve("AbdomenCT_DICOM");
            assertEquals("", ct.domainWarning(ScanProfile.of(ScanSources.find(dicom).get(0).load())), name + " on " + dicom);
        }
    }

    @Test
    void mismatchedPairsAreFlaggedNamingWhatDiffers() throws Exception {
        Path ct = DATA.resolve("Dataset002_AbdomenCT/imagesTs/ct_002_0000.nii.gz");
        String toothOnCt = warning(model("tooth-root-unet2d"), ct);
        assertTrue(toothOnCt.startsWith("unlike the model's training data: a volume; the model was trained on 2D images"),
                toothOnCt);
        assertTrue(toothOnCt.contains("spacing 3.22 × 3.22 mm (trained on 1 × 1 mm)"), toothOnCt);
        Path labels = DATA.resolve("Dataset002_AbdomenCT/labelsTs/ct_002.nii.gz");
        String ctOnLabels = warning(model("abdomen-ct-unet3d"), labels);
        assertTrue(ctOnLabels.matches("unlike the model's training data: intensities 0 and 1 at the 1st and 99th"
                + " percentiles \\(trained on -10\\d\\d to -10\\d\\d and \\d+–\\d+\\); check the mask"), ctOnLabels);
        Path radiograph = DATA.resolve("Dataset001_ToothRoot/imagesTs/case_024_0000.png");
        assertTrue(warning(model("abdomen-ct-vnet"), radiograph).contains("a 2D image; the model was trained on volumes"));
    }
}
