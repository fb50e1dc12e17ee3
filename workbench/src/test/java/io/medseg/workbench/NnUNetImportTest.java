package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static io.medseg.workbench.NnUNetCommandTest.CT_LABELS;
import static io.medseg.workbench.NnUNetCommandTest.CT_MODEL;
import static io.medseg.workbench.NnUNetCommandTest.FIXTURES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.PlainImages;
import io.medseg.io.nifti.Nifti;
import io.medseg.samples.ToothRootDataset;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code medseg import-nnunet}: the fixture script's nnU-Net models as bundles, which segment as
 * the folders do (against the masks nnU-Net's own predictor wrote), carry their provenance, hold no
 * pickle, and are refused where this project's own pipeline would prepare scans differently.
 */
class NnUNetImportTest {
    static final Path CT_IMAGES = FIXTURES.resolve("test_images/Dataset991_TinyCT/images");
    static final Path RESENC_MODEL = FIXTURES.resolve(
            "nnUNet_results/Dataset991_TinyCT/nnUNetTrainer_Fixture__nnUNetResEncUNetTinyPlans__3d_fullres");

    @Test
    void theBundleSegmentsAsNnUNetDid(@TempDir Path tmp) throws Exception {
        for (var model : Map.of("ct3d_plain", CT_MODEL, "ct3d_resenc", RESENC_MODEL).entrySet()) {
            Path bundle = tmp.resolve(model.getKey() + "-bundle");
            CommandLineTest.Run imported = medseg("import-nnunet", model.getValue().toString(), "--output", bundle.toString());
            assertEquals(0, imported.code(), imported.err());
            assertTrue(imported.out().contains("(3d_fullres, folds 0, 1, checkpoint_final.pth)"), imported.out());

            Path masks = tmp.resolve(model.getKey() + "-masks");
            CommandLineTest.Run run = medseg("segment", "--model", bundle.toString(), "--input", CT_IMAGES.toString(),
                    "--output", masks.toString(), "--save-probabilities", "--device", "cpu");
            assertEquals(0, run.code(), run.err());
            assertTrue(run.err().contains("(nnU-Net v2 imported, " + (model.getKey().endsWith("resenc")
                    ? "ResidualEncoderUNet" : "PlainConvUNet") + ", folds 0, 1, checkpoint_final.pth, mirroring on)"),
                    run.err());
            Path direct = tmp.resolve(model.getKey() + "-direct");
            assertEquals(0, medseg("segment", "--model", model.getValue().toString(), "--input", CT_IMAGES.toString(),
                    "--output", direct.toString(), "--save-probabilities", "--device", "cpu").code());
            for (String c : new String[] {"case_000", "case_001", "case_002"}) {
                LabelMap theirs = Nifti.readLabels(FIXTURES.resolve("predictions/" + model.getKey() + "/folds01_mirror/"
                        + c + ".nii.gz"), CT_LABELS);
                LabelMap ours = Nifti.readLabels(masks.resolve(c + ".nii.gz"), CT_LABELS);
                assertArrayEquals(theirs.data(), ours.data(), model.getKey() + " " + c);
                assertNull(theirs.geometry().mismatch(ours.geometry()), c + ": on the scan's own grid");
                Volume fromBundle = Nifti.readVolume(masks.resolve(c + "_probabilities.nii.gz"));
                Volume fromFolder = Nifti.readVolume(direct.resolve(c + "_probabilities.nii.gz"));
                assertArrayEquals(fromFolder.data(), fromBundle.data(), c + ": the same probabilities as the folder");
            }
        }
        // one fold without mirroring, chosen from the bundle
        Path bundle = tmp.resolve("ct3d_plain-bundle");
        Path fold0 = tmp.resolve("fold0");
        CommandLineTest.Run one = medseg("segment", "--model", bundle.toString(), "--folds", "0", "--disable-tta",
                "--input", CT_IMAGES.toString(), "--output", fold0.toString(), "--device", "cpu");
        assertEquals(0, one.code(), one.err());
        assertArrayEquals(Nifti.readLabels(FIXTURES.resolve("predictions/ct3d_plain/fold0_nomirror/case_001.nii.gz"),
                CT_LABELS).data(), Nifti.readLabels(fold0.resolve("case_001.nii.gz"), CT_LABELS).data());
    }

    @Test
    void aZipImportsAndTheBundleRunsIn2d(@TempDir Path tmp) throws Exception {
        Path zip = FIXTURES.resolve("model_zips/Dataset992_Tiny2D__nnUNetTrainer_Fixture__nnUNetPlansTiny__2d.zip");
        Path bundle = tmp.resolve("tiny2d");
        assertEquals(0, medseg("import-nnunet", zip.toString(), "--output", bundle.toString()).code());
        Path masks = tmp.resolve("masks");
        CommandLineTest.Run run = medseg("segment", "--model", bundle.toString(), "--input",
                FIXTURES.resolve("test_images/Dataset992_Tiny2D/images").toString(), "--output", masks.toString());
        assertEquals(0, run.code(), run.err());
        Map<Integer, String> labels = Map.of(0, "background", 1, "disc", 2, "bar");
        for (String c : new String[] {"case_000", "case_001", "case_002"}) {
            assertArrayEquals(PlainImages.readLabels(FIXTURES.resolve("predictions/tiny2d_plain/folds01_mirror/" + c
                    + ".png"), labels).data(), PlainImages.readLabels(masks.resolve(c + ".png"), labels).data(), c);
        }
    }

    @Test
    void theBundleRecordsWhereItCameFromAndHoldsNoPickle(@TempDir Path tmp) throws Exception {
        Path bundle = tmp.resolve("b");
        assertEquals(0, medseg("import-nnunet", CT_MODEL.toString(), "--output", bundle.toString(), "--folds", "1",
                "--checkpoint", "final").code());
        try (Stream<Path> s = Files.list(bundle)) {
            assertEquals(List.of(ModelBundle.CONFIG_FILE, ModelBundle.PARAMETERS_FILE),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "no checkpoint or pickle copied");
        }
        ModelConfig c = ModelBundle.readConfig(bundle);
        assertEquals("nnunet-v2", c.architecture());
        assertEquals(CT_LABELS, c.labels());
        Map<String, String> p = c.provenance();
        assertEquals(CT_MODEL.toAbsolutePath().normalize().toString(), p.get("nnunet_source"));
        assertEquals("nnUNetTrainer_Fixture", p.get("nnunet_trainer"));
        assertEquals("nnUNetPlansTiny", p.get("nnunet_plans"));
        assertEquals("3d_fullres", p.get("nnunet_configuration"));
        assertEquals("1", p.get("nnunet_folds"));
        assertEquals(sha256(CT_MODEL.resolve("fold_1/checkpoint_final.pth")), p.get("nnunet_fold_1_sha256"));
        assertFalse(p.containsKey("nnunet_fold_0_sha256"));
        // plans.json's content in model.json, nulls included (nnU-Net reads a null otherwise than a missing key)
        assertEquals(com.google.gson.JsonParser.parseString(Files.readString(CT_MODEL.resolve("plans.json"))),
                com.google.gson.JsonParser.parseString(c.arguments().get("plans").getAsString()));
        assertTrue(c.arguments().get("plans").getAsString().contains("\"force_separate_z\":null"));

        CommandLineTest.Run info = medseg("info", bundle.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("nnunet-v2") && info.out().contains("nnunet_fold_1_sha256"), info.out());
    }

    @Test
    void explainShowsTheFirstFoldOnNnUNetsPreprocessedInput(@TempDir Path tmp) throws Exception {
        Path bundle = tmp.resolve("b");
        assertEquals(0, medseg("import-nnunet", CT_MODEL.toString(), "--output", bundle.toString()).code());
        Path out = tmp.resolve("explained");
        CommandLineTest.Run run = medseg("explain", "--model", bundle.toString(), "--image",
                CT_IMAGES.resolve("case_001_0000.nii.gz").toString(), "--output", out.toString(), "--maximise", "none");
        assertEquals(0, run.code(), run.err());
        String page = Files.readString(out.resolve("index.html"));
        assertTrue(page.contains("along nnU-Net's first axis (after its crop, transpose and resampling"), page);
        for (String png : new String[] {"filters.png", "probabilities.png", "activations_bottleneck.png"}) {
            assertTrue(Files.size(out.resolve(png)) > 0, png);
        }
        // the page names the slice of how many: nnU-Net's preprocessed array, not the file's slices
        ModelConfig c = ModelBundle.readConfig(bundle);
        Volume scan = Nifti.readVolume(CT_IMAGES.resolve("case_001_0000.nii.gz"));
        int[] shape = io.medseg.nnunet.NnUNetModel.preprocess(c, bundle, scan).shape();
        assertTrue(page.contains("slice " + shape[0] / 2 + " of " + shape[0] + " along"), page);
    }

    @Test
    void refusalsNameTheProblemAndChangeNothing(@TempDir Path tmp) throws Exception {
        Path bundle = tmp.resolve("b");
        assertEquals(0, medseg("import-nnunet", CT_MODEL.toString(), "--output", bundle.toString()).code());
        byte[] before = Files.readAllBytes(bundle.resolve(ModelBundle.PARAMETERS_FILE));

        CommandLineTest.Run again = medseg("import-nnunet", RESENC_MODEL.toString(), "--output", bundle.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains(bundle.toString()) && again.err().contains("exists"), again.err());
        assertArrayEquals(before, Files.readAllBytes(bundle.resolve(ModelBundle.PARAMETERS_FILE)));

        Path out = tmp.resolve("out");
        CommandLineTest.Run fold = medseg("segment", "--model", bundle.toString(), "--folds", "3", "--input",
                CT_IMAGES.toString(), "--output", out.toString());
        assertEquals(1, fold.code());
        assertTrue(fold.err().contains(bundle + ": no fold 3 (the bundle holds folds 0, 1)"), fold.err());
        CommandLineTest.Run best = medseg("segment", "--model", bundle.toString(), "--checkpoint", "best", "--input",
                CT_IMAGES.toString(), "--output", out.toString());
        assertEquals(1, best.code());
        assertTrue(best.err().contains("--checkpoint is for nnU-Net model folders"), best.err());
        assertFalse(Files.exists(out), "nothing written");

        Path hostile = tmp.resolve("hostile");
        CommandLineTest.Run pickle = medseg("import-nnunet", FIXTURES.resolve("broken/malicious_os_system").toString(),
                "--output", hostile.toString());
        assertEquals(1, pickle.code());
        assertTrue(pickle.err().contains("the pickle names posix.system"), pickle.err());
        assertFalse(Files.exists(hostile));

        Path dataset = tmp.resolve("Dataset900_Tiny");
        ToothRootDataset.write(dataset, 99, 4, 2, 64, 48);
        CommandLineTest.Run fineTune = medseg("train", "--data", dataset.toString(), "--output",
                tmp.resolve("child").toString(), "--init-from", bundle.toString(), "--epochs", "1");
        assertEquals(1, fineTune.code());
        assertTrue(fineTune.err().contains("the model takes 1 channel(s)") || fineTune.err().contains("a 2D image"),
                fineTune.err());
        assertFalse(Files.exists(tmp.resolve("child")));
        CommandLineTest.Run scratch = medseg("train", "--data", dataset.toString(), "--output",
                tmp.resolve("new").toString(), "--arch", "nnunet-v2", "--epochs", "1");
        assertEquals(1, scratch.code());
        assertTrue(scratch.err().contains("not trained from scratch here"), scratch.err());
    }

    /**
     * Fine-tuning an imported model: cases prepared by nnU-Net's preprocessing, the parent's first
     * fold as the network. With a learning rate of 1e-20 the child keeps fold 0's weights (a step
     * moves none by a float32 ulp, but for exact zeros, by 1e-20), so it must segment as nnU-Net's
     * fold 0 did; trained at the default rate, its weights must differ.
     */
    @Test
    void anImportedModelFineTunesIntoABundleThatSegmentsThroughNnUNetsPipeline(@TempDir Path tmp) throws Exception {
        Path bundle = tmp.resolve("imported");
        assertEquals(0, medseg("import-nnunet", CT_MODEL.toString(), "--output", bundle.toString()).code());
        Path data = tmp.resolve("Dataset901_Tune");
        Files.createDirectories(data.resolve("imagesTr"));
        Files.createDirectories(data.resolve("labelsTr"));
        for (String c : new String[] {"case_000", "case_001", "case_002"}) {
            Files.copy(CT_IMAGES.resolve(c + "_0000.nii.gz"), data.resolve("imagesTr/" + c + "_0000.nii.gz"));
            Files.copy(CT_IMAGES.resolveSibling("reference_labels/" + c + ".nii.gz"),
                    data.resolve("labelsTr/" + c + ".nii.gz"));
        }
        Files.copy(FIXTURES.resolve("plans/Dataset991_TinyCT/raw_dataset.json"), data.resolve("dataset.json"));

        Path kept = tmp.resolve("kept");
        CommandLineTest.Run still = medseg("train", "--data", data.toString(), "--output", kept.toString(),
                "--init-from", bundle.toString(), "--lr", "1e-20", "--epochs", "1", "--iterations", "2",
                "--device", "cpu");
        assertEquals(0, still.code(), still.err());
        assertTrue(still.out().contains("cases prepared by nnU-Net's preprocessing") || still.err().contains(
                "cases prepared by nnU-Net's preprocessing"), still.out() + still.err());
        ModelConfig c = ModelBundle.readConfig(kept);
        assertEquals("nnunet-v2", c.architecture());
        assertEquals("[\"0\"]", c.arguments().get("folds").toString());
        assertEquals("head kept", c.provenance().get("parent_head"));
        // every parameter but the head's weight and bias, which are carried over label by label
        java.util.regex.Matcher copied = java.util.regex.Pattern.compile("(\\d+) of (\\d+) parameters")
                .matcher(c.provenance().get("parent_copied"));
        assertTrue(copied.matches() && Integer.parseInt(copied.group(1)) == Integer.parseInt(copied.group(2)) - 2,
                c.provenance().get("parent_copied"));
        Path masks = tmp.resolve("kept-masks");
        CommandLineTest.Run run = medseg("segment", "--model", kept.toString(), "--disable-tta", "--input",
                CT_IMAGES.toString(), "--output", masks.toString(), "--device", "cpu");
        assertEquals(0, run.code(), run.err());
        assertArrayEquals(Nifti.readLabels(FIXTURES.resolve("predictions/ct3d_plain/fold0_nomirror/case_001.nii.gz"),
                CT_LABELS).data(), Nifti.readLabels(masks.resolve("case_001.nii.gz"), CT_LABELS).data(),
                "fold 0 kept segments as nnU-Net's fold 0");

        Path tuned = tmp.resolve("tuned");
        CommandLineTest.Run train = medseg("train", "--data", data.toString(), "--output", tuned.toString(),
                "--init-from", bundle.toString(), "--epochs", "1", "--iterations", "2", "--device", "cpu");
        assertEquals(0, train.code(), train.err());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(kept.resolve(ModelBundle.PARAMETERS_FILE)),
                Files.readAllBytes(tuned.resolve(ModelBundle.PARAMETERS_FILE))), "training changed the weights");
        CommandLineTest.Run tunedRun = medseg("segment", "--model", tuned.toString(), "--input", CT_IMAGES.toString(),
                "--output", tmp.resolve("tuned-masks").toString(), "--device", "cpu");
        assertEquals(0, tunedRun.code(), tunedRun.err());
        LabelMap mask = Nifti.readLabels(tmp.resolve("tuned-masks/case_002.nii.gz"), CT_LABELS);
        assertNull(Nifti.readVolume(CT_IMAGES.resolve("case_002_0000.nii.gz")).geometry().mismatch(mask.geometry()),
                "on the scan's own grid (a permuted, flipped file)");
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
