package io.medseg.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.plugin.PlugIn;
import ij.process.StackStatistics;
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
            ImagePlus imp = ScanImages.toImage(volume, source.name());
            applyWindow(imp, window, source.modality());
            imp.show();
        });
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
