package io.medseg.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Write-then-rename helpers, so an interrupted save never leaves a half-written output. */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Moves a complete temporary file or folder into place, replacing what was there. */
    public static void replaceDirectory(Path complete, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + (System.nanoTime() & Long.MAX_VALUE));
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        moveAtomically(complete, target);
        if (old != null) {
            deleteRecursively(old);
        }
    }

    /** Renames atomically where the file system allows it. */
    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Writes bytes to {@code target} via a temporary sibling; refuses to overwrite unless asked. */
    public static void write(Path target, byte[] bytes, boolean overwrite) throws IOException {
        writeStream(target, overwrite, out -> out.write(bytes));
    }

    /** Receives the stream of a file being written. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Streams a file into a temporary sibling and renames it to {@code target} when complete;
     * refuses to overwrite unless asked. An exception or interruption leaves no partial file.
     */
    public static void writeStream(Path target, boolean overwrite, StreamWriter writer) throws IOException {
        if (!overwrite && Files.exists(target)) {
            throw new OutputExistsException(target);
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = temporarySibling(target, ".partial");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                writer.write(out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * A fresh name beside {@code target}, hidden and marked as incomplete. Created files get the
     * user's usual permissions (unlike {@code Files.createTempFile}, which makes them private).
     */
    public static Path temporarySibling(Path target, String suffix) {
        String random = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try {
            return target.toAbsolutePath().resolveSibling("." + target.getFileName() + "." + random + suffix);
        } catch (InvalidPathException e) {
            // a name the locale cannot spell (C/POSIX and a UTF-8 name): the temporary gets an ASCII one
            String ascii = target.getFileName().toString().replaceAll("[^\\x20-\\x7e]", "_");
            return target.toAbsolutePath().resolveSibling("." + ascii + "." + random + suffix);
        }
    }

    /** Creates a fresh hidden folder beside {@code target} to assemble it in. */
    public static Path temporaryDirectory(Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        return Files.createDirectory(temporarySibling(target, ".partial"));
    }

    /**
     * Cleans up after an interrupted write of {@code target}. A folder replacement killed between
     * its two renames leaves no {@code target} but the previous complete one as {@code .NAME.old-N}:
     * that is moved back. Then our hidden temporary siblings ({@code .NAME.RANDOM.partial}, files or
     * folders) and replaced folders not yet deleted are removed; anything else is left alone.
     * Returns how many were removed.
     */
    public static int removeStaleTemporaries(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return 0;
        }
        String prefix = "." + target.getFileName() + ".";
        List<Path> old;
        List<Path> partial;
        try (Stream<Path> s = Files.list(parent)) {
            List<Path> ours = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            old = ours.stream().filter(p -> p.getFileName().toString().substring(prefix.length()).matches("old-\\d+"))
                    .sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString()
                            .substring(prefix.length() + 4))))
                    .toList();
            partial = ours.stream().filter(p -> STALE_PARTIAL.matcher(p.getFileName().toString()
                    .substring(prefix.length())).matches()).toList();
        }
        List<Path> stale = new ArrayList<>(partial);
        stale.addAll(old);
        if (!Files.exists(target.toAbsolutePath()) && !old.isEmpty()) {
            Path newest = old.get(old.size() - 1);
            moveAtomically(newest, target.toAbsolutePath());
            stale.remove(newest);
        }
        for (Path p : stale) {
            deleteRecursively(p);
        }
        return stale.size();
    }

    private static final Pattern STALE_PARTIAL = Pattern.compile("[0-9a-f]{1,16}\\.partial");

    /**
     * Refuses to start work whose results could not be saved: {@code dir} (created if needed) must be
     * writable and its file system must have at least {@code neededBytes} free (the system property
     * {@code medseg.minFreeBytes} raises the floor, e.g. for tests).
     *
     * @throws IOException naming the folder and the reason
     */
    public static void checkWritable(Path dir, long neededBytes) throws IOException {
        // the folder itself is made when the first output is written: a refused run leaves no empty folder
        Path existing = dir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new IOException(dir + ": cannot be created (" + existing + " is not a folder)");
        }
        if (!Files.isWritable(existing)) {
            throw new IOException(dir + ": not writable" + (existing.equals(dir.toAbsolutePath().normalize()) ? ""
                    : " (" + existing + " is not)"));
        }
        long floor = Math.max(neededBytes, Long.getLong("medseg.minFreeBytes", 0L));
        long free = Files.getFileStore(existing).getUsableSpace();
        if (free < floor) {
            throw new IOException(dir + ": only " + megabytes(free) + " free on its file system, " + megabytes(floor)
                    + " needed");
        }
    }

    /** "0.3 MB", "512 MB", "1234 MB": a size that does not round small needs to 0. */
    static String megabytes(long bytes) {
        double mb = bytes / (double) (1 << 20);
        return mb < 10 ? String.format(Locale.ROOT, "%.1f MB", Math.max(mb, bytes > 0 ? 0.1 : 0))
                : String.format(Locale.ROOT, "%.0f MB", mb);
    }

    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
