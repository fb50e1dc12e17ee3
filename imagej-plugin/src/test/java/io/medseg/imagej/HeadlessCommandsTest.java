package io.medseg.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.process.ColorProcessor;
import ij.process.StackStatistics;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.infer.LargestComponent;
import io.medseg.evaluation.CaseEvaluation;
import io.medseg.evaluation.EvaluationSettings;
import io.medseg.evaluation.Evaluator;
import io.medseg.evaluation.Metric;
import io.medseg.evaluation.report.ErrorOverlay;
import io.medseg.evaluation.stats.StatisticsTable;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.PlainImages;
import io.medseg.io.ReadLimits;
import io.medseg.io.dicom.DicomSeries;
import io.medseg.io.dicom.SegmentDescription;
import io.medseg.io.dicom.SegmentationReader;
import io.medseg.io.nifti.Nifti;
import io.medseg.samples.ToothRootDataset;
import java.awt.Color;
import java.awt.event.KeyEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each menu command run through macro options in a headless ImageJ 1, on the bundled sample scans. */
class HeadlessCommandsTest {
    private static final Path DATA = Path.of("..", "sample-scans", "data").toAbsolutePath().normalize();
    private static final Path TOOTH = DATA.resolve("Dataset001_ToothRoot");
    private static final Path CT = DATA.resolve("Dataset002_AbdomenCT");
    private static final Map<Integer, String> TOOTH_LABELS = Map.of(0, "background", 1, "tooth root");
    private static final Map<Integer, String> CT_LABELS = Map.of(0, "background", 1, "liver", 2, "kidney");

    @TempDir
    Path tmp;

    @AfterEach
    void closeImages() {
        HeadlessImageJ.closeAll();
    }

    @Test
    void openScanKeepsNiftiValuesCalibrationAndGeometry() throws Exception {
        Path file = CT.resolve("imagesTs/ct_004_0000.nii.gz");
        HeadlessImageJ.run(OpenScanPlugin.class, "scan=" + file + " window=liver");
        ImagePlus imp = HeadlessImageJ.image("ct_004_0000");
        Volume ref = Nifti.readVolume(file);
        long[] size = ref.sizeXyz();
        assertEquals(size[0], imp.getWidth());
        assertEquals(size[1], imp.getHeight());
        assertEquals(size[2], imp.getNSlices());
        assertEquals("mm", imp.getCalibration().getUnit());
        assertEquals(ref.geometry().spacingMm()[0], imp.getCalibration().pixelWidth, 0);
        assertEquals(ref.geometry().spacingMm()[2], imp.getCalibration().pixelDepth, 0);
        assertEquals(ref.geometry(), ScanImages.geometry(imp, imp.getNSlices()));
        assertArrayEquals(ref.data(), ScanImages.toVolume(imp).data());
        assertEquals(-45, imp.getDisplayRangeMin(), 0);
        assertEquals(105, imp.getDisplayRangeMax(), 0);
        // automatic: a NIfTI reaching air is CT, so the abdomen window; a radiograph keeps its range
        HeadlessImageJ.run(OpenScanPlugin.class, "scan=" + CT.resolve("imagesTs/ct_003_0000.nii.gz") + " window=automatic");
        assertEquals(-160, HeadlessImageJ.image("ct_003_0000").getDisplayRangeMin(), 0);
        HeadlessImageJ.run(OpenScanPlugin.class, "scan=" + TOOTH.resolve("imagesTs/case_024_0000.png") + " window=automatic");
        ImagePlus png = HeadlessImageJ.image("case_024_0000");
        StackStatistics stats = new StackStatistics(png);
        assertEquals(stats.min, png.getDisplayRangeMin(), 0);
        assertEquals(stats.max, png.getDisplayRangeMax(), 0);
    }

