package io.medseg.pipeline;

import io.medseg.core.bundle.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
        String closest = closest(model.getFileName() == null ? "" : model.getFileName().toString(), names);
        throw new IllegalArgumentException("model " + model + " not found: no file or folder "
                + model.toAbsolutePath().normalize() + (model.getNameCount() == 1 ? ", and no bundled model of that"
                + " name in " + folder + " (bundled: " + (names.isEmpty() ? "none" : String.join(", ", names)) + ")" : "")
                + (closest != null ? "; did you mean " + closest + "?" : ""));
    }

    /** The name nearest to {@code given} by edit distance, ignoring case, if it is near enough to be a slip. */
    static String closest(String given, List<String> names) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String n : names) {
            int d = editDistance(given.toLowerCase(Locale.ROOT), n.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = n;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, best.length() / 4) ? best : null;
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
