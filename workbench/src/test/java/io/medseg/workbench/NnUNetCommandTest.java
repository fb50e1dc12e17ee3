package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.image.LabelMap;
import io.medseg.io.PlainImages;
import io.medseg.io.nifti.Nifti;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code medseg segment} and {@code info} with the nnU-Net v2 model folders and zip of the fixture
 * script (scripts/nnunet/make-fixtures.sh), against the masks nnU-Net's own predictor wrote.
 */
class NnUNetCommandTest {
    static final Path FIXTURES = Path.of("../nnunet-import/src/test/resources/nnunet/fixtures");
    static final Path CT_MODEL = FIXTURES.resolve(
            "nnUNet_results/Dataset991_TinyCT/nnUNetTrainer_Fixture__nnUNetPlansTiny__3d_fullres");
    static final Map<Integer, String> CT_LABELS = Map.of(0, "background", 1, "liver-like", 2, "kidney-like");

    @Test
    void segmentWritesNnUNetsMasksOnTheScansGrid(@TempDir Path tmp) throws Exception {
        Path masks = tmp.resolve("masks");
        CommandLineTest.Run run = medseg("segment", "--model", CT_MODEL.toString(), "--input",
                FIXTURES.resolve("test_images/Dataset991_TinyCT/images").toString(), "--output", masks.toString(),
                "--folds", "0,1", "--device", "cpu");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("(nnU-Net v2, PlainConvUNet, folds 0, 1, checkpoint_final.pth, mirroring on)"),
                run.err());
        assertTrue(run.out().contains("wrote 3 mask(s)"), run.out());
        for (String c : new String[] {"case_000", "case_001", "case_002"}) {
            LabelMap theirs = Nifti.readLabels(FIXTURES.resolve("predictions/ct3d_plain/folds01_mirror/" + c + ".nii.gz"),
                    CT_LABELS);
            LabelMap ours = Nifti.readLabels(masks.resolve(c + ".nii.gz"), CT_LABELS);
            assertArrayEquals(theirs.data(), ours.data(), c);
            assertNull(theirs.geometry().mismatch(ours.geometry()), c + ": on the scan's own grid");
        }
        assertTrue(Files.readString(masks.resolve("manifest.json")).contains("checkpoint_final.pth"));

        CommandLineTest.Run again = medseg("segment", "--model", CT_MODEL.toString(), "--input",
                FIXTURES.resolve("test_images/Dataset991_TinyCT/images").toString(), "--output", masks.toString(),
                "--folds", "0", "--disable-tta", "--overwrite", "--device", "cpu");
        assertEquals(0, again.code(), again.err());
        LabelMap fold0 = Nifti.readLabels(FIXTURES.resolve("predictions/ct3d_plain/fold0_nomirror/case_001.nii.gz"),
                CT_LABELS);
        assertArrayEquals(fold0.data(), Nifti.readLabels(masks.resolve("case_001.nii.gz"), CT_LABELS).data());
    }

    @Test
    void infoAndErrorsNameTheModelAndWriteNothing(@TempDir Path tmp) {
        CommandLineTest.Run info = medseg("info", CT_MODEL.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("3D PlainConvUNet") && info.out().contains("labels {0=background, 1=liver-like, "
                + "2=kidney-like}") && info.out().contains("folds [0, 1]"), info.out());

        Path out = tmp.resolve("out");
        CommandLineTest.Run missing = medseg("segment", "--model", CT_MODEL.toString(), "--folds", "0,3", "--input",
                FIXTURES.resolve("test_images/Dataset991_TinyCT/images").toString(), "--output", out.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains(CT_MODEL + ": no fold 3 (folds here: 0, 1)"), missing.err());
        Path hostile = FIXTURES.resolve("broken/malicious_os_system");
        CommandLineTest.Run refused = medseg("segment", "--model", hostile.toString(), "--input",
                FIXTURES.resolve("test_images/Dataset992_Tiny2D/images").toString(), "--output", out.toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("the pickle names posix.system, which a model checkpoint does not need; "
                + "refused, nothing of it was run"), refused.err());
        CommandLineTest.Run wrongFlag = medseg("segment", "--model", CT_MODEL.toString(), "--tile-size", "32x32x16",
                "--input", FIXTURES.resolve("test_images/Dataset991_TinyCT/images").toString(), "--output", out.toString());
        assertEquals(1, wrongFlag.code());
        assertTrue(wrongFlag.err().contains("are for this project's bundles"), wrongFlag.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void theExportedZipRunsAsItsFolder(@TempDir Path tmp) throws Exception {
        Path zip = FIXTURES.resolve("model_zips/Dataset992_Tiny2D__nnUNetTrainer_Fixture__nnUNetPlansTiny__2d.zip");
        Path masks = tmp.resolve("masks");
        CommandLineTest.Run run = medseg("segment", "--model", zip.toString(), "--input",
                FIXTURES.resolve("test_images/Dataset992_Tiny2D/images").toString(), "--output", masks.toString());
        assertEquals(0, run.code(), run.err());
        for (String c : new String[] {"case_000", "case_001", "case_002"}) {
            Map<Integer, String> labels = Map.of(0, "background", 1, "disc", 2, "bar");
            assertArrayEquals(PlainImages.readLabels(FIXTURES.resolve("predictions/tiny2d_plain/folds01_mirror/" + c + ".png"),
                    labels).data(), PlainImages.readLabels(masks.resolve(c + ".png"), labels).data(), c);
        }
    }
}
