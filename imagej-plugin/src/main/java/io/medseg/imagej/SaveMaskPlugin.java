package io.medseg.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.PlugIn;
import ij.process.StackStatistics;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Reorientation;
import io.medseg.io.ImageFiles;
import io.medseg.io.dicom.DicomSeries;
import io.medseg.io.dicom.SegmentationWriter;
import io.medseg.pipeline.LabelCodes;
import io.medseg.pipeline.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plugins > Segmentation Workbench > Save Mask...: a label image as NIfTI (or PNG/TIFF for 2D) with
 * the geometry of its source scan, so it overlays that scan in any viewer; when the scan was opened
 * from a DICOM series, also as a DICOM Segmentation ({@code .seg.dcm}, offered by default) that
 * references the series, for a PACS or a DICOM viewer. Written to a temporary name and renamed; an
 * existing file is replaced only when asked.
 */
public final class SaveMaskPlugin implements PlugIn {
    static {
        QuietLogging.apply();
    }

    static final String COMMAND = "Save Mask";
    static final String OWN = "the label image's own";

    @Override
    public void run(String arg) {
        CommandRunner.run(COMMAND, () -> {
            ImagePlus active = WindowManager.getCurrentImage();
            if (active == null) {
                throw new PluginException("no image is open; segment an image first");
            }
            PluginDialog dialog = new PluginDialog(COMMAND);
            dialog.addImage("Labels", active);
            dialog.addImage("Geometry from", null, OWN);
            boolean dicom = active.getProp(ScanImages.DICOM_SERIES) != null;
            dialog.addFile("File (.nii.gz, .nii, .png, .tif" + (dicom ? "; .seg.dcm: DICOM SEG of the series" : "") + ")",
                    defaultFile(active, dicom));
            dialog.addCheckbox("Replace an existing file", false);
            if (!dialog.show()) {
                return;
            }
            ImagePlus labels = dialog.nextImage();
            ImagePlus source = dialog.nextImage();
            String file = dialog.nextString().trim();
            boolean overwrite = dialog.nextBoolean();
            if (file.isEmpty()) {
                throw new PluginException("no file chosen");
            }
            Path out = save(labels, source, Path.of(file), overwrite);
            IJ.showStatus(COMMAND + ": wrote " + out);
            IJ.log(COMMAND + ": wrote " + out);
        });
    }

