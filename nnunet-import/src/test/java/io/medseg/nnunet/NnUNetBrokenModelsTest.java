package io.medseg.nnunet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import io.medseg.image.Volume;
import io.medseg.io.PlainImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Model folders made broken or hostile by the fixture script (scripts/nnunet/make-fixtures.sh, from
 * real checkpoints), and the zip nnU-Net's own nnUNetv2_export_model_to_zip wrote.
 */
class NnUNetBrokenModelsTest {
    static final Path FIXTURES = NnUNetAgreementTest.FIXTURES;
    static final Path BROKEN = FIXTURES.resolve("broken");

    private static String refusal(String folder) {
        return assertThrows(CheckpointException.class, () -> NnUNetModel.load(BROKEN.resolve(folder), List.of(),
                NnUNetModelFolder.Checkpoint.FINAL, Device.cpu())).getMessage();
    }

    @Test
    void eachIsOneLineNamingTheFileAndNothingRuns() {
        Path marker = Path.of("/tmp/medseg-pwned");
        for (String hostile : List.of("malicious_os_system", "malicious_nested")) {
            assertEquals(BROKEN.resolve(hostile).resolve("fold_0/checkpoint_final.pth") + ": the pickle names posix.system,"
                    + " which a model checkpoint does not need; refused, nothing of it was run", refusal(hostile));
        }
        assertFalse(Files.exists(marker), "the payload's command did not run");
        assertEquals(BROKEN.resolve("truncated/fold_0/checkpoint_final.pth") + ": truncated or damaged: the zip archive "
                + "has no central directory", refusal("truncated"));
        assertEquals(BROKEN.resolve("shape_mismatch/fold_0/checkpoint_final.pth") + ": encoder.stages.0.0.convs.0.conv.weight"
                + " has shape (4, 2, 3, 3) in the checkpoint, (4, 1, 3, 3) in the network the plans describe",
                refusal("shape_mismatch"));
    }

    @Test
    void theExportedZipGivesTheFoldersMasks() throws Exception {
        Path zip = FIXTURES.resolve("model_zips/Dataset992_Tiny2D__nnUNetTrainer_Fixture__nnUNetPlansTiny__2d.zip");
        Path folder = NnUNetZip.extract(zip);
        Path original = FIXTURES.resolve("nnUNet_results/Dataset992_Tiny2D/nnUNetTrainer_Fixture__nnUNetPlansTiny__2d");
        Volume scan = PlainImages.readVolume(FIXTURES.resolve("test_images/Dataset992_Tiny2D/images/case_001_0000.png"));
        try (NnUNetModel fromZip = NnUNetModel.load(folder, List.of(), NnUNetModelFolder.Checkpoint.FINAL, Device.cpu());
                NnUNetModel fromFolder = NnUNetModel.load(original, List.of(), NnUNetModelFolder.Checkpoint.FINAL,
                        Device.cpu())) {
            assertEquals(2, fromZip.checkpoints().size(), "both folds");
            assertArrayEquals(fromFolder.segment(scan, 0.5, true).data(), fromZip.segment(scan, 0.5, true).data());
        }
    }

    @Test
    void theBestCheckpointIsTakenWhenAskedAndAFolderWithoutItSaysWhatItHas() throws Exception {
        Path twoD = FIXTURES.resolve("nnUNet_results/Dataset992_Tiny2D/nnUNetTrainer_Fixture__nnUNetPlansTiny__2d");
        // the fixture script kept checkpoint_best.pth of this model's fold 0 only: the folds found are those that have it
        try (NnUNetModel best = NnUNetModel.load(twoD, List.of(), NnUNetModelFolder.Checkpoint.BEST, Device.cpu())) {
            assertEquals(List.of(twoD.resolve("fold_0/checkpoint_best.pth")), best.checkpoints());
        }
        assertEquals(twoD.resolve("fold_1") + ": no checkpoint_best.pth (it has checkpoint_final.pth; choose the final "
                + "checkpoint)", assertThrows(CheckpointException.class,
                () -> NnUNetModel.load(twoD, List.of("0", "1"), NnUNetModelFolder.Checkpoint.BEST, Device.cpu()))
                .getMessage());
        Path ct = FIXTURES.resolve("nnUNet_results/Dataset991_TinyCT/nnUNetTrainer_Fixture__nnUNetPlansTiny__3d_fullres");
        assertEquals(ct + ": no fold_K folder holds checkpoint_best.pth (folds here: 0, 1)", assertThrows(
                CheckpointException.class, () -> NnUNetModel.load(ct, List.of(), NnUNetModelFolder.Checkpoint.BEST,
                        Device.cpu())).getMessage());
    }

    @Test
    void aTwoDimensionalImageIsRefusedByAThreeDimensionalModel() throws Exception {
        Path ct = FIXTURES.resolve("nnUNet_results/Dataset991_TinyCT/nnUNetTrainer_Fixture__nnUNetPlansTiny__3d_fullres");
        Volume png = PlainImages.readVolume(FIXTURES.resolve("test_images/Dataset992_Tiny2D/images/case_000_0000.png"));
        try (NnUNetModel model = NnUNetModel.load(ct, List.of("0"), NnUNetModelFolder.Checkpoint.FINAL, Device.cpu())) {
            assertEquals("a 2D image, and the model is a 3D nnU-Net configuration; give a volume",
                    assertThrows(IllegalArgumentException.class, () -> model.segment(png, 0.5, false)).getMessage());
        }
    }

    /** A reader that reorients (or takes spacing from elsewhere) would give the network other arrays than ours. */
    @Test
    void aReorientingImageReaderIsRefused(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path ct = FIXTURES.resolve("nnUNet_results/Dataset991_TinyCT/nnUNetTrainer_Fixture__nnUNetPlansTiny__3d_fullres");
        Path copy = tmp.resolve("nnUNetTrainer_Fixture__nnUNetPlansTiny__3d_fullres");
        Files.createDirectories(copy.resolve("fold_0"));
        Files.copy(ct.resolve("dataset.json"), copy.resolve("dataset.json"));
        Files.copy(ct.resolve("fold_0/checkpoint_final.pth"), copy.resolve("fold_0/checkpoint_final.pth"));
        Files.writeString(copy.resolve("plans.json"), Files.readString(ct.resolve("plans.json"))
                .replace("\"image_reader_writer\": \"NibabelIO\"", "\"image_reader_writer\": \"NibabelIOWithReorient\""));
        assertEquals(copy.resolve("plans.json") + ": image_reader_writer NibabelIOWithReorient is not supported (it reads "
                + "images otherwise than this project's readers; NaturalImage2DIO, NibabelIO, SimpleITKIO are)",
                assertThrows(CheckpointException.class, () -> NnUNetModel.load(copy, List.of(),
                        NnUNetModelFolder.Checkpoint.FINAL, Device.cpu())).getMessage());
    }
}
