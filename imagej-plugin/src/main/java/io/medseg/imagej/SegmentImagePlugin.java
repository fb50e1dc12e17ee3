package io.medseg.imagej;

import ai.djl.Device;
import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import ij.plugin.frame.RoiManager;
import io.medseg.core.Segmenter;
import io.medseg.evaluation.stats.ScanStatistics;
import io.medseg.evaluation.stats.StatisticsTable;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.engine.Devices;
import io.medseg.core.engine.Precision;
import io.medseg.core.infer.KeptComponents;
import io.medseg.image.LabelMap;
import io.medseg.image.Reorientation;
import io.medseg.image.Volume;
import io.medseg.nnunet.NnUNetModel;
import io.medseg.nnunet.NnUNetModelFolder;
import io.medseg.nnunet.NnUNetZip;
import io.medseg.pipeline.NnUNetScanSegmenter;
import io.medseg.pipeline.ScanSegmenter;
import io.medseg.pipeline.SpatialSizes;
import io.medseg.pipeline.StoppedException;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plugins > Segmentation Workbench > Segment Image...: the active image (2D, or the whole stack)
 * with a bundled model or a bundle folder. Results: a label image titled "TITLE-labels" with a
 * LUT and the scan's geometry, coloured outlines on the image's overlay, optionally ROIs added to
 * the ROI Manager, and a table "TITLE-measurements" of organ statistics per label (the columns of
 * statistics.csv). The image itself is not changed.
 */
public final class SegmentImagePlugin implements PlugIn {
    static {
        QuietLogging.apply();
    }

    static final String COMMAND = "Segment Image";
    static final String OTHER = "folder below";
    /**
     * The keys before 2026-12 said little: {@code tile=} was the overlap, {@code tiles=} the tiles per
     * batch, {@code size=} the tile size in tensor order ([D×]H×W).
     */
    static final MacroOptions.LegacyKey[] LEGACY_KEYS = {
        new MacroOptions.LegacyKey("tile", "overlap", v -> v),
        new MacroOptions.LegacyKey("tiles", "batch", v -> v),
        new MacroOptions.LegacyKey("size", "tile-size", MacroOptions::reversedSizes)};

    @Override
    public void run(String arg) {
        CommandRunner.run(COMMAND, () -> {
            ImagePlus imp = WindowManager.getCurrentImage();
            if (imp == null) {
                throw new PluginException("no image is open; open a scan first (Open Scan...)");
            }
            // the first bundled model of the image's dimensionality is the default
            List<String> models = new ArrayList<>();
            String fitting = null;
            int dims = imp.getNSlices() > 1 ? 3 : 2;
            for (Path p : CommandRunner.bundledModels().list()) {
                models.add(p.getFileName().toString());
                if (fitting == null && ModelBundle.readConfig(p).patchSize().length == dims) {
                    fitting = p.getFileName().toString();
                }
            }
            models.add(OTHER);
            PluginDialog dialog = new PluginDialog(COMMAND, LEGACY_KEYS);
            dialog.addImage("Image", imp);
            dialog.addChoice("Model", models.toArray(String[]::new), fitting != null ? fitting : models.get(0));
            dialog.addDirectory("Bundle or nnU-Net model folder or .zip (Model: " + OTHER + ")", "");
            dialog.addNumber("Overlap of tiles (0-0.9)", 0.5, 2);
            dialog.addNumber("Batch of tiles per network pass", 2, 0);
            dialog.addString("Tile-size WxH or WxHxD, width first (empty = the model's patch)", "");
            dialog.addCheckbox("Mirror (test-time augmentation, slower)", false);
            dialog.addCheckbox("Largest component only", false);
            dialog.addString("Components kept per label (e.g. kidney=2; empty = as above)", "");
            dialog.addCheckbox("Outlines on the image", true);
            dialog.addCheckbox("Add ROIs to the ROI Manager", false);
            dialog.addCheckbox("Measurements table", true);
            dialog.addChoice("Device", new String[] {"auto", "cpu", "gpu"}, "auto");
            dialog.addChoice("Precision (bf16: faster with AVX-512 BF16 or AMX)",
                    CommandRunner.PRECISIONS, Precision.INFERENCE_DEFAULT);
            if (!dialog.show()) {
                return;
            }
            imp = dialog.nextImage();
            String model = dialog.nextChoice();
            String folder = dialog.nextString().trim();
            double overlap = dialog.nextNumber();
            int batch = (int) dialog.nextNumber();
            String tileText = dialog.nextString().trim();
            boolean mirror = dialog.nextBoolean();
            boolean largest = dialog.nextBoolean();
            String componentsText = dialog.nextString().trim();
            boolean outlines = dialog.nextBoolean();
            boolean roiManager = dialog.nextBoolean();
            boolean table = dialog.nextBoolean();
            String device = dialog.nextChoice();
            String precision = dialog.nextChoice();
            Path bundle = bundlePath(model, folder);
            if (!(overlap >= 0 && overlap < 1) || batch < 1) {
                throw new PluginException("tile overlap must be in [0, 1) and tiles per batch at least 1; got " + overlap
                        + " and " + batch);
            }
            int[] tile = tileText.isEmpty() ? null : SpatialSizes.parseXyz(tileText, 0, "tile-size");
            KeptComponents components;
            try {
                components = KeptComponents.parse(componentsText, largest);
            } catch (IllegalArgumentException e) {
                throw new PluginException("components kept per label: " + e.getMessage());
            }
            Device chosen = Devices.select(device);
            Precision.Selection arithmetic = CommandRunner.precision(COMMAND, precision, Precision.INFERENCE_DEFAULT,
                    chosen);
            segment(imp, bundle, new Segmenter.Options(overlap, batch, mirror, components, tile, arithmetic.precision()),
                    chosen, outlines, roiManager, table);
        });
    }

