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

    /**
     * The bundled model called {@code model} when there is one and no such file or folder exists;
     * else the path as given.
     *
     * @throws IllegalArgumentException when it is neither, naming where it looked, the bundled
     *     names and the closest of them
     */
    public Path resolve(Path model) {
        if (Files.exists(model)) {
            return model;
        }
        Path bundled = folder.resolve(model.toString());
        if (model.getNameCount() == 1 && ModelBundle.isBundle(bundled)) {
            return bundled;
        }
        List<String> names;
        try {
            names = list().stream().map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            names = List.of(); // the folder cannot be listed: the message says "none"
        }
        String closest = Spelling.closest(model.getFileName() == null ? "" : model.getFileName().toString(), names);
        throw new IllegalArgumentException("model " + model + " not found: no file or folder "
                + model.toAbsolutePath().normalize() + (model.getNameCount() == 1 ? ", and no bundled model of that"
                + " name in " + folder + " (bundled: " + (names.isEmpty() ? "none" : String.join(", ", names)) + ")" : "")
                + (closest != null ? "; did you mean " + closest + "?" : ""));
    }
}
