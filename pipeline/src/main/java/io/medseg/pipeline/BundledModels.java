package io.medseg.pipeline;

import io.medseg.core.bundle.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The model bundles shipped with medseg, in one folder, usable by name: {@code sample-scans/models}
 * of an installation for the command line, {@code models/medseg} of an ImageJ or Fiji folder for
 * the plugin.
 */
public final class BundledModels {
    private final Path folder;

    public BundledModels(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /** The bundles in the folder, sorted by name (none when the folder is missing). */
    public List<Path> list() throws IOException {
        try (Stream<Path> s = Files.isDirectory(folder) ? Files.list(folder) : Stream.empty()) {
            return s.filter(ModelBundle::isBundle).sorted().toList();
        }
    }

    /** The bundled model called {@code model} when there is one and no such file or folder exists; else the path as given. */
    public Path resolve(Path model) {
        Path bundled = folder.resolve(model.toString());
        return !Files.exists(model) && model.getNameCount() == 1 && ModelBundle.isBundle(bundled) ? bundled : model;
    }
}