    static Path bundlePath(String model, String folder) {
        if (!model.equals(OTHER)) {
            return CommandRunner.bundledModels().folder().resolve(model);
        }
        if (folder.isEmpty()) {
            throw new PluginException("choose a bundle folder (Model: " + OTHER + ")");
        }
        Path p = Path.of(folder);
        if (!ModelBundle.isBundle(p) && !NnUNetModelFolder.looksLikeOne(p) && !NnUNetZip.looksLikeOne(p)) {
            throw new PluginException(p + " is neither a model bundle (no model.json) nor an nnU-Net v2 model (no "
                    + "plans.json and dataset.json); choose a folder written by Train Model..., medseg train or nnU-Net");
        }
        return p;
    }

    /**
     * Segments {@code imp} with the bundle or nnU-Net model at {@code model}. An nnU-Net model runs
     * as nnU-Net runs it (every fold, final checkpoint, mirroring, tile step 0.5); the bundle options
     * do not apply to it.
     */
    static ImagePlus segment(ImagePlus imp, Path model, Segmenter.Options options, Device device, boolean outlines,
            boolean roiManager, boolean table) throws IOException {
        if (NnUNetModel.isOne(model)) {
            IJ.log(COMMAND + ": " + model.getFileName() + " is an nnU-Net v2 model" + (NnUNetModel.isImportedBundle(model)
                    ? " (imported)" : "") + ": every fold, mirroring, as nnU-Net predicts (the tile and component options "
                    + "are for this project's bundles)");
            try (NnUNetModel nnunet = NnUNetModel.open(model, List.of(), NnUNetModelFolder.Checkpoint.FINAL, device)) {
                nnunet.usePrecision(options.precision());
                return segment(imp, new NnUNetScanSegmenter(nnunet, 0.5, true), model, outlines, roiManager, table);
            }
        }
        try (Segmenter segmenter = Segmenter.load(model, device, options)) {
            return segment(imp, ScanSegmenter.of(segmenter), model, outlines, roiManager, table);
        }
    }

