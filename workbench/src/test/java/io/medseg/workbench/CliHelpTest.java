package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.io.PlainImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user met: help, versions, case of enum values, info on anything, label files by any name. */
class CliHelpTest {
    @BeforeAll
    static void home() {
        System.setProperty("medseg.home", Path.of("..").toAbsolutePath().normalize().toString());
    }

    @Test
    void helpIsACommandAndVersionNamesTheLibrariesAndDevice() {
        CommandLineTest.Run help = medseg("help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("segment") && help.out().contains("models"), help.out());
        CommandLineTest.Run segment = medseg("help", "segment");
        assertEquals(0, segment.code());
        assertTrue(segment.out().contains("--continue"), segment.out());
        CommandLineTest.Run version = medseg("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().contains("medseg 0.1.0") && version.out().contains("DJL 0.35.1")
                && version.out().contains("libtorch 2.7.1") && version.out().contains("Java ")
                && version.out().contains("device: cpu()"), version.out());
        assertTrue(medseg("help", "train").out().contains("unet2d (2D U-Net), unet3d"), "--arch lists its values");
    }

    @Test
    void enumValuesIgnoreCase(@TempDir Path tmp) {
        CommandLineTest.Run run = medseg("train", "--data", tmp.resolve("nope").toString(), "--output",
                tmp.resolve("m").toString(), "--optimizer", "adamw", "--loss", "dice_ce", "--schedule", "Poly");
        assertEquals(1, run.code());
        assertTrue(run.err().contains("dataset.json: missing"), "parsed, then failed on the data: " + run.err());
    }

    @Test
    void infoDescribesBundlesFilesAndSaysWhatAFileIsNot() throws Exception {
        CommandLineTest.Run bundle = medseg("info", "../sample-scans/models/tooth-root-unet2d");
        assertEquals(0, bundle.code(), bundle.err());
        assertTrue(bundle.out().contains("architecture unet2d") && bundle.out().contains("labels {0=background, 1=tooth root}")
                && bundle.out().contains("validation Dice 0.9941 at epoch 40"), bundle.out());
        CommandLineTest.Run models = medseg("models");
        assertTrue(models.out().contains("tooth-root-unet2d: ") && models.out().contains("patch 160x160 (x×y)"), models.out());
        // a bare relative name of a file that is no scan: one line, no NullPointerException
        CommandLineTest.Run pom = medseg("info", "pom.xml");
        assertEquals(1, pom.code());
        assertEquals("medseg info: error: pom.xml: not a model bundle, DICOM file or PNG/TIFF/NIfTI image",
                pom.err().strip());
        assertEquals(1, medseg("info", "no-such-file.nii.gz").code());
    }

    @Test
    void labelsComeFromTheFileNamedWhateverItIsCalled(@TempDir Path tmp) throws Exception {
        Path ref = Files.createDirectories(tmp.resolve("ref"));
        Path pred = Files.createDirectories(tmp.resolve("pred"));
        Map<Integer, String> labels = Map.of(0, "background", 1, "canal");
        LabelMap m = LabelMap.wrap(new byte[] {0, 1, 1, 0}, new long[] {2, 2}, Geometry.identity(2), labels);
        PlainImages.writeLabels(m, ref.resolve("a.png"), false);
        PlainImages.writeLabels(m, pred.resolve("a.png"), false);
        Path lab = tmp.resolve("lab.json");
        Files.writeString(lab, "{\"labels\": {\"background\": 0, \"canal\": 1}}"); // no channel_names, not dataset.json
        CommandLineTest.Run run = medseg("evaluate", "--reference", ref.toString(), "--prediction", pred.toString(),
                "--labels", lab.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("canal"), run.out());
        assertTrue(run.out().contains("HD95 px") && !run.out().contains(" mm"), "PNG masks have no spacing: " + run.out());
        Path report = tmp.resolve("report");
        assertEquals(0, medseg("evaluate", "--reference", ref.toString(), "--prediction", pred.toString(), "--labels",
                lab.toString(), "--output", report.toString()).code());
        assertTrue(Files.readString(report.resolve("summary.json")).contains("\"units\": \"pixels"));
        assertTrue(Files.readString(report.resolve("index.html")).contains("<th>HD95 px</th>"));
        Files.writeString(lab, "{\"labels\": {\"background\": 0, \"canal\": [1, 2]}}");
        CommandLineTest.Run regions = medseg("evaluate", "--reference", ref.toString(), "--prediction", pred.toString(),
                "--labels", lab.toString());
        assertEquals(1, regions.code());
        assertTrue(regions.err().contains(lab + ": label \"canal\" is [1,2]; only plain label numbers"), regions.err());
        assertFalse(regions.err().contains("Exception"), regions.err());
    }

    @Test
    void threadsLimitLibtorchAndJavaInAFreshProcess(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("run.log");
        Process p = SecondJvm.start(log, "segment", "--model", "../sample-scans/models/tooth-root-unet2d", "--input",
                "../sample-scans/data/Dataset001_ToothRoot/imagesTs/case_024_0000.png", "--output", tmp.resolve("m").toString(),
                "--threads", "1");
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("threads: 1 (libtorch), 1 (Java parallel streams)"), out);
        CommandLineTest.Run zero = medseg("segment", "--model", "x", "--input", "y", "--output", tmp.toString(), "--threads",
                "0");
        assertEquals(1, zero.code());
        assertTrue(zero.err().contains("threads must be >= 1, got 0"), zero.err());
    }