    @Test
    void openScanReadsADicomSeriesFolderWithTheAbdomenWindow() throws Exception {
        Path folder = DATA.resolve("AbdomenCT_DICOM/ct_003");
        HeadlessImageJ.run(OpenScanPlugin.class, "scan=" + folder + " window=automatic");
        assertEquals(1, WindowManager.getImageCount());
        ImagePlus imp = WindowManager.getCurrentImage();
        DicomSeries series = DicomSeries.scan(folder).series().get(0);
        Volume ref = series.load();
        assertEquals(series.files().size(), imp.getNSlices());
        assertEquals(ref.geometry(), ScanImages.geometry(imp, imp.getNSlices()));
        assertArrayEquals(ref.data(), ScanImages.toVolume(imp).data());
        assertEquals(-160, imp.getDisplayRangeMin(), 0);
        assertEquals(240, imp.getDisplayRangeMax(), 0);
        assertEquals("CT", ScanImages.toVolume(imp).modality(), "the series' modality is kept for the domain check");
        assertTrue(imp.getTitle().length() <= OpenScanPlugin.TITLE_LENGTH && imp.getTitle().endsWith("..."),
                "the long series name is cut: " + imp.getTitle());

        // the same series again: a macro finds images by title, so the second gets its own
        HeadlessImageJ.run(OpenScanPlugin.class, "scan=" + folder + " window=automatic");
        assertEquals(2, WindowManager.getImageCount());
        String second = WindowManager.getCurrentImage().getTitle();
        assertNotEquals(imp.getTitle(), second);
        assertTrue(second.startsWith(imp.getTitle().substring(0, OpenScanPlugin.TITLE_LENGTH - 3)), second);
    }

    @Test
    void saveMaskWritesADicomSegOfTheSeriesTheScanWasOpenedFrom() throws Exception {
        Path folder = DATA.resolve("AbdomenCT_DICOM/ct_003");
        HeadlessImageJ.run(OpenScanPlugin.class, "scan=" + folder + " window=automatic");
        String title = WindowManager.getCurrentImage().getTitle();
        HeadlessImageJ.run(SegmentImagePlugin.class, "image=[" + title + "] model=abdomen-ct-unet3d measurements device=cpu");
        ResultsTable rt = ResultsTable.getResultsTable();
        for (String column : StatisticsTable.COLUMNS.subList(1, StatisticsTable.COLUMNS.size())) {
            assertTrue(rt.columnExists(column), "the table has statistics.csv's column " + column);
        }
        assertEquals("liver", rt.getStringValue("name", 0));
        Path seg = tmp.resolve("ct_003.seg.dcm");
        Path nifti = tmp.resolve("ct_003.nii.gz");
        String log = HeadlessImageJ.run(SaveMaskPlugin.class, "labels=[" + title + "-labels] file=" + seg);
        assertTrue(log.contains("wrote " + seg), log);
        HeadlessImageJ.run(SaveMaskPlugin.class, "labels=[" + title + "-labels] file=" + nifti);
        DicomSeries series = DicomSeries.scan(folder).series().get(0);
        SegmentationReader.Segmentation read = SegmentationReader.read(seg, series);
        LabelMap saved = Nifti.readLabels(nifti, CT_LABELS);
        assertArrayEquals(saved.data(), read.labels().data(), "the SEG holds the mask Save Mask writes as NIfTI");
        assertEquals(List.of("liver", "kidney"), read.segments().stream().map(SegmentDescription::name).toList());
        assertEquals("10200004", read.segments().get(0).type().value(), "SNOMED CT Liver");
        assertEquals(series.uid(), read.referencedSeriesUid());

        // a label image that does not come from a DICOM series cannot be a DICOM SEG
        new ImagePlus("drawn", new ij.process.ByteProcessor(16, 16)).show();
        log = HeadlessImageJ.run(SaveMaskPlugin.class, "labels=drawn file=" + tmp.resolve("x.seg.dcm"));
        assertTrue(log.contains("\"drawn\" does not come from one (Open Scan a DICOM folder, then Segment Image)"), log);
        assertFalse(Files.exists(tmp.resolve("x.seg.dcm")));
    }

