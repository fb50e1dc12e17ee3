package io.medseg.workbench;

import io.medseg.nnunet.NnUNetModelFolder;
import io.medseg.pipeline.NnUNetImport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medseg import-nnunet}: an nnU-Net v2 model folder or zip as this project's bundle. */
@Command(name = "import-nnunet", mixinStandardHelpOptions = true,
        description = "Turn an nnU-Net v2 trained-model folder (or the zip nnUNetv2_export_model_to_zip makes) into a "
                + "model bundle: the checkpoints' tensors in DJL's format, plans.json and dataset.json kept, provenance "
                + "with each checkpoint's SHA-256. The bundle segments as the folder does (medseg segment, Fiji).")
final class ImportNnUNetCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NNUNET_MODEL", description = "TRAINER__PLANS__CONFIGURATION folder (dataset.json, "
            + "plans.json, fold_K/) or its zip")
    Path source;
    @Option(names = "--output", required = true, description = "the bundle folder to write")
    Path output;
    @Option(names = "--folds", paramLabel = "K[,K]|all", description = "the folds to import (default: every fold_K that "
            + "holds the checkpoint, as nnU-Net finds them)")
    String folds;
    @Option(names = "--checkpoint", paramLabel = "final|best", description = "checkpoint_final.pth (default) or "
            + "checkpoint_best.pth")
    String checkpoint;
    @Option(names = "--overwrite", description = "replace a bundle that already exists")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        NnUNetModelFolder.Checkpoint which = checkpoint == null ? NnUNetModelFolder.Checkpoint.FINAL
                : NnUNetModelFolder.Checkpoint.parse(checkpoint);
        List<String> foldList = folds == null ? List.of() : List.of(folds.split(","));
        NnUNetImport.run(new NnUNetImport.Request(source, foldList, which, output, overwrite), System.out::println);
        return 0;
    }
}
