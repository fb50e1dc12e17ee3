package io.medseg.nnunet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import io.medseg.core.train.TrainingCase;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.PlainImages;
import io.medseg.io.nifti.Nifti;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fine-tuning an imported model trains on cases prepared as nnU-Net's preprocessor prepares them
 * for its trainer: against {@code run_case} with a segmentation (scripts/nnunet/fixtures.py
 * training-cases) on the fixture test images, whose spacings and orientations make it transpose,
 * crop and resample images and labels.
 */
class NnUNetTrainingCasesTest {
    private static final Path FIXTURES = NnUNetAgreementTest.FIXTURES;
    private static final Map<String, String> MODELS = Map.of(
            "ct3d_plain", "nnUNet_results/Dataset991_TinyCT/nnUNetTrainer_Fixture__nnUNetPlansTiny__3d_fullres",
            "ctzfirst3d_plain", "nnUNet_results/Dataset993_TinyCTZFirst/nnUNetTrainer_Fixture__nnUNetPlansTiny__3d_fullres",
            "tiny2d_plain", "nnUNet_results/Dataset992_Tiny2D/nnUNetTrainer_Fixture__nnUNetPlansTiny__2d");

    @Test
    void casesAreWhatNnUNetsPreprocessorGivesItsTrainer() throws Exception {
        int resampled = 0;
        for (var m : MODELS.entrySet()) {
            Path folder = FIXTURES.resolve(m.getValue());
            String dataset = folder.getParent().getFileName().toString();
            try (NnUNetModel model = NnUNetModel.load(folder, List.of("0"), NnUNetModelFolder.Checkpoint.FINAL,
                    Device.cpu())) {
                NnUNetTrainingCases prepare = NnUNetTrainingCases.of(model.imported(), folder.resolve("plans.json"));
                for (String id : List.of("case_000", "case_001", "case_002")) {
                    boolean png = m.getKey().startsWith("tiny2d");
                    String ending = png ? ".png" : ".nii.gz";
                    Path imageFile = FIXTURES.resolve("test_images/" + dataset + "/images/" + id + "_0000" + ending);
                    Path labelFile = FIXTURES.resolve("test_images/" + dataset + "/reference_labels/" + id + ending);
                    Volume image = png ? PlainImages.readVolume(imageFile) : Nifti.readVolume(imageFile);
                    LabelMap labels = png ? PlainImages.readLabels(labelFile, model.labelNames())
                            : Nifti.readLabels(labelFile, model.labelNames());
                    List<TrainingCase> cases = prepare.cases(id, image, labels);

                    Path golden = FIXTURES.resolve("training_cases/" + m.getKey());
                    Npy data = Npy.read(golden.resolve(id + "_data.npy"));
                    Npy seg = Npy.read(golden.resolve(id + "_seg.npy"));
                    long[] s = data.shape(); // (1, s0, s1, s2)
                    String what = m.getKey() + " " + id;
                    assertEquals(1, cases.size(), what + ": one case (a 2D image is one slice)");
                    TrainingCase c = cases.get(0);
                    assertArrayEquals(png ? new long[] {s[3], s[2]} : new long[] {s[3], s[2], s[1]}, c.sizeXyz(), what);
                    assertArrayEquals(data.values(), c.image(), what + ": the normalised, resampled image");
                    byte[] expected = new byte[seg.values().length];
                    for (int i = 0; i < expected.length; i++) {
                        // nnU-Net's -1 (background outside the non-zero region) is 0 for its trainer
                        expected[i] = (byte) Math.max(0, seg.values()[i]);
                    }
                    assertArrayEquals(expected, c.labels(), what + ": the labels on the network's grid");
                    assertEquals(0f, c.fillValue(), what + ": nnU-Net's data loader pads with 0");
                    boolean sameSize = image.sizeXyz()[0] * image.sizeXyz()[1] * (png ? 1 : image.sizeXyz()[2])
                            == expected.length;
                    resampled += sameSize ? 0 : 1;
                }
            }
        }
        assertTrue(resampled >= 2, "some cases must be resampled for the labels' resampling to be checked: " + resampled);
    }

    @Test
    void theFineTunedNetworkIsTheFirstFoldWithTheDatasetsLabels() throws Exception {
        Path folder = FIXTURES.resolve(MODELS.get("ct3d_plain"));
        try (NnUNetModel model = NnUNetModel.load(folder, List.of(), NnUNetModelFolder.Checkpoint.FINAL, Device.cpu())) {
            NnUNetTrainingCases prepare = NnUNetTrainingCases.of(model.imported(), folder.resolve("plans.json"));
            JsonObject child = prepare.childArguments(Map.of(0, "background", 1, "tumour"));
            ImportedNnUNet parsed = ImportedNnUNet.parse(child, folder);
            assertEquals(List.of("0"), parsed.folds());
            assertEquals("{\"background\":0,\"tumour\":1}", parsed.dataset().get("labels").toString());
            assertEquals(model.imported().plans(), parsed.plans());
            assertArrayEquals(model.mirrorAxes(), parsed.mirrorAxes());
            IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                    () -> prepare.childArguments(Map.of(0, "background", 2, "tumour")));
            assertTrue(gap.getMessage().contains("run 0..n-1 without gaps"), gap.getMessage());
            assertNull(prepare.lowResolutionAxis(), "3.05 x 1.51 x 1.51 mm: a ratio of 2 is not anisotropic for nnU-Net (3)");
        }
    }
}