    @Test
    void aWrongCommandLineIsOneLineWithASuggestionAndExitCode2() {
        CommandLineTest.Run typo = medseg("segment", "--model", "m", "--input", "i", "--ouput", "o");
        assertEquals(2, typo.code());
        assertEquals("medseg segment: error: unknown option --ouput; did you mean --output?\n"
                + "(medseg help segment lists every option)\n", typo.err());
        CommandLineTest.Run missing = medseg("segment", "--model", "m", "--input", "i");
        assertEquals(2, missing.code());
        assertEquals("medseg segment: error: Missing required option: '--output=<output>'\n"
                + "(medseg help segment lists every option)\n", missing.err());
        CommandLineTest.Run command = medseg("segmnet", "--model", "m");
        assertEquals(2, command.code());
        assertTrue(command.err().startsWith("medseg: error: unknown command segmnet; did you mean segment?\n"),
                command.err());
    }

    @Test
    void aMisspelledModelNameListsTheBundledOnesAndTheClosest(@TempDir Path tmp) throws Exception {
        CommandLineTest.Run run = medseg("segment", "--model", "abdomen-ct-unet3D", "--input",
                "../sample-scans/data/Dataset002_AbdomenCT/imagesTs", "--output", tmp.resolve("m").toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("model abdomen-ct-unet3D not found") && run.err().contains("(bundled: "
                + "abdomen-ct-unet3d, abdomen-ct-vnet, tooth-root-unet2d); did you mean abdomen-ct-unet3d?"), run.err());
        assertFalse(Files.exists(tmp.resolve("m")), "nothing written");
    }

    @Test
    void aBareRelativeLabelsFileAndNoCudaWarningOnTheCpu(@TempDir Path tmp) throws Exception {
        Path ref = Files.createDirectories(tmp.resolve("ref"));
        LabelMap m = LabelMap.wrap(new byte[] {0, 1, 1, 0}, new long[] {2, 2}, Geometry.identity(2),
                Map.of(0, "background", 1, "canal"));
        PlainImages.writeLabels(m, ref.resolve("a.png"), false);
        // a name without a folder, relative to the working directory (it ended in a NullPointerException)
        Path bare = Path.of("labels-" + ProcessHandle.current().pid() + ".json");
        Files.writeString(bare, "{\"labels\": {\"background\": 0, \"canal\": 1}}");
        try {
            assertEquals(null, bare.getParent());
            CommandLineTest.Run run = medseg("evaluate", "--reference", ref.toString(), "--prediction", ref.toString(),
                    "--labels", bare.toString());
            assertEquals(0, run.code(), run.err());
            assertTrue(run.out().contains("canal"), run.out());
        } finally {
            Files.deleteIfExists(bare);
        }
        Path log = tmp.resolve("version.log");
        Process p = SecondJvm.start(log, "--version");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertTrue(out.contains("device: cpu()") && !out.contains("CUDA") && !out.contains("WARN"), out);
    }
}
