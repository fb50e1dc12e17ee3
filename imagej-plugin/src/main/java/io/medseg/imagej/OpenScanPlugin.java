package io.medseg.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.PlugIn;
import ij.process.StackStatistics;
import io.medseg.image.Geometry;
import io.medseg.image.Reorientation;
import io.medseg.image.Volume;
import io.medseg.pipeline.ScanSources;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Plugins > Segmentation Workbench > Open Scan...: a DICOM series folder, a DICOM file (its series)
 * or a NIfTI/PNG/TIFF file as a 32-bit stack in mm, with its exact geometry kept for the mask, and
 * a CT window.
 */
public final class OpenScanPlugin implements PlugIn {
    static {
        QuietLogging.apply();
    }

    static final String COMMAND = "Open Scan";

    /** CT display windows (HU): abdomen W400/L40, liver W150/L30, bone W1800/L400. */
    enum Window {
        AUTOMATIC("automatic", Double.NaN, Double.NaN),
        ABDOMEN("abdomen", -160, 240),
        LIVER("liver", -45, 105),
        BONE("bone", -500, 1300),
        FULL_RANGE("full range", Double.NaN, Double.NaN);

        final String label;
        final double low;
        final double high;

        Window(String label, double low, double high) {
            this.label = label;
            this.low = low;
            this.high = high;
        }

        static String[] labels() {
            return Arrays.stream(values()).map(w -> w.label).toArray(String[]::new);
        }

        static Window of(String label) {
            return Arrays.stream(values()).filter(w -> w.label.equals(label)).findFirst().orElseThrow();
        }
    }

    @Override
    public void run(String arg) {
        CommandRunner.run(COMMAND, () -> {
            PluginDialog dialog = new PluginDialog(COMMAND);
            dialog.addFile("Scan (DICOM folder or file, NIfTI, PNG, TIFF)", "");
            dialog.addChoice("Window", Window.labels(), Window.AUTOMATIC.label);
            if (!dialog.show()) {
                return;
            }
            String path = dialog.nextString().trim();
            Window window = Window.of(dialog.nextChoice());
            if (path.isEmpty()) {
                throw new PluginException("no scan chosen");
            }
            List<ScanSources.Source> sources = ScanSources.find(Path.of(path));
            ScanSources.Source source = sources.get(0);
            if (sources.size() > 1) {
                String[] names = sources.stream().map(ScanSources.Source::name).toArray(String[]::new);
                PluginDialog which = new PluginDialog(COMMAND);
                which.addChoice("Series", names, names[0]);
                if (!which.show()) {
                    return;
                }
                source = sources.get(Arrays.asList(names).indexOf(which.nextChoice()));
            }
            IJ.showStatus(COMMAND + ": reading " + source.name());
            Volume volume = source.load();
            for (String note : volume.notes()) {
                IJ.log(COMMAND + ": " + source.name() + ": " + note);
            }
            String title = shortTitle(source.name());
            // cut names may coincide: a macro finds images by title, so each open scan gets its own
            ImagePlus imp = radiological(volume, WindowManager.getImage(title) == null ? title
                    : WindowManager.getUniqueName(title));
            if (source.series() != null) {
                ScanImages.setDicomSeries(imp, source.series()); // Save Mask can write a DICOM SEG referencing it
            }
            applyWindow(imp, window, source.modality());
            imp.show();
            ScanDisplay.zoom(imp, ScanDisplay.readableZoom(imp.getWidth(), imp.getHeight()));
        });
    }

    /**
     * The scan as a radiologist reads it whatever its storage: axial slices in the voxel order
     * closest to LPS (patient's right on the screen's left, anterior up, slice 1 the lowest), the
     * order the networks see. A file stored otherwise (RAS as dcm2niix writes it, coronal, sagittal,
     * flipped) is permuted and flipped, never resampled, and its own grid is kept with the image so
     * Save Mask writes masks back on it exactly.
     */
    static ImagePlus radiological(Volume volume, String title) {
        Reorientation order = Reorientation.toClosestCanonical(volume.geometry(), volume.sizeXyz());
        if (order.isIdentity()) {
            return ScanImages.toImage(volume, title);
        }
        ImagePlus imp = ScanImages.toImage(order.apply(volume), title);
        ScanImages.setFileGrid(imp, volume.sizeXyz(), volume.geometry());
        IJ.log(COMMAND + ": " + title + ": stored " + axisCodes(volume.geometry()) + "; shown in radiological"
                + " orientation (axial, patient's right on the left, anterior up); Save Mask writes masks on the file's"
                + " own grid");
        return imp;
    }

    /**
     * Where each voxel axis points, as nibabel's axis codes: "RAS" is x toward the patient's right,
     * y anterior, z superior (each axis named by its dominant direction).
     */
    static String axisCodes(Geometry g) {
        int n = g.numDimensions();
        double[] d = g.direction();
        String[][] letters = {{"L", "R"}, {"P", "A"}, {"S", "I"}}; // LPS: + then −
        StringBuilder codes = new StringBuilder();
        for (int axis = 0; axis < n; axis++) {
            int best = 0;
            for (int r = 1; r < n; r++) {
                best = Math.abs(d[r * n + axis]) > Math.abs(d[best * n + axis]) ? r : best;
            }
            codes.append(letters[best][d[best * n + axis] >= 0 ? 0 : 1]);
        }
        return codes.toString();
    }

    /** Longest window title Open Scan gives (a DICOM series' readable name can be 120 characters). */
    static final int TITLE_LENGTH = 40;

    /** The name cut to {@value #TITLE_LENGTH} characters, so titles and the names derived from them stay readable. */
    static String shortTitle(String name) {
        return name.length() <= TITLE_LENGTH ? name : name.substring(0, TITLE_LENGTH - 3) + "...";
    }

    /**
     * Automatic: the abdomen window for CT — a DICOM series of modality CT, or a file without a
     * modality (NIfTI) whose values reach air (−900 HU or less) — and the full range otherwise.
     */
    static void applyWindow(ImagePlus imp, Window window, String modality) {
        StackStatistics stats = new StackStatistics(imp);
        boolean ct = "CT".equals(modality) || modality.isEmpty() && stats.min <= -900;
        Window w = window == Window.AUTOMATIC ? (ct ? Window.ABDOMEN : Window.FULL_RANGE) : window;
        if (w == Window.FULL_RANGE) {
            imp.setDisplayRange(stats.min, stats.max);
        } else {
            imp.setDisplayRange(w.low, w.high);
        }
    }
}