    /**
     * Writes {@code labels} with {@code source}'s geometry (null: the label image's own); a
     * {@code .dcm} name writes a DICOM SEG of the series the scan was opened from.
     */
    static Path save(ImagePlus labels, ImagePlus source, Path file, boolean overwrite) throws IOException {
        Map<Integer, String> names = ScanImages.labelNames(labels);
        if (names == null && labels.getBitDepth() == 32) {
            throw new PluginException("\"" + labels.getTitle() + "\" is a 32-bit scan, not a label image; save the "
                    + "label image Segment Image made, or an 8-bit image of label values");
        }
        LabelMap mask = ScanImages.toLabelMap(labels, names == null ? defaultNames(labels) : names);
        if (source != null) {
            if (source.getWidth() != labels.getWidth() || source.getHeight() != labels.getHeight()
                    || source.getNSlices() != labels.getNSlices()) {
                throw new PluginException("\"" + labels.getTitle() + "\" (" + size(labels) + ") does not have the size of \""
                        + source.getTitle() + "\" (" + size(source) + ")");
            }
            Geometry g = ScanImages.geometry(source, source.getNSlices());
            mask = LabelMap.wrap(mask.data(), mask.numDimensions() == g.numDimensions() ? mask.sizeXyz()
                    : Arrays.copyOf(mask.sizeXyz(), g.numDimensions()), g, mask.labelNames());
        }
        mask = onFileGrid(mask, source != null ? source : labels);
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dcm")) {
            return saveSeg(labels, source, mask, file, overwrite);
        }
        if (!ImageFiles.isReadableImage(file)) {
            throw new PluginException(file + ": choose a .nii.gz, .nii, .png or .tif file name");
        }
        if (mask.numDimensions() == 3 && !ImageFiles.isNifti(file)) {
            throw new PluginException(file + ": a 3D mask is saved as NIfTI (.nii.gz or .nii)");
        }
        ImageFiles.writeLabels(mask, file, overwrite);
        return file;
    }

    /** The mask as a DICOM SEG of the series the scan (or, else, the label image) says it was opened from. */
    private static Path saveSeg(ImagePlus labels, ImagePlus source, LabelMap mask, Path file, boolean overwrite)
            throws IOException {
        DicomSeries series = source != null && source.getProp(ScanImages.DICOM_SERIES) != null
                ? ScanImages.dicomSeries(source) : ScanImages.dicomSeries(labels);
        if (series == null) {
            throw new PluginException(file + ": a DICOM SEG references the DICOM series its scan was opened from, and \""
                    + labels.getTitle() + "\" does not come from one (Open Scan a DICOM folder, then Segment Image);"
                    + " choose .nii.gz");
        }
        String model = labels.getProp("medseg.model");
        LabelCodes codes = model != null && Files.exists(Path.of(model)) ? LabelCodes.of(Path.of(model))
                : LabelCodes.builtIn("the label image");
        LabelCodes.Segments segments = codes.segments(mask.labelNames());
        segments.notes().forEach(n -> IJ.log(COMMAND + ": " + n));
        String algorithm = model == null ? "manual (ImageJ)" : Path.of(model).getFileName().toString();
        try {
            SegmentationWriter.write(series, mask, segments.segments(), new SegmentationWriter.Algorithm(algorithm,
                    "medseg " + Provenance.MEDSEG_VERSION), "Segmentation by " + algorithm, Instant.now(), file, overwrite);
        } catch (IllegalArgumentException e) {
            throw new PluginException(file + ": " + e.getMessage());
        }
        return file;
    }

    /**
     * The mask on the grid of the file the scan was opened from when Open Scan showed it reoriented
     * (the same voxels permuted and flipped back, so the mask matches the file voxel for voxel);
     * as shown otherwise.
     */
    static LabelMap onFileGrid(LabelMap mask, ImagePlus gridHolder) {
        ScanImages.FileGrid file = ScanImages.fileGrid(gridHolder);
        if (file == null) {
            return mask;
        }
        Reorientation order = Reorientation.toClosestCanonical(file.geometry(), file.sizeXyz());
        if (!Arrays.equals(order.canonicalSize(), mask.sizeXyz())
                || order.canonicalGeometry(file.geometry()).mismatch(mask.geometry()) != null) {
            IJ.log(COMMAND + ": \"" + gridHolder.getTitle() + "\" no longer has the grid it was opened with; the mask is"
                    + " saved as shown (same place in the patient, another voxel order than the file)");
            return mask;
        }
        return LabelMap.wrap(order.restore(mask.data()), file.sizeXyz(), file.geometry(), mask.labelNames());
    }

    private static Map<Integer, String> defaultNames(ImagePlus labels) {
        Map<Integer, String> names = new TreeMap<>();
        names.put(0, "background");
        int max = (int) new StackStatistics(labels).max;
        for (int v = 1; v <= max; v++) {
            names.put(v, "label " + v);
        }
        return names;
    }

    /**
     * The image's title as a file name, beside the image's file; for a DICOM series the name of the
     * series' folder (a title may be cut) as {@code NAME.seg.dcm} beside that folder, not among the
     * series' own files.
     */
    private static String defaultFile(ImagePlus imp, boolean dicom) {
        if (dicom) {
            try {
                Path folder = ScanImages.dicomSeries(imp).files().get(0).toAbsolutePath().getParent();
                Path beside = folder.getParent() == null ? folder : folder.getParent();
                return beside.resolve(folder.getFileName() + ".seg.dcm").toString();
            } catch (PluginException e) {
                IJ.log(COMMAND + ": " + e.getMessage()); // the series moved: Save then says so; the dialog still opens
            }
        }
        String dir = IJ.getDirectory("image");
        String name = imp.getTitle().replaceAll("[^A-Za-z0-9._-]+", "_") + (dicom ? ".seg.dcm" : ".nii.gz");
        return dir == null ? name : Path.of(dir, name).toString();
    }

    private static String size(ImagePlus imp) {
        return imp.getWidth() + "x" + imp.getHeight() + "x" + imp.getNSlices();
    }
}
