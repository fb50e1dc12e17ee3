package io.medseg.nnunet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder layout, fold discovery as nnU-Net's predictor does it, configuration inheritance, and the one-line errors. */
class NnUNetModelFolderTest {
    @TempDir
    Path tmp;
    Path model;

    @BeforeEach
    void folder() throws Exception {
        model = Files.createDirectories(tmp.resolve("Dataset991_TinyCT/nnUNetTrainer__nnUNetPlans__3d_cascade_fullres"));
        Files.writeString(model.resolve("dataset.json"), "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0,"
                + " \"liver\": 1}, \"file_ending\": \".nii.gz\"}");
        // as nnU-Net's planner writes a cascade: 3d_cascade_fullres inherits from 3d_fullres and overrides one entry
        Files.writeString(model.resolve("plans.json"), "{\"plans_name\": \"nnUNetPlans\", \"configurations\": {"
                + "\"3d_fullres\": {\"patch_size\": [24, 48, 48], \"batch_size\": 2, \"spacing\": [3.0, 1.5, 1.5]},"
                + "\"3d_cascade_fullres\": {\"inherits_from\": \"3d_fullres\", \"previous_stage\": \"3d_lowres\"}}}");
        for (String fold : List.of("0", "1", "all")) {
            Files.createDirectories(model.resolve("fold_" + fold));
            Files.writeString(model.resolve("fold_" + fold).resolve("checkpoint_final.pth"), "");
        }
        Files.createDirectories(model.resolve("fold_3"));
        Files.writeString(model.resolve("fold_3").resolve("checkpoint_best.pth"), "");
    }

    @Test
    void foldsAreFoundAsNnUNetFindsThemAndInheritanceIsResolved() throws Exception {
        NnUNetModelFolder f = NnUNetModelFolder.open(model);
        assertEquals("nnUNetTrainer", f.trainer());
        assertEquals("nnUNetPlans", f.plansName());
        assertEquals("3d_cascade_fullres", f.configurationName());
        assertEquals(List.of(0, 1), f.folds(NnUNetModelFolder.Checkpoint.FINAL), "fold_all is not among them");
        assertEquals(List.of(3), f.folds(NnUNetModelFolder.Checkpoint.BEST));
        JsonObject c = f.configuration(f.configurationName());
        assertEquals(2, c.get("batch_size").getAsInt(), "inherited");
        assertEquals("3d_lowres", c.get("previous_stage").getAsString(), "its own");
        assertEquals(List.of(model.resolve("fold_0/checkpoint_final.pth"), model.resolve("fold_1/checkpoint_final.pth")),
                f.checkpoints(List.of(), NnUNetModelFolder.Checkpoint.FINAL));
        assertEquals(List.of(model.resolve("fold_all/checkpoint_final.pth")),
                f.checkpoints(List.of("all"), NnUNetModelFolder.Checkpoint.FINAL));
        assertTrue(NnUNetModelFolder.looksLikeOne(model));
        assertFalse(NnUNetModelFolder.looksLikeOne(model.getParent()));
    }

    @Test
    void eachProblemIsOneLineNamingTheFolderOrFile() throws Exception {
        NnUNetModelFolder f = NnUNetModelFolder.open(model);
        assertEquals(model + ": no fold 4 (folds here: 0, 1, 3, all)", assertThrows(CheckpointException.class,
                () -> f.checkpoints(List.of("0", "4"), NnUNetModelFolder.Checkpoint.FINAL)).getMessage());
        assertEquals(model.resolve("fold_3") + ": no checkpoint_final.pth (it has checkpoint_best.pth; choose the best "
                + "checkpoint)", assertThrows(CheckpointException.class,
                () -> f.checkpoints(List.of("3"), NnUNetModelFolder.Checkpoint.FINAL)).getMessage());

        Files.delete(model.resolve("plans.json"));
        assertTrue(assertThrows(CheckpointException.class, () -> NnUNetModelFolder.open(model)).getMessage()
                .startsWith(model + ": no plans.json, so not an nnU-Net v2 trained-model folder"));

        Path renamed = Files.createDirectories(tmp.resolve("my_model"));
        Files.writeString(renamed.resolve("plans.json"), "{\"configurations\": {}}");
        Files.writeString(renamed.resolve("dataset.json"), "{}");
        assertEquals(null, NnUNetModelFolder.open(renamed).configurationName(), "a renamed folder: the checkpoints say");

        Path other = Files.createDirectories(tmp.resolve("nnUNetTrainer__nnUNetPlans__2d"));
        Files.writeString(other.resolve("plans.json"), "{\"configurations\": {\"3d_fullres\": {}}}");
        Files.writeString(other.resolve("dataset.json"), "{}");
        assertEquals(other.resolve("plans.json") + ": no configuration \"2d\" (it has 3d_fullres)",
                assertThrows(CheckpointException.class, () -> NnUNetModelFolder.open(other)).getMessage());

        Files.writeString(other.resolve("plans.json"), "{\"configurations\": ");
        assertTrue(assertThrows(CheckpointException.class, () -> NnUNetModelFolder.open(other)).getMessage()
                .startsWith(other.resolve("plans.json") + ": not valid JSON"));
    }

    @Test
    void mirrorAxesAreTheCheckpointsAndNoneMeansNoMirroring() throws Exception {
        // what nnU-Net's trainers save: a tuple, or None (the NoMirroring variants); older checkpoints lack the key
        assertArrayEquals(new int[] {0, 1, 2}, NnUNetModel.mirrorAxes(null,
                java.util.Map.of("inference_allowed_mirroring_axes", new Object[] {0, 1, 2})));
        java.util.Map<String, Object> none = new java.util.HashMap<>();
        none.put("inference_allowed_mirroring_axes", null);
        assertArrayEquals(new int[0], NnUNetModel.mirrorAxes(null, none));
        assertArrayEquals(new int[0], NnUNetModel.mirrorAxes(null, java.util.Map.of()));
    }

    /** nnU-Net's resample_data_or_seg_to_shape: force_separate_z=False unless the plans say; None decides per image. */
    @Test
    void aMissingForceSeparateZIsFalseAndNullDecidesPerImage() throws Exception {
        Path file = Path.of("src/test/resources/nnunet/fixtures/plans/Dataset991_TinyCT/nnUNetPlansTiny.json");
        JsonObject plans = com.google.gson.JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        JsonObject configuration = NnUNetModelFolder.configuration(plans, "3d_fullres", file);
        assertEquals(null, NnUNetPlan.of(plans, configuration, 1, file).data().forceSeparateZ(), "null as written");
        configuration.getAsJsonObject("resampling_fn_data_kwargs").remove("force_separate_z");
        assertEquals(Boolean.FALSE, NnUNetPlan.of(plans, configuration, 1, file).data().forceSeparateZ(), "missing");
    }
}