    /**
     * Segments {@code imp}; shows the label image and the chosen outputs. A bundle out of memory
     * tries again with one tile per batch, then with tiles half as large in-plane (pipeline's
     * MemoryFallback), then gives up with a message.
     */
    static ImagePlus segment(ImagePlus imp, ScanSegmenter segmenter, Path bundle, boolean outlines, boolean roiManager,
            boolean table) throws IOException {
        Volume shown = ScanImages.toVolume(imp);
        // a model that works in the file's voxel order sees the scan as stored, not as the radiological view shows it
        ScanImages.FileGrid grid = segmenter.fileVoxelOrder() ? ScanImages.fileGrid(imp) : null;
        Reorientation order = grid == null ? null : Reorientation.toClosestCanonical(grid.geometry(), grid.sizeXyz());
        Volume scan = order == null ? shown : Volume.wrap(order.restore(shown.data(), shown.channels()), grid.sizeXyz(),
                shown.channels(), grid.geometry()).withModality(shown.modality());
        int dims = segmenter.dims();
        if (dims == 2 && scan.numDimensions() == 3) {
            IJ.log(COMMAND + ": the model is 2D; segmenting the " + imp.getNSlices() + " slices of \""
                    + imp.getTitle() + "\" one by one");
        }
        int tiles;
        try {
            tiles = Math.toIntExact(segmenter.tileCount(scan));
        } catch (IllegalArgumentException e) {
            throw new PluginException("\"" + imp.getTitle() + "\" does not fit " + bundle.getFileName() + ": "
                    + e.getMessage());
        }
        // a scan unlike the training data still gets its mask, with the warning where the user looks
        String domain = segmenter.domainWarning(scan);
        if (!domain.isEmpty()) {
            IJ.log(COMMAND + ": warning: \"" + imp.getTitle() + "\" is " + domain);
        }
        IJ.resetEscape(); // an Esc pressed before this run (closing a menu) is not a request to stop it
        IJ.showStatus(COMMAND + ": " + tiles + " tiles with " + bundle.getFileName() + " (Esc stops)");
        Segmenter.Segmentation result;
        long start = System.nanoTime();
        try {
            result = segmenter.segment(scan, done -> {
                IJ.showProgress(done, tiles);
                IJ.showStatus(COMMAND + ": " + done + " of " + tiles + " tiles, " + eta(start, done, tiles)
                        + " (Esc stops)");
                if (IJ.escapePressed()) {
                    throw new StoppedException("Esc pressed after " + done + " of " + tiles + " tiles; nothing was "
                            + "added");
                }
            }, false, line -> IJ.log(COMMAND + ": " + line));
        } catch (OutOfMemoryError e) {
            throw new PluginException("out of memory segmenting \"" + imp.getTitle() + "\" " + e.getMessage()
                    + "; give ImageJ more memory (Edit > Options > Memory & Threads) or segment a cropped part");
        }
        if (!result.warning().isEmpty()) {
            IJ.log(COMMAND + ": \"" + imp.getTitle() + "\": " + result.warning());
        }
        LabelMap mask = order == null ? result.mask() : order.apply(result.mask());
        Map<Integer, String> names = segmenter.labels();
        // a second run beside the first gets a title of its own ("-labels-1"), not a second window of the same name
        String title = imp.getTitle() + "-labels";
        ImagePlus labels = ScanImages.toImage(mask, WindowManager.getImage(title) == null ? title
                : WindowManager.getUniqueName(title));
        labels.setProp("medseg.model", bundle.toAbsolutePath().toString());
        if (imp.getProp(ScanImages.FILE_GRID) != null) { // shown reoriented: the mask is saved on the file's grid
            labels.setProp(ScanImages.FILE_GRID, imp.getProp(ScanImages.FILE_GRID));
        }
        if (imp.getProp(ScanImages.DICOM_SERIES) != null) { // Save Mask can write it as a DICOM SEG of that series
            labels.setProp(ScanImages.DICOM_SERIES, imp.getProp(ScanImages.DICOM_SERIES));
        }
        if (outlines || roiManager) {
            List<Roi> rois = LabelOutlines.of(labels, names, imp);
            if (outlines) {
                LabelOutlines.show(imp, rois);
            }
            if (roiManager) {
                addToRoiManager(rois);
            }
        }
        if (table) {
            Tables.show(measurements(mask, shown), imp.getTitle() + "-measurements");
        }
        if (!domain.isEmpty()) {
            labels.setProp("medseg.warning", domain);
        }
        ScanDisplay.legend(labels, names);
        labels.show();
        ScanDisplay.zoom(labels, ScanDisplay.zoomOf(imp));
        ScanDisplay.followSlices(imp, labels);
        IJ.showStatus(COMMAND + ": done" + (domain.isEmpty() ? "" : "; the scan is unlike the model's training data"
                + " (see the Log window)"));
        return labels;
    }

    /** "ETA m:ss" from the time per tile so far, as the command line's progress bar says it. */
    static String eta(long startNanos, int done, int total) {
        if (done == 0) {
            return "ETA …";
        }
        long seconds = Math.round((System.nanoTime() - startNanos) / 1e9 / done * (total - done));
        return String.format(Locale.ROOT, "ETA %d:%02d", seconds / 60, seconds % 60);
    }

    /**
     * The organ statistics of the mask, one row per label, in the columns of {@code statistics.csv}
     * (medseg segment --statistics) but the case.
     */
    static ResultsTable measurements(LabelMap mask, Volume scan) {
        StatisticsTable statistics = new StatisticsTable();
        statistics.add("", ScanStatistics.of(scan, mask, mask.labelNames()));
        ResultsTable rt = Tables.create();
        List<String> columns = StatisticsTable.COLUMNS;
        for (List<Object> row : statistics.rows()) {
            rt.incrementCounter();
            for (int c = 1; c < columns.size(); c++) { // column 0 is the case
                Object v = row.get(c);
                if (v instanceof Number n) {
                    rt.addValue(columns.get(c), n.doubleValue());
                } else if (v instanceof Boolean b) {
                    rt.addValue(columns.get(c), b ? 1 : 0);
                } else {
                    rt.addValue(columns.get(c), v == null ? "" : v.toString());
                }
            }
        }
        return rt;
    }

    /** Adds to the ROI Manager without clearing it (headless ImageJ has none: said in the log). */
    private static void addToRoiManager(List<Roi> rois) {
        if (GraphicsEnvironment.isHeadless()) {
            IJ.log(COMMAND + ": no ROI Manager headless; " + rois.size() + " outline(s) not added");
            return;
        }
        RoiManager rm = RoiManager.getRoiManager();
        for (Roi r : rois) {
            rm.addRoi((Roi) r.clone());
        }
    }
}
