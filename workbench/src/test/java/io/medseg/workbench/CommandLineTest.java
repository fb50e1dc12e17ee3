package io.medseg.workbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import io.medseg.evaluation.EvaluationSettings;
import io.medseg.evaluation.Evaluator;
import io.medseg.evaluation.Metric;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.PlainImages;
import io.medseg.io.dicom.DicomSeries;
import io.medseg.io.nifti.Nifti;
import io.medseg.samples.DentalRadiographs;
import io.medseg.samples.ToothRootDataset;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** medseg train → segment → evaluate in-process on a tiny generated dataset, and the bad-input errors. */
class CommandLineTest {
    @TempDir
    static Path shared;
    static Path dataset;

    @BeforeAll
    static void makeDataset() throws Exception {
        dataset = shared.resolve("Dataset900_Tiny");
        ToothRootDataset.write(dataset, 99, 4, 2, 64, 48);
    }

    /** Runs medseg and returns exit code, stdout and stderr. */
    static Run medseg(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Medseg.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    record Run(int code, String out, String err) {}

    /** Runs one of the project's scripts (from the workbench folder) and returns its exit code and output. */
    static Run script(String script, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "../scripts/" + script));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), script + " finished");
        return new Run(p.exitValue(), output, "");
    }

    static Path copyDataset(Path tmp) throws Exception {
        Path copy = tmp.resolve("ds");
        try (Stream<Path> s = Files.walk(dataset)) {
            for (Path p : s.toList()) {
                Path target = copy.resolve(dataset.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return copy;
    }

    @Test
    void trainSegmentEvaluateEndToEnd(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("model");
        Files.writeString(tmp.resolve("model.log"), "the user's own log (`> model.log`)");
        Run train = medseg("train", "--data", dataset.toString(), "--output", model.toString(), "--epochs", "2",
                "--iterations", "3", "--batch", "2", "--patch", "32x32", "--depth", "2", "--filters", "4",
                "--device", "cpu");
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("best validation Dice"), train.out());
        assertTrue(train.err().contains("epoch 1: loss ") && train.err().contains("ETA 0:00:")
                && train.err().contains("epoch 2: loss ") && !train.err().contains("\r"), "one line per epoch: " + train.err());
        assertTrue(Files.isRegularFile(model.resolve("parameters.params")));
        var curve = ImageIO.read(tmp.resolve("model.training/learning_curve.png").toFile());
        assertEquals(720, curve.getWidth(), "learning curve drawn beside the bundle");
        assertEquals(3, Files.readAllLines(tmp.resolve("model.training/history.csv")).size(), "header + 2 epochs");
        try (Stream<Path> beside = Files.list(tmp)) {
            assertEquals(List.of("model", "model.log", "model.training"), beside.map(p -> p.getFileName().toString())
                    .sorted().toList(), "the bundle and one folder of the run's record; the user's file untouched");
        }
        try (Stream<Path> record = Files.list(tmp.resolve("model.training"))) {
            assertEquals(List.of("history.csv", "learning_curve.png", "manifest.json", "train.log"), record
                    .map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("the user's own log (`> model.log`)", Files.readString(tmp.resolve("model.log")));
        String json = Files.readString(model.resolve("model.json"));
        assertTrue(json.contains("\"dataset_sha256\"") && json.contains("\"validation_dice\""), json);

        Path masks = tmp.resolve("masks");
        Run segment = medseg("segment", "--model", model.toString(), "--input", dataset.resolve("imagesTs").toString(),
                "--output", masks.toString());
        assertEquals(0, segment.code(), segment.err());
        assertEquals(List.of("case_004.png", "case_005.png", "manifest.json"),
                Files.list(masks).map(p -> p.getFileName().toString()).sorted().toList());
        LabelMap mask = PlainImages.readLabels(masks.resolve("case_004.png"), ToothRootDataset.LABELS);
        assertEquals(64, mask.sizeXyz()[0]);
        assertEquals(48, mask.sizeXyz()[1]);

        Run again = medseg("segment", "--model", model.toString(), "--input", dataset.resolve("imagesTs").toString(),
                "--output", masks.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("case_004.png exists") && again.err().contains("--overwrite"), again.err());

        Path report = tmp.resolve("report");
        Run evaluate = medseg("evaluate", "--reference", dataset.resolve("labelsTs").toString(), "--prediction",
                masks.toString(), "--output", report.toString());
        assertEquals(0, evaluate.code(), evaluate.err());
        assertTrue(evaluate.out().contains("tooth root"), evaluate.out());
        List<String> csv = Files.readAllLines(report.resolve("per_case.csv"));
        assertEquals(5, csv.size(), "header + 2 cases x 2 labels");
        assertTrue(csv.get(2).startsWith("case_004,1,tooth root,"), csv.get(2));
    }

    @Test
    void evaluateMatchesAHandComputedDice(@TempDir Path tmp) throws Exception {
        Path ref = Files.createDirectories(tmp.resolve("ref"));
        Path pred = Files.createDirectories(tmp.resolve("pred"));
        var labels = ToothRootDataset.LABELS;
        // 4x1: reference 1100, prediction 0110 → TP 1, FP 1, FN 1: Dice 0.5, IoU 1/3
        PlainImages.writeLabels(LabelMap.wrap(new byte[] {1, 1, 0, 0}, new long[] {4, 1}, Geometry.identity(2), labels),
                ref.resolve("a.png"), false);
        PlainImages.writeLabels(LabelMap.wrap(new byte[] {0, 1, 1, 0}, new long[] {4, 1}, Geometry.identity(2), labels),
                pred.resolve("a.png"), false);
        PlainImages.writeLabels(LabelMap.wrap(new byte[] {0, 1, 1, 0}, new long[] {4, 1}, Geometry.identity(2), labels),
                ref.resolve("b.png"), false);
        Run r = medseg("evaluate", "--reference", ref.toString(), "--prediction", pred.toString(), "--output",
                tmp.resolve("out").toString());
        assertEquals(3, r.code(), "a missing prediction is reported with exit code 3");
        assertTrue(r.out().contains("skipped b.png: no prediction"), r.out());
        // 4×1 strip (every pixel is surface): D_PG = D_GP = {0, 1} → HD 1, HD95 = 0.95 (numpy linear), ASSD 0.5
        String csv = Files.readString(tmp.resolve("out/per_case.csv"));
        assertTrue(csv.contains("a,1,label 1,OK,2,2,0.002,0.002,1,1,1,1,0.5,0.3333333333333333,0.5,0.5,0.5,0.0,1.0,"
                + "1.0,0.95,0.5,0.5,0.5,0.5,1.0,1.0,"), csv);
        assertTrue(Files.readString(tmp.resolve("out/summary.json")).contains("\"skipped\": {\n    \"b.png\": "),
                Files.readString(tmp.resolve("out/summary.json")));
        assertTrue(Files.readString(tmp.resolve("out/index.html")).contains("1 case(s) not evaluated"));
    }

    @Test
    void evaluateFlagsBadCasesAndEvaluatesTheRest(@TempDir Path tmp) throws Exception {
        Path ref = Files.createDirectories(tmp.resolve("ref"));
        Path pred = Files.createDirectories(tmp.resolve("pred"));
        var labels = ToothRootDataset.LABELS;
        byte[] strip = {1, 1, 0, 0};
        for (String name : List.of("a.png", "b.png", "c.png", "d.png")) {
            writeMask(ref.resolve(name), strip, 4, 1);
        }
        writeMask(pred.resolve("a.png"), new byte[] {(byte) 255, (byte) 255, 0, 0}, 4, 1); // ImageJ's 0/255 binary mask
        writeMask(pred.resolve("b.png"), new byte[] {1, 1, 0}, 3, 1);
        writeMask(pred.resolve("c.png"), new byte[] {1, 2, 0, 0}, 4, 1);
        writeMask(pred.resolve("e.png"), strip, 4, 1);
        Run r = medseg("evaluate", "--reference", ref.toString(), "--prediction", pred.toString(), "--output",
                tmp.resolve("out").toString(), "--labels", dataset.resolve("dataset.json").toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.out().contains("skipped b.png: prediction b.png: label size [3, 1] differs"), r.out());
        assertTrue(r.out().contains("skipped c.png: prediction c.png: label value(s) [2] are not declared "
                + "in dataset.json (values found [0, 1, 2]") && r.out().contains("a binary mask must hold only 0 and 1"),
                r.out());
        assertTrue(r.out().contains("skipped d.png: no prediction d.png in the prediction folder"), r.out());
        assertTrue(r.out().contains("skipped e.png: prediction e.png has no reference e.png in the reference folder"),
                r.out());
        List<String> csv = Files.readAllLines(tmp.resolve("out/per_case.csv"));
        assertEquals(3, csv.size(), "only case a is evaluated: " + csv);
        assertTrue(csv.get(2).startsWith("a,1,tooth root,OK,2,2,0.002,0.002,2,0,0,2,1.0,"), "0/255 read as 0/1: " + csv);
        String json = Files.readString(tmp.resolve("out/summary.json"));
        for (String skipped : List.of("b.png", "c.png", "d.png", "e.png")) {
            assertTrue(json.contains("\"" + skipped + "\": "), json);
        }
        Run again = medseg("evaluate", "--reference", ref.toString(), "--prediction", pred.toString(), "--output",
                tmp.resolve("out").toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("--overwrite"), again.err());
        Run tolerance = medseg("evaluate", "--reference", ref.toString(), "--prediction", pred.toString(),
                "--nsd-tolerance", "liver=2");
        assertEquals(1, tolerance.code());
        assertTrue(tolerance.err().contains("--nsd-tolerance: no label 'liver'"), tolerance.err());
    }

    @Test
    void evaluatesAbdominalCtMasksInMillimetresWithPerLabelTolerances(@TempDir Path tmp) throws Exception {
        long[] size = {80, 80, 40};
        double[] spacing = {5, 5, 10};
        LabelMap ref = SyntheticAbdomen.volume(size, spacing, 0);
        LabelMap pred = SyntheticAbdomen.volume(size, spacing, 12);
        Files.createDirectories(tmp.resolve("labelsTs"));
        Files.createDirectories(tmp.resolve("pred"));
        Nifti.write(ref, tmp.resolve("labelsTs/ct_001.nii.gz"), false);
        Nifti.write(pred, tmp.resolve("pred/ct_001.nii.gz"), false);
        Files.writeString(tmp.resolve("dataset.json"), "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": "
                + "{\"background\": 0, \"liver\": 1, \"kidney\": 2}, \"file_ending\": \".nii.gz\"}");
        Run r = medseg("evaluate", "--reference", tmp.resolve("labelsTs").toString(), "--prediction",
                tmp.resolve("pred").toString(), "--output", tmp.resolve("out").toString(), "--nsd-tolerance",
                "liver=5,kidney=10");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("confusion matrix") && r.out().contains("kidney"), r.out());
        // the report equals the API on the same masks: geometry survives the NIfTI round trip
        var direct = new Evaluator(SyntheticAbdomen.LABELS, EvaluationSettings
                .DEFAULT.withTolerances(1, Map.of(1, 5.0, 2, 10.0))).evaluate("ct_001", ref, pred);
        List<String> csv = Files.readAllLines(tmp.resolve("out/per_case.csv"));
        List<String> header = List.of(csv.get(0).split(","));
        for (int label = 1; label <= 2; label++) {
            String[] row = csv.get(1 + label).split(",");
            assertEquals(SyntheticAbdomen.LABELS.get(label), row[2]);
            assertEquals("5.0x5.0x10.0", row[header.indexOf("spacing")]);
            assertEquals(label == 1 ? "5.0" : "10.0", row[header.indexOf("nsd_tolerance_mm")]);
            for (String metric : List.of("dice", "hd95", "assd", "nsd", "ref_mL")) {
                double expected = Metric.byColumn(metric).of(direct.row(label));
                assertEquals(expected, Double.parseDouble(row[header.indexOf(metric)]), 0.0, metric);
            }
            assertTrue(Double.parseDouble(row[header.indexOf("hd95")]) >= 5, "distances are in mm, not voxels");
        }
        assertTrue(Files.isRegularFile(tmp.resolve("out/plots/confusion_matrix.png")));
        try (var pictures = Files.list(tmp.resolve("out/overlays"))) {
            assertEquals(1, pictures.count(), "one slice-view picture per CT volume");
        }
    }

    private static void writeMask(Path file, byte[] data, long w, long h) throws IOException {
        PlainImages.writeLabels(LabelMap.wrap(data, new long[] {w, h}, Geometry.identity(2), ToothRootDataset.LABELS),
                file, false);
    }

    @Test
    void badDatasetsGiveClearErrorsNamingTheFile(@TempDir Path tmp) throws Exception {
        Path ds = copyDataset(tmp);
        Files.delete(ds.resolve("labelsTr/case_001.png"));
        Files.copy(ds.resolve("labelsTr/case_002.png"), ds.resolve("labelsTr/case_077.png"));
        Run r = medseg("train", "--data", ds.toString(), "--output", tmp.resolve("m").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("case_001: missing label file " + ds.resolve("labelsTr/case_001.png")), r.err());
        assertTrue(r.err().contains("label file " + ds.resolve("labelsTr/case_077.png") + " has no image"), r.err());
        assertTrue(Files.notExists(tmp.resolve("m")), "no output on failure");
    }

    @Test
    void aLogFileThatIsTheRunsOwnLogIsRefusedBeforeAnythingIsWritten(@TempDir Path tmp) {
        Path model = tmp.resolve("m");
        Path own = tmp.resolve("m.training/train.log");
        // (a bad run of this test trains with the default budget: the epochs keep it short if the check is gone)
        Run r = medseg("train", "--data", dataset.toString(), "--output", model.toString(), "--log-file",
                own.toString(), "--epochs", "1", "--iterations", "1");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("--log-file " + own + " is the run's own record, which medseg train writes in "
                + tmp.resolve("m.training") + " anyway"), r.err());
        assertTrue(Files.notExists(own) && Files.notExists(model), "nothing written");
    }

    @Test
    void sizeMismatchUndeclaredLabelsAndNonImages(@TempDir Path tmp) throws Exception {
        Path ds = copyDataset(tmp);
        PlainImages.writeLabels(LabelMap.wrap(new byte[6], new long[] {3, 2}, Geometry.identity(2), ToothRootDataset.LABELS),
                ds.resolve("labelsTr/case_002.png"), true);
        Run size = medseg("train", "--data", ds.toString(), "--output", tmp.resolve("m").toString());
        assertTrue(size.err().contains(ds.resolve("labelsTr/case_002.png") + ": label size [3, 2] differs from its image's size [64, 48]"),
                size.err());

        byte[] three = new byte[64 * 48];
        three[5] = 3;
        PlainImages.writeLabels(LabelMap.wrap(three, new long[] {64, 48}, Geometry.identity(2), ToothRootDataset.LABELS),
                ds.resolve("labelsTr/case_002.png"), true);
        Run undeclared = medseg("train", "--data", ds.toString(), "--output", tmp.resolve("m").toString());
        assertTrue(undeclared.err().contains("label value(s) [3] are not declared in dataset.json (values found [0, 3]"), undeclared.err());

        Files.writeString(ds.resolve("imagesTr/case_002_0000.png"), "this is text");
        Run junk = medseg("train", "--data", ds.toString(), "--output", tmp.resolve("m").toString());
        assertTrue(junk.err().contains(ds.resolve("imagesTr/case_002_0000.png") + ": not a PNG or TIFF image"), junk.err());

        Files.delete(ds.resolve("dataset.json"));
        Run noJson = medseg("train", "--data", ds.toString(), "--output", tmp.resolve("m").toString());
        assertTrue(noJson.err().contains("dataset.json: missing"), noJson.err());
    }

    @Test
    void channelMismatchAndMissingGpuAreExplained(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("model");
        assertEquals(0, medseg("train", "--data", dataset.toString(), "--output", model.toString(), "--epochs", "1",
                "--iterations", "1", "--batch", "1", "--patch", "16x16", "--depth", "1", "--filters", "2").code());
        Path rgb = Files.createDirectories(tmp.resolve("rgb"));
        var r = DentalRadiographs.generate(1, 20, 20);
        float[] colour = new float[3 * 400];
        for (int i = 0; i < 400; i++) {
            colour[i] = r.image()[i];
            colour[800 + i] = 255 - r.image()[i];
        }
        BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 400; i++) {
            img.setRGB(i % 20, i / 20, ((int) colour[i] << 16) | ((int) colour[800 + i]));
        }
        ImageIO.write(img, "png", rgb.resolve("colour.png").toFile());
        Run seg = medseg("segment", "--model", model.toString(), "--input", rgb.toString(), "--output",
                tmp.resolve("out").toString());
        assertEquals(4, seg.code(), "a failed case is reported and the exit code says some failed");
        assertTrue(seg.err().contains("failed colour.png: " + rgb.resolve("colour.png")
                + ": the model expects 1 input channel(s), the image has 3"), seg.err());
        assertTrue(Files.notExists(tmp.resolve("out/colour.png")));

        Run gpu = medseg("segment", "--model", model.toString(), "--input", rgb.toString(), "--output",
                tmp.resolve("out").toString(), "--device", "gpu");
        if (Engine.getInstance().getGpuCount() == 0) {
            assertTrue(gpu.err().contains("libtorch sees no GPU"), gpu.err());
        }
    }

    @Test
    void componentsKeptPerLabelAreCheckedBeforeAnyScanIsRead(@TempDir Path tmp) {
        String images = Path.of("../sample-scans/data/Dataset001_ToothRoot/imagesTs").toString();
        String model = Path.of("../sample-scans/models/tooth-root-unet2d").toString();
        Path out = tmp.resolve("out");
        Run unknown = medseg("segment", "--model", model, "--input", images, "--output", out.toString(),
                "--keep-components", "kidney=2");
        assertEquals(1, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("the model has no label \"kidney\" to keep components of; its labels are "
                + "{1=tooth root}"), unknown.err());
        Run malformed = medseg("segment", "--model", model, "--input", images, "--output", out.toString(),
                "--largest-component", "--keep-components", "tooth root");
        assertEquals(1, malformed.code(), malformed.err());
        assertTrue(malformed.err().contains("--keep-components: expected LABEL=N such as kidney=2, got \"tooth root\""),
                malformed.err());
        assertTrue(Files.notExists(out), "nothing written");
    }

    @Test
    void infoOnAFolderWithABrokenFileDescribesTheRestAndNamesTheBrokenOne(@TempDir Path tmp) throws Exception {
        Path nifti = Path.of("../io-dicom/src/test/resources/nifti/dtype_int16.nii");
        Path dir = Files.createDirectories(tmp.resolve("scans"));
        byte[] bytes = Files.readAllBytes(nifti);
        Files.write(dir.resolve("a_broken.nii"), Arrays.copyOf(bytes, bytes.length - 10));
        Files.copy(nifti, dir.resolve("b_good.nii"));
        Run info = medseg("info", dir.toString());
        assertEquals(3, info.code(), info.err());
        assertTrue(info.out().contains("cannot read " + dir.resolve("a_broken.nii") + ": has 110 bytes of voxel data"
                + " after vox_offset 352, the header claims 120"), info.out());
        assertTrue(info.out().contains("b_good.nii") && info.out().contains("size [5, 4, 3]"), "the rest is described: "
                + info.out());
    }

    @Test
    void dicomSeriesAreListedAndSegmentedIntoNiftiMasksWithTheirGeometry(@TempDir Path tmp) throws Exception {
        Path series = Path.of("../io-dicom/src/test/resources/series");
        Path dicom = Files.createDirectories(tmp.resolve("dicom"));
        for (String name : List.of("axial", "oblique")) {
            Path target = Files.createDirectories(dicom.resolve(name));
            try (Stream<Path> s = Files.list(series.resolve(name))) {
                for (Path p : s.toList()) {
                    Files.copy(p, target.resolve(p.getFileName()));
                }
            }
        }
        Files.writeString(dicom.resolve("README.txt"), "not DICOM");
        Run info = medseg("info", dicom.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("(CT 10 file(s) \"oblique\")"), info.out());
        assertTrue(info.out().contains("size [24, 20, 10] x 1 channel(s), spacing [0.7000, 0.8000, 2.500] mm"), info.out());
        assertTrue(info.out().contains("README.txt: not a scan medseg reads"), info.out());
        Path oneFile;
        try (Stream<Path> s = Files.list(dicom.resolve("axial"))) {
            oneFile = s.sorted().findFirst().orElseThrow();
        }
        Run single = medseg("info", oneFile.toString());
        assertEquals(0, single.code(), single.err());
        assertTrue(single.out().contains("1 file(s)") && !single.out().contains("oblique"),
                "one file, not its folder: " + single.out());

        Path model = tmp.resolve("model");
        assertEquals(0, medseg("train", "--data", dataset.toString(), "--output", model.toString(), "--epochs", "1",
                "--iterations", "1", "--batch", "1", "--patch", "16x16", "--depth", "1", "--filters", "2").code());
        Path masks = tmp.resolve("masks");
        Run seg = medseg("segment", "--model", model.toString(), "--input", dicom.toString(), "--output", masks.toString());
        assertEquals(0, seg.code(), seg.err());
        List<String> csv = Files.readAllLines(masks.resolve("series.csv"));
        assertEquals(3, csv.size(), "header + 2 series");
        String maskFile = csv.get(1).split(",")[1]; // series_instance_uid,mask_file,…
        // each series is alone in its folder: its mask is named after the folder, the UID stays in the table
        assertEquals(List.of("axial.nii.gz", "oblique.nii.gz"), List.of(csv.get(1).split(",")[1], csv.get(2).split(",")[1])
                .stream().sorted().toList());
        var mask = Nifti.readLabels(masks.resolve(maskFile), ToothRootDataset.LABELS);
        var scan = DicomSeries.scan(dicom.resolve(csv.get(1).contains("axial") ? "axial" : "oblique"));
        var geometry = scan.series().get(0).load().geometry();
        assertArrayEquals(new long[] {24, 20, 10}, mask.sizeXyz());
        assertEquals(null, geometry.mismatch(mask.geometry()), "the mask overlays its series");

        Run eval = medseg("evaluate", "--reference", masks.toString(), "--prediction", masks.toString());
        assertEquals(0, eval.code(), eval.err() + eval.out());

        // references named by Series Instance UID (as masks of older versions were) pair through series.csv
        Path references = Files.createDirectories(tmp.resolve("references"));
        String uid = csv.get(1).split(",")[0];
        Files.copy(masks.resolve(maskFile), references.resolve(uid + ".nii.gz"));
        Run byUid = medseg("evaluate", "--reference", references.toString(), "--prediction", masks.toString());
        assertTrue(byUid.out().contains(uid), "scored under the reference's name: " + byUid.out());
        assertTrue(byUid.out().contains("paired " + uid + ".nii.gz with " + maskFile + " through series.csv"),
                "and the pairing said: " + byUid.out());
        assertTrue(byUid.out().contains("(0/1 cases)"), "one case evaluated (both empty for this untrained model): "
                + byUid.out());
        String other = maskFile.equals("axial.nii.gz") ? "oblique.nii.gz" : "axial.nii.gz";
        assertTrue(byUid.out().contains("skipped " + other + ": prediction " + other + " has no reference"), byUid.out());
        assertFalse(byUid.out().contains("skipped " + maskFile), "the paired mask is not left over: " + byUid.out());

        // a batch an earlier version began (masks named by UID) continues without a second mask of that series
        Path earlier = Files.createDirectories(tmp.resolve("earlier"));
        Files.copy(masks.resolve(maskFile), earlier.resolve(uid + ".nii.gz"));
        Run continued = medseg("segment", "--model", model.toString(), "--input", dicom.toString(), "--output",
                earlier.toString(), "--continue");
        assertEquals(0, continued.code(), continued.err());
        assertTrue(continued.err().contains("continuing with the mask named " + uid + ".nii.gz by an earlier version"),
                continued.err());
        assertTrue(continued.err().contains("skipped " + maskFile.replace(".nii.gz", "")), continued.err());
        assertFalse(Files.exists(earlier.resolve(maskFile)), "no second mask of the series kept under its UID");
        assertTrue(Files.exists(earlier.resolve(other)), "the other series is segmented");
        assertTrue(Files.readString(earlier.resolve("series.csv")).contains(uid + "," + uid + ".nii.gz"),
                "series.csv lists the mask under the name it has");
    }

    @Test
    void niftiDatasetsTrainSliceBySliceAndSegment(@TempDir Path tmp) throws Exception {
        // the tiny PNG dataset as 3D NIfTI volumes of 2 slices, nnU-Net layout with file_ending .nii.gz
        Path ds = tmp.resolve("Dataset901_Nifti");
        Geometry g = new Geometry(new double[] {0.5, 0.5, 3}, new double[] {1, 2, 3}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        for (String split : List.of("Tr", "Ts")) {
            try (Stream<Path> s = Files.list(dataset.resolve("images" + split))) {
                for (Path png : s.sorted().toList()) {
                    String id = png.getFileName().toString().replace("_0000.png", "");
                    float[] img = PlainImages.readVolume(png).data();
                    byte[] lab = PlainImages.readLabels(dataset.resolve("labels" + split).resolve(id + ".png"),
                            ToothRootDataset.LABELS).data();
                    float[] img3 = Arrays.copyOf(img, img.length * 2);
                    System.arraycopy(img, 0, img3, img.length, img.length);
                    byte[] lab3 = Arrays.copyOf(lab, lab.length * 2);
                    System.arraycopy(lab, 0, lab3, lab.length, lab.length);
                    Nifti.write(Volume.wrap(img3, new long[] {64, 48, 2}, 1, g),
                            ds.resolve("images" + split).resolve(id + "_0000.nii.gz"), false);
                    Nifti.write(LabelMap.wrap(lab3, new long[] {64, 48, 2}, g, ToothRootDataset.LABELS),
                            ds.resolve("labels" + split).resolve(id + ".nii.gz"), false);
                }
            }
        }
        Files.writeString(ds.resolve("dataset.json"), Files.readString(dataset.resolve("dataset.json"))
                .replace("\".png\"", "\".nii.gz\""));
        Path model = tmp.resolve("model");
        Run train = medseg("train", "--data", ds.toString(), "--output", model.toString(), "--epochs", "1",
                "--iterations", "2", "--batch", "2", "--patch", "32x32", "--depth", "1", "--filters", "2");
        assertEquals(0, train.code(), train.err());
        // 4 volumes x 2 slices; one volume (both its slices) held out
        assertTrue(train.err().contains("training on 6 cases, validating on 2"), train.err());
        Path masks = tmp.resolve("masks");
        assertEquals(0, medseg("segment", "--model", model.toString(), "--input", ds.resolve("imagesTs").toString(),
                "--output", masks.toString()).code());
        LabelMap mask = Nifti.readLabels(masks.resolve("case_004.nii.gz"), ToothRootDataset.LABELS);
        assertArrayEquals(new long[] {64, 48, 2}, mask.sizeXyz());
        assertEquals(null, g.mismatch(mask.geometry()));
        Run eval = medseg("evaluate", "--reference", ds.resolve("labelsTs").toString(), "--prediction", masks.toString());
        assertEquals(0, eval.code(), eval.out() + eval.err());
        assertTrue(eval.out().contains("case_005"), eval.out());
    }
}
