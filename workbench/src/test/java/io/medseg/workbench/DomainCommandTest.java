package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.core.bundle.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code medseg domain} and what {@code segment} does with a model unlike the input, on the bundled models. */
class DomainCommandTest {
    private static final String TOOTH = "../sample-scans/models/tooth-root-unet2d";
    private static final String CT = "../sample-scans/models/abdomen-ct-unet3d";
    private static final String RADIOGRAPHS = "../sample-scans/data/Dataset001_ToothRoot/imagesTs";

    @Test
    void scansOfTheTrainingKindPassAndOthersAreNamedWithExit6() {
        CommandLineTest.Run own = medseg("domain", "--model", TOOTH, "--input", RADIOGRAPHS);
        assertEquals(0, own.code(), own.err());
        assertTrue(own.out().endsWith("8 scan(s): 8 within the training domain, 0 outside\n"), own.out());
        CommandLineTest.Run labels = medseg("domain", "--model", CT, "--input",
                "../sample-scans/data/Dataset002_AbdomenCT/labelsTs");
        assertEquals(6, labels.code(), labels.err());
        assertTrue(labels.out().contains("ct_002: unlike the model's training data: intensities 0 and 1"), labels.out());
        assertTrue(labels.out().endsWith("3 scan(s): 0 within the training domain, 3 outside\n"), labels.out());
    }

    @Test
    void a3dModelOnRadiographsIsOneErrorWithExit1AndNothingWritten(@TempDir Path tmp) {
        Path out = tmp.resolve("masks");
        CommandLineTest.Run run = medseg("segment", "--model", CT, "--input", RADIOGRAPHS, "--output", out.toString());
        assertEquals(1, run.code());
        // (the engine's own start-up lines come first in a test JVM; the launcher silences them)
        String error = "medseg segment: error: " + Path.of(RADIOGRAPHS) + ": the model is 3D, and all 8 scans are 2D"
                + " images; give volumes (NIfTI, DICOM series, TIFF stacks) or use a 2D model\n";
        assertTrue(run.err().endsWith(error), run.err());
        assertEquals(1, run.err().split("error", -1).length - 1, "said once: " + run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aBundleWithoutADomainGetsOneRecordedFromItsDataset(@TempDir Path tmp) throws Exception {
        Path bundle = tmp.resolve("tooth");
        Files.createDirectories(bundle);
        for (String f : List.of(ModelBundle.CONFIG_FILE, ModelBundle.PARAMETERS_FILE)) {
            Files.copy(Path.of(TOOTH, f), bundle.resolve(f));
        }
        // as a bundle written before bundles recorded their domain
        ModelBundle.writeConfig(bundle, ModelBundle.readConfig(bundle).withDomain(null));
        CommandLineTest.Run none = medseg("domain", "--model", bundle.toString(), "--input", RADIOGRAPHS);
        assertEquals(1, none.code());
        assertTrue(none.err().contains("does not record what it was trained on; medseg domain --model"), none.err());
        String dataset = "../sample-scans/data/Dataset001_ToothRoot";
        CommandLineTest.Run record = medseg("domain", "--model", bundle.toString(), "--record-from", dataset);
        assertEquals(0, record.code(), record.err());
        assertEquals(ModelBundle.toJson(ModelBundle.readConfig(Path.of(TOOTH))),
                ModelBundle.toJson(ModelBundle.readConfig(bundle)), "the same domain as the bundled model's");
        CommandLineTest.Run again = medseg("domain", "--model", bundle.toString(), "--record-from", dataset);
        assertEquals(1, again.code());
        assertTrue(again.err().contains("records its training domain already"), again.err());
    }
}
