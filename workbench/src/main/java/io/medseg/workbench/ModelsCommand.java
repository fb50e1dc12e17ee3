package io.medseg.workbench;

import io.medseg.core.bundle.ModelBundle;
import io.medseg.pipeline.BundledModels;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code medseg models}: the model bundles that come with medseg, usable by name with {@code --model}. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List the bundled models.")
final class ModelsCommand implements Callable<Integer> {
    static final String FOLDER = "sample-scans/models";

    @Override
    public Integer call() throws Exception {
        BundledModels models = bundled();
        List<Path> bundles = models.list();
        if (bundles.isEmpty()) {
            System.out.println("no bundled models in " + models.folder());
            return 0;
        }
        for (Path b : bundles) {
            System.out.print(InfoCommand.describe(b, ModelBundle.readConfig(b)).replaceFirst("model bundle ",
                    b.getFileName() + ": "));
        }
        return 0;
    }

    /** {@code --model NAME} for a bundled model, else the path as given. */
    static Path resolve(Path model) {
        return bundled().resolve(model);
    }

    private static BundledModels bundled() {
        return new BundledModels(Medseg.home().resolve(FOLDER));
    }
}
