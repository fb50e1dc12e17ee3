package io.medseg.nnunet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A zip written by {@code nnUNetv2_export_model_to_zip} (paths relative to nnUNet_results:
 * {@code DatasetXXX_Name/TRAINER__PLANS__CONFIGURATION/...}), unpacked into a private temporary
 * folder that is removed when the JVM exits. Entries are untrusted: an absolute path or one that
 * climbs out with {@code ..} is refused, and so is more than {@link #MAX_BYTES} in all.
 */
public final class NnUNetZip {
    /** A model zip is a few hundred MB at most (five folds of a large 3D network). */
    static final long MAX_BYTES = 8L << 30;

    private NnUNetZip() {}

    /** Whether {@code path} is a zip holding a plans.json and dataset.json side by side. */
    public static boolean looksLikeOne(Path path) {
        if (!Files.isRegularFile(path) || !path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
            return false;
        }
        try (ZipFile zip = new ZipFile(path.toFile())) {
            return !modelFolders(zip).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Folders in the zip that hold plans.json and dataset.json ("" for the zip's root). */
    private static List<String> modelFolders(ZipFile zip) {
        TreeSet<String> plans = new TreeSet<>();
        TreeSet<String> datasets = new TreeSet<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
            String name = e.nextElement().getName();
            String folder = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : "";
            if (name.endsWith("plans.json") && name.substring(folder.length()).equals("plans.json")) {
                plans.add(folder);
            } else if (name.substring(folder.length()).equals("dataset.json")) {
                datasets.add(folder);
            }
        }
        plans.retainAll(datasets);
        return new ArrayList<>(plans);
    }

    /**
     * Unpacks the zip and returns its one trained-model folder.
     *
     * @throws CheckpointException when the zip is damaged, holds no model or several, or an entry is unsafe
     */
    public static Path extract(Path zipFile) throws IOException {
        Path target;
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            List<String> models = modelFolders(zip);
            if (models.isEmpty()) {
                throw new CheckpointException(zipFile, "holds no nnU-Net model folder (plans.json beside dataset.json)");
            }
            if (models.size() > 1) {
                throw new CheckpointException(zipFile, "holds " + models.size() + " models (" + String.join(", ", models)
                        + "); unzip it and give the folder of the one to run");
            }
            target = Files.createTempDirectory("medseg-nnunet-");
            deleteOnExit(target);
            long total = 0;
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                Path out = target.resolve(entry.getName()).normalize();
                if (entry.getName().startsWith("/") || entry.getName().contains("\\") || !out.startsWith(target)) {
                    throw new CheckpointException(zipFile, "entry \"" + entry.getName() + "\" points outside the zip's "
                            + "folder; refused");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = zip.getInputStream(entry); OutputStream o = Files.newOutputStream(out)) {
                    byte[] buffer = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        total += n;
                        if (total > MAX_BYTES) {
                            throw new CheckpointException(zipFile, "unpacks to more than " + (MAX_BYTES >> 30) + " GB; "
                                    + "refused");
                        }
                        o.write(buffer, 0, n);
                    }
                }
            }
            return target.resolve(models.get(0));
        } catch (ZipException e) {
            throw new CheckpointException(zipFile, "not a readable zip (" + e.getMessage() + ")");
        }
    }

    private static void deleteOnExit(Path folder) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> s = Files.walk(folder)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary folder left behind is the system's to clean
            }
        }));
    }
}
