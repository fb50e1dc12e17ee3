package io.medseg.workbench;

import io.medseg.core.bundle.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/** {@code medseg models}: the model bundles that come with medseg, usable by name with {@code --model}. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List the bundled models.")
final class ModelsCommand implements Callable<Integer> {
    static final String FOLDER = "sample-scans/models";

    @Override
    public Integer call() throws Exception {
        Path dir = Medseg.home().resolve(FOLDER);
        List<Path> bundles;
        try (Stream<Path> s = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            bundles = s.filter(ModelBundle::isBundle).sorted().toList();
        }
        if (bundles.isEmpty()) {
            System.out.println("no bundled models in " + dir);
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
        Path bundled = Medseg.home().resolve(FOLDER).resolve(model.toString());
        return !Files.exists(model) && model.getNameCount() == 1 && ModelBundle.isBundle(bundled) ? bundled : model;
    }
}