    @Test
    void segmentImageWith2dModelGivesLabelsOutlinesAndMeasurements() throws Exception {
        Path png = TOOTH.resolve("imagesTs/case_024_0000.png");
        HeadlessImageJ.run(OpenScanPlugin.class, "scan=" + png + " window=[full range]");
        ImagePlus scan = HeadlessImageJ.image("case_024_0000");
        float[] before = ScanImages.toVolume(scan).data().clone();
        String logged = HeadlessImageJ.run(SegmentImagePlugin.class,
                "image=case_024_0000 model=tooth-root-unet2d tile=0.5 tiles=2 outlines measurements device=cpu");
        assertFalse(logged.contains("unlike the model's training data"), "a test radiograph is the model's kind: " + logged);
        ImagePlus labels = HeadlessImageJ.image("case_024_0000-labels");
        assertNull(labels.getProp("medseg.warning"));
        LabelMap mask = ScanImages.toLabelMap(labels, TOOTH_LABELS);
        LabelMap ref = PlainImages.readLabels(TOOTH.resolve("labelsTs/case_024.png"), TOOTH_LABELS);
        double dice = Evaluator.meanForegroundDice(ref, mask);
        assertTrue(dice > 0.95, "tooth-root Dice " + dice);
        assertEquals(TOOTH_LABELS, ScanImages.labelNames(labels));
        assertArrayEquals(before, ScanImages.toVolume(scan).data(), "the scan is not modified");

        assertNotNull(scan.getOverlay());
        assertTrue(scan.getOverlay().size() >= 1);
        for (Roi r : scan.getOverlay().toArray()) {
            assertEquals("tooth root", r.getName(), "the label's name, readable in the ROI Manager");
            assertTrue(LabelOutlines.isOurs(r));
        }
        ResultsTable rt = ResultsTable.getResultsTable();
        assertEquals(1, rt.size());
        assertEquals("tooth root", rt.getStringValue("name", 0));
        long voxels = 0;
        for (byte b : mask.data()) {
            voxels += b == 1 ? 1 : 0;
        }
        assertEquals(voxels, rt.getValue("voxels", 0), 0);
        assertEquals(voxels, rt.getValue("area_mm2", 0), 1e-9); // a PNG has 1 mm pixels

        // bf16 from a macro: said in the Log, the mask within 0.1 % of the pixels of fp32's
        labels.close();
        String bf16Log = HeadlessImageJ.run(SegmentImagePlugin.class,
                "image=case_024_0000 model=tooth-root-unet2d device=cpu precision=bf16");
        assertTrue(bf16Log.contains("Segment Image: device cpu(), precision bf16 (asked for)"), bf16Log);
        byte[] bf16 = ScanImages.toLabelMap(HeadlessImageJ.image("case_024_0000-labels"), TOOTH_LABELS).data();
        int changed = 0;
        for (int i = 0; i < bf16.length; i++) {
            changed += bf16[i] != mask.data()[i] ? 1 : 0;
        }
        assertTrue(changed <= 0.001 * bf16.length, "bf16 changed " + changed + " of " + bf16.length + " pixels");
        HeadlessImageJ.image("case_024_0000-labels").close();
        String unknown = HeadlessImageJ.run(SegmentImagePlugin.class,
                "image=case_024_0000 model=tooth-root-unet2d device=cpu precision=fp16");
        assertTrue(unknown.contains("precision=fp16 is not one of [fp32, bf16, auto]"), unknown);
        assertNull(WindowManager.getImage("case_024_0000-labels"), "nothing added for an unknown precision");

        // smaller tiles (less memory): the same segmentation up to blending at tile borders
        HeadlessImageJ.run(SegmentImagePlugin.class, "image=case_024_0000 model=tooth-root-unet2d size=80x80 device=cpu");
        LabelMap small = ScanImages.toLabelMap(HeadlessImageJ.image("case_024_0000-labels"), TOOTH_LABELS);
        double agreement = Evaluator.meanForegroundDice(mask, small);
        assertTrue(agreement > 0.97 && agreement < 1.0, "80x80 tiles vs 160x160: Dice " + agreement);
        HeadlessImageJ.image("case_024_0000-labels").close();
        String refused = HeadlessImageJ.run(SegmentImagePlugin.class,
                "image=case_024_0000 model=tooth-root-unet2d size=70x70 device=cpu");
        assertTrue(refused.contains("tile 70x70 (x×y): every size must be a positive multiple of 16x16 (x×y)"), refused);
        // the keys that say what they are, and the old ones (size= in H×W order): the same tile, 80 wide, 48 high
        HeadlessImageJ.run(SegmentImagePlugin.class,
                "image=case_024_0000 model=tooth-root-unet2d overlap=0.25 batch=1 tile-size=80x48 device=cpu");
        byte[] named = ScanImages.toLabelMap(HeadlessImageJ.image("case_024_0000-labels"), TOOTH_LABELS).data();
        HeadlessImageJ.image("case_024_0000-labels").close();
        HeadlessImageJ.run(SegmentImagePlugin.class,
                "image=case_024_0000 model=tooth-root-unet2d tile=0.25 tiles=1 size=48x80 device=cpu");
        assertArrayEquals(named, ScanImages.toLabelMap(HeadlessImageJ.image("case_024_0000-labels"), TOOTH_LABELS).data());
        HeadlessImageJ.image("case_024_0000-labels").close();
        HeadlessImageJ.run(SegmentImagePlugin.class,
                "image=case_024_0000 model=tooth-root-unet2d overlap=0.25 batch=1 tile-size=48x80 device=cpu");
        assertFalse(Arrays.equals(named, ScanImages.toLabelMap(HeadlessImageJ.image("case_024_0000-labels"),
                TOOTH_LABELS).data()), "a 48 wide, 80 high tile blends otherwise: the order is read, not ignored");
        HeadlessImageJ.image("case_024_0000-labels").close();

        // a second run replaces medseg's outlines (also those named the old way) and keeps the user's own overlay
        Roi mine = new Roi(1, 1, 5, 5);
        mine.setName("mine");
        scan.getOverlay().add(mine);
        Roi old = new Roi(2, 2, 3, 3);
        old.setName("medseg tooth root 1"); // an outline of an earlier version, from a saved TIFF
        scan.getOverlay().add(old);
        int outlines = scan.getOverlay().size() - 2;
        HeadlessImageJ.run(SegmentImagePlugin.class, "image=case_024_0000 model=tooth-root-unet2d outlines device=cpu");
        assertEquals(outlines + 1, scan.getOverlay().size());
        assertNotNull(scan.getOverlay().get("mine"));
        // with the first run's label image still open, the second gets a title of its own
        HeadlessImageJ.run(SegmentImagePlugin.class, "image=case_024_0000 model=tooth-root-unet2d device=cpu");
        assertNotNull(HeadlessImageJ.image("case_024_0000-labels"));
        assertNotNull(HeadlessImageJ.image("case_024_0000-labels-1"));
        HeadlessImageJ.image("case_024_0000-labels-1").close();
        HeadlessImageJ.image("case_024_0000-labels").close();
    }

