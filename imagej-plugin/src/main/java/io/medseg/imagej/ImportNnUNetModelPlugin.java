package io.medseg.imagej;

import ij.IJ;
import ij.plugin.PlugIn;
import io.medseg.nnunet.NnUNetModelFolder;
import io.medseg.pipeline.NnUNetImport;
import java.nio.file.Path;
import java.util.List;

/**
 * Plugins > Segmentation Workbench > Import nnU-Net Model...: an nnU-Net v2 trained-model folder
 * (or its zip) as a model bundle, as {@code medseg import-nnunet} does; Segment Image... then takes
 * the bundle like any other.
 */
public final class ImportNnUNetModelPlugin implements PlugIn {
    static {
        QuietLogging.apply();
    }

    static final String COMMAND = "Import nnU-Net Model";

    @Override
    public void run(String arg) {
        CommandRunner.run(COMMAND, () -> {
            PluginDialog dialog = new PluginDialog(COMMAND);
            // no underscores: ImageJ's dialogs show them as spaces
            dialog.addDirectory("nnU-Net model (trained-model folder, or the zip nnU-Net exports)", "");
            dialog.addDirectory("Bundle (folder to write)", "");
            dialog.addString("Folds (e.g. 0,1; empty = all)", "");
            dialog.addChoice("Checkpoint", new String[] {"final", "best"}, "final");
            dialog.addCheckbox("Replace an existing bundle", false);
            if (!dialog.show()) {
                return;
            }
            Path source = Path.of(TrainModelPlugin.nonEmpty(dialog.nextString(), "nnU-Net model"));
            Path output = Path.of(TrainModelPlugin.nonEmpty(dialog.nextString(), "bundle folder"));
            String folds = dialog.nextString().trim();
            NnUNetModelFolder.Checkpoint which = NnUNetModelFolder.Checkpoint.parse(dialog.nextChoice());
            boolean overwrite = dialog.nextBoolean();
            IJ.showStatus(COMMAND + ": reading " + source.getFileName());
            NnUNetImport.run(new NnUNetImport.Request(source, folds.isEmpty() ? List.of() : List.of(folds.split(",")),
                    which, output, overwrite), line -> IJ.log(COMMAND + ": " + line));
            IJ.showStatus(COMMAND + ": done");
        });
    }
}