    @Test
    void aScanUnlikeTheTrainingDataIsSegmentedWithAWarningInTheLog() {
        // a quarter-size crop of a radiograph: 64 × 56 mm against the 256 × 224 mm the model was trained on
        Path png = TOOTH.resolve("imagesTs/case_024_0000.png");
        HeadlessImageJ.run(OpenScanPlugin.class, "scan=" + png + " window=[full range]");
        ImagePlus scan = HeadlessImageJ.image("case_024_0000");
        scan.setRoi(0, 0, 64, 56);
        ImagePlus small = scan.crop();
        small.setTitle("small64");
        small.show();
        String logged = HeadlessImageJ.run(SegmentImagePlugin.class, "image=small64 model=tooth-root-unet2d device=cpu");
        assertTrue(logged.contains("warning: \"small64\" is unlike the model's training data: extent 64 × 56 mm (trained on"
                + " 256 × 224 mm)"), logged);
        ImagePlus labels = HeadlessImageJ.image("small64-labels");
        assertTrue(labels.getProp("medseg.warning").startsWith("unlike the model's training data: extent"));
    }

    @Test
    void segmentSaveAndEvaluateACtVolume() throws Exception {
        Path file = CT.resolve("imagesTs/ct_004_0000.nii.gz");
        Path refFile = CT.resolve("labelsTs/ct_004.nii.gz");
        HeadlessImageJ.run(OpenScanPlugin.class, "scan=" + file + " window=abdomen");
        HeadlessImageJ.run(SegmentImagePlugin.class,
                "image=ct_004_0000 model=abdomen-ct-unet3d largest components=kidney=2 measurements device=cpu");
        ImagePlus labels = HeadlessImageJ.image("ct_004_0000-labels");
        LabelMap ref = Nifti.readLabels(refFile, CT_LABELS);
        LabelMap mask = ScanImages.toLabelMap(labels, CT_LABELS);
        byte[] filtered = mask.data().clone();
        LargestComponent.keepLargest(filtered, mask.sizeXyz(), new int[] {0, 1, 2});
        assertArrayEquals(filtered, mask.data(), "one liver and at most two kidneys were kept");
        CaseEvaluation direct = new Evaluator(CT_LABELS, EvaluationSettings.DEFAULT).evaluate("ct_004", ref, mask);
        assertTrue(direct.row(1).counts().dice() > 0.85, "liver Dice " + direct.row(1).counts().dice());
        assertTrue(direct.row(2).counts().dice() > 0.80, "kidney Dice " + direct.row(2).counts().dice());

        Geometry g = Nifti.readVolume(file).geometry();
        double voxelMl = g.spacingMm()[0] * g.spacingMm()[1] * g.spacingMm()[2] / 1000;
        ResultsTable measured = ResultsTable.getResultsTable();
        assertEquals(2, measured.size());
        assertEquals("kidney", measured.getStringValue("name", 1));
        assertEquals(direct.row(2).counts().predictionVoxels(), measured.getValue("voxels", 1), 0);
        assertEquals(direct.row(2).counts().predictionVoxels() * voxelMl, measured.getValue("volume_ml", 1), 1e-9);

        Path out = tmp.resolve("ct_004_mask.nii.gz");
        HeadlessImageJ.run(SaveMaskPlugin.class, "labels=ct_004_0000-labels geometry=ct_004_0000 file=" + out);
        LabelMap saved = Nifti.readLabels(out, CT_LABELS);
        assertArrayEquals(mask.data(), saved.data());
        assertEquals(g, saved.geometry(), "the saved mask has the scan's affine");
        String again = HeadlessImageJ.run(SaveMaskPlugin.class, "labels=ct_004_0000-labels geometry=ct_004_0000 file=" + out);
        assertTrue(again.contains("error: ") && again.contains(out.toString()), again);

        HeadlessImageJ.run(OpenScanPlugin.class, "scan=" + refFile + " window=[full range]");
        HeadlessImageJ.run(EvaluateSegmentationPlugin.class,
                "compare=[two open images] reference=ct_004 prediction=ct_004_0000-labels scan=ct_004_0000 error");
        ResultsTable rt = ResultsTable.getResultsTable();
        assertEquals(2, rt.size());
        for (int row = 0; row < 2; row++) {
            int label = row + 1;
            assertEquals(CT_LABELS.get(label), rt.getStringValue("Name", row));
            assertEquals(direct.row(label).counts().dice(), rt.getValue("Dice", row), 1e-12);
            assertEquals(direct.row(label).counts().iou(), rt.getValue("IoU", row), 1e-12);
            assertEquals(Metric.HD95.of(direct.row(label)), rt.getValue("HD95", row), 1e-9);
        }
        ImagePlus errors = HeadlessImageJ.image("ct_004_0000-labels-errors");
        assertEquals(labels.getNSlices(), errors.getNSlices());
        assertEquals(ImagePlus.COLOR_RGB, errors.getType());
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < ref.data().length; i++) {
            int truth = ref.data()[i];
            int predicted = mask.data()[i];
            fp += truth != predicted && predicted != 0 ? 1 : 0;
            fn += truth != predicted && predicted == 0 ? 1 : 0;
        }
        assertTrue(fp > 0 && fn > 0, "the case has both kinds of error");
        assertEquals(fp, countColour(errors, ErrorOverlay.FALSE_POSITIVE));
        assertEquals(fn, countColour(errors, ErrorOverlay.FALSE_NEGATIVE));
    }

    private static long countColour(ImagePlus rgb, Color colour) {
        long n = 0;
        for (int z = 1; z <= rgb.getNSlices(); z++) {
            for (int v : (int[]) rgb.getStack().getPixels(z)) {
                n += (v & 0xffffff) == (colour.getRGB() & 0xffffff) ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void evaluateTwoFoldersGivesOneRowPerCaseAndLabel() throws Exception {
        Path predictions = Files.createDirectories(tmp.resolve("pred"));
        for (String c : new String[] {"ct_002", "ct_003"}) {
            Files.copy(CT.resolve("labelsTs/" + c + ".nii.gz"), predictions.resolve(c + ".nii.gz"));
        }
        Path refs = Files.createDirectories(tmp.resolve("ref"));
        for (String c : new String[] {"ct_002", "ct_003"}) {
            Files.copy(CT.resolve("labelsTs/" + c + ".nii.gz"), refs.resolve(c + ".nii.gz"));
        }
        Files.copy(CT.resolve("dataset.json"), refs.resolve("dataset.json"));
        HeadlessImageJ.run(EvaluateSegmentationPlugin.class,
                "compare=[two folders] reference=" + refs + " prediction=" + predictions);
        ResultsTable rt = ResultsTable.getResultsTable();
        assertEquals(4, rt.size());
        assertEquals("ct_002", rt.getStringValue("Case", 0));
        assertEquals(1.0, rt.getValue("Dice", 3), 0);
        assertEquals(0.0, rt.getValue("HD95", 3), 0);
    }

    @Test
    void segmentImageRunsAnNnUNetFolderOnTheFilesVoxelOrderAndShowsTheMaskInTheView() throws Exception {
        Path fixtures = Path.of("..", "nnunet-import", "src", "test", "resources", "nnunet", "fixtures").toAbsolutePath()
                .normalize();
        Path model = fixtures.resolve("nnUNet_results/Dataset991_TinyCT/nnUNetTrainer_Fixture__nnUNetPlansTiny__3d_fullres");
        // stored with permuted and flipped axes: Open Scan shows it reoriented, nnU-Net must see the file's order
        Path scan = fixtures.resolve("test_images/Dataset991_TinyCT/images/case_002_0000.nii.gz");
        HeadlessImageJ.run(OpenScanPlugin.class, "scan=" + scan + " window=automatic");
        ImagePlus shown = HeadlessImageJ.image("case_002_0000");
        assertTrue(shown.getProp(ScanImages.FILE_GRID) != null, "shown reoriented");
        String log = HeadlessImageJ.run(SegmentImagePlugin.class, "image=case_002_0000 model=[folder below] bundle=" + model
                + " outlines measurements device=cpu");
        assertTrue(log.contains("is an nnU-Net v2 model"), log);
        ImagePlus labels = HeadlessImageJ.image("case_002_0000-labels");
        Map<Integer, String> names = Map.of(0, "background", 1, "liver-like", 2, "kidney-like");
        LabelMap onFile = SaveMaskPlugin.onFileGrid(ScanImages.toLabelMap(labels, names), labels);
        LabelMap nnunet = Nifti.readLabels(fixtures.resolve("predictions/ct3d_plain/folds01_mirror/case_002.nii.gz"), names);
        assertArrayEquals(nnunet.data(), onFile.data(), "every fold, mirroring: nnU-Net's own mask, voxel for voxel");
        assertEquals(null, nnunet.geometry().mismatch(onFile.geometry()));
    }

    @Test
    void importNnUNetModelWritesABundleThatSegmentsAsTheFolder() throws Exception {
        Path fixtures = Path.of("..", "nnunet-import", "src", "test", "resources", "nnunet", "fixtures").toAbsolutePath()
                .normalize();
        // the plain model: its fold ensemble labels both organs (the ResEnc one's labels nothing)
        Path model = fixtures.resolve("nnUNet_results/Dataset991_TinyCT/nnUNetTrainer_Fixture__nnUNetPlansTiny__3d_fullres");
        Path bundle = tmp.resolve("imported-plain");
        String log = HeadlessImageJ.run(ImportNnUNetModelPlugin.class, "nnu-net=" + model + " bundle=" + bundle
                + " folds=0,1 checkpoint=final");
        assertTrue(log.contains("Import nnU-Net Model: imported " + model + " (3d_fullres, folds 0, 1, checkpoint_final.pth)"),
                log);
        Path scan = fixtures.resolve("test_images/Dataset991_TinyCT/images/case_001_0000.nii.gz");
        HeadlessImageJ.run(OpenScanPlugin.class, "scan=" + scan + " window=automatic");
        log = HeadlessImageJ.run(SegmentImagePlugin.class, "image=case_001_0000 model=[folder below] bundle=" + bundle
                + " device=cpu");
        assertTrue(log.contains("is an nnU-Net v2 model (imported)"), log);
        ImagePlus labels = HeadlessImageJ.image("case_001_0000-labels");
        Map<Integer, String> names = Map.of(0, "background", 1, "liver-like", 2, "kidney-like");
        LabelMap onFile = SaveMaskPlugin.onFileGrid(ScanImages.toLabelMap(labels, names), labels);
        LabelMap nnunet = Nifti.readLabels(fixtures.resolve("predictions/ct3d_plain/folds01_mirror/case_001.nii.gz"), names);
        assertArrayEquals(nnunet.data(), onFile.data(), "the imported bundle gives nnU-Net's own mask");
        long[] counts = new long[3];
        for (byte b : nnunet.data()) {
            counts[b]++;
        }
        assertTrue(counts[1] > 100 && counts[2] > 100, "a mask with both organs, not background alone: "
                + Arrays.toString(counts));

        Path hostile = tmp.resolve("hostile-bundle");
        log = HeadlessImageJ.run(ImportNnUNetModelPlugin.class, "nnu-net=" + fixtures.resolve("broken/malicious_os_system")
                + " bundle=" + hostile);
        assertTrue(log.contains("Import nnU-Net Model: error:") && log.contains("the pickle names posix.system"), log);
        assertFalse(Files.exists(hostile), "nothing written");
    }

    @Test
    void badInputGetsOneLineAndChangesNothing() throws Exception {
        ImagePlus rgb = new ImagePlus("photo", new ColorProcessor(64, 48));
        rgb.getProcessor().setColor(Color.ORANGE);
        rgb.getProcessor().fill();
        int[] pixels = ((int[]) rgb.getProcessor().getPixels()).clone();
        rgb.show();
        String log = HeadlessImageJ.run(SegmentImagePlugin.class, "image=photo model=tooth-root-unet2d device=cpu");
        assertTrue(log.contains("Segment Image: error: \"photo\" is an RGB image"), log);
        assertArrayEquals(pixels, (int[]) rgb.getProcessor().getPixels());
        assertNull(WindowManager.getImage("photo-labels"));

        HeadlessImageJ.run(OpenScanPlugin.class, "scan=" + TOOTH.resolve("imagesTs/case_025_0000.png"));
        log = HeadlessImageJ.run(SegmentImagePlugin.class, "image=case_025_0000 model=abdomen-ct-unet3d device=cpu");
        assertTrue(log.contains("\"case_025_0000\" does not fit abdomen-ct-unet3d: the model is 3D, the image is 2D (one"
                + " slice); give the whole series or volume"), log);

        log = HeadlessImageJ.run(SegmentImagePlugin.class,
                "image=case_025_0000 model=[folder below] bundle=" + tmp + " device=cpu");
        assertTrue(log.contains(tmp + " is neither a model bundle (no model.json) nor an nnU-Net v2 model"), log);

        log = HeadlessImageJ.run(SegmentImagePlugin.class,
                "image=case_025_0000 model=tooth-root-unet2d components=root device=cpu");
        assertTrue(log.contains("components kept per label: expected LABEL=N such as kidney=2, got \"root\""), log);
        assertNull(WindowManager.getImage("case_025_0000-labels"));

        log = HeadlessImageJ.run(SegmentImagePlugin.class, "image=case_025_0000 model=no-such-model");
        assertTrue(log.contains("model=no-such-model is not one of"), log);

        log = HeadlessImageJ.run(SegmentImagePlugin.class, null);
        assertTrue(log.contains("runs headless only from a macro with its options"), log);

        log = HeadlessImageJ.run(SaveMaskPlugin.class, "labels=case_025_0000 file=" + tmp.resolve("m.nii.gz"));
        assertTrue(log.contains("is a 32-bit scan, not a label image"), log);
        assertFalse(Files.exists(tmp.resolve("m.nii.gz")));

        log = HeadlessImageJ.run(OpenScanPlugin.class, "scan=" + tmp.resolve("missing.nii.gz"));
        assertTrue(log.contains("Open Scan: error: ") && log.contains("missing.nii.gz"), log);
        assertEquals(2, WindowManager.getImageCount(), "no image opened for bad input");
    }

    @Test
    void runningOutOfMemoryIsOneLineNotACrash() throws Exception {
        // 512 x 512 x 110 floats (115 MB): within the reader's limit (raised to 150 MB), but not twice in a 160 MB heap
        Path big = tmp.resolve("big.nii");
        long[] size = {512, 512, 110};
        Nifti.write(Volume.zeros(size, 1, Geometry.identity(3)), big, false);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx160m",
                "-D" + ReadLimits.MAX_SCAN_BYTES + "=150m",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), HeadlessCommands.class.getName(),
                "OpenScanPlugin", "scan=" + big).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor(), out);
        assertTrue(out.contains("Open Scan: error: out of memory"), out);
        assertFalse(out.contains("Exception in thread"), out);
    }

    @Test
    void escStopsTrainingAndKeepsTheBestBundle() throws Exception {
        Path bundle = tmp.resolve("stopped");
        // Esc once the first epoch has saved its bundle, as a user watching the log would
        Thread esc = new Thread(() -> {
            try {
                while (!Files.exists(bundle.resolve("model.json"))) {
                    Thread.sleep(50);
                }
                ij.IJ.setKeyDown(KeyEvent.VK_ESCAPE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        esc.start();
        String log = HeadlessImageJ.run(TrainModelPlugin.class, "dataset=" + TOOTH + " bundle=" + bundle
                + " architecture=unet2d epochs=6 iterations=2 patch=64x64 batch=2 learning=0.001 seed=7 device=cpu");
        esc.join(60_000);
        ij.IJ.resetEscape();
        assertTrue(log.contains("Train Model: stopped: training stopped during epoch "), log);
        assertTrue(ModelBundle.isBundle(bundle), "the best bundle is kept");
        assertFalse(log.contains("epoch 6:"), log);
        String resumed = HeadlessImageJ.run(TrainModelPlugin.class, "dataset=" + TOOTH + " bundle=" + bundle
                + " architecture=unet2d epochs=6 iterations=2 patch=64x64 batch=2 learning=0.001 seed=7 continue device=cpu");
        assertTrue(resumed.contains("Train Model: epoch 6: loss") && resumed.contains("best validation Dice"), resumed);
        assertFalse(resumed.contains("epoch 1:"), "continued after epoch 1, not anew: " + resumed);
    }

    @Test
    void trainModelWritesABundleThatSegmentImageUses() throws Exception {
        Path bundle = tmp.resolve("tiny");
        String log = HeadlessImageJ.run(TrainModelPlugin.class, "dataset=" + TOOTH + " bundle=" + bundle
                + " architecture=unet2d epochs=1 iterations=2 patch=64x64 batch=2 learning=0.001 seed=7 device=cpu");
        assertTrue(log.contains("Train Model: epoch 1: loss "), log);
        assertTrue(log.contains("best validation Dice"), log);
        assertTrue(ModelBundle.isBundle(bundle));

        HeadlessImageJ.run(OpenScanPlugin.class, "scan=" + TOOTH.resolve("imagesTs/case_025_0000.png"));
        HeadlessImageJ.run(SegmentImagePlugin.class,
                "image=case_025_0000 model=[folder below] bundle=" + bundle + " device=cpu");
        ImagePlus labels = HeadlessImageJ.image("case_025_0000-labels");
        assertEquals(bundle.toAbsolutePath().toString(), labels.getProp("medseg.model"));
    }

    @Test
    void fineTuneModelStartsFromTheBundledModelAndRecordsItsParent() throws Exception {
        Path canal = tmp.resolve("Dataset004_RootCanal");
        ToothRootDataset.write(canal, 4000, 4, 1, 160, 160,
                ToothRootDataset.Structure.ROOT_CANAL, 1000);
        Path bundle = tmp.resolve("canal");
        String log = HeadlessImageJ.run(FineTuneModelPlugin.class, "start=tooth-root-unet2d dataset=" + canal + " bundle="
                + bundle + " freeze=encoder learning-rate=0.5 epochs=1 iterations=2 learning=0.001 seed=7 device=cpu");
        assertTrue(log.contains("Fine-tune Model: initialised from ") && log.contains("98 of 100 parameters copied, head "
                + "replaced: 1 of 2 labels new [root canal]; frozen: encoder (50 parameters); pretrained layers learn at 0.5"),
                log);
        assertTrue(log.contains("Fine-tune Model: epoch 1: loss ") && log.contains("(from tooth-root-unet2d)"), log);
        var config = ModelBundle.readConfig(bundle);
        assertEquals("tooth-root-unet2d", config.provenance().get("parent"));
        assertEquals("encoder (50 parameters)", config.provenance().get("parent_freeze"));
        assertEquals(Map.of(0, "background", 1, "root canal"), config.labels());
    }
}
