package io.medseg.core.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Write-then-rename helpers, so an interrupted save never leaves a half-written output. */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Moves a complete temporary file or folder into place, replacing what was there. */
    public static void replaceDirectory(Path complete, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
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
        void write(java.io.OutputStream out) throws IOException;
    }

    /**
     * Streams a file into a temporary sibling and renames it to {@code target} when complete;
     * refuses to overwrite unless asked. An exception or interruption leaves no partial file.
     */
    public static void writeStream(Path target, boolean overwrite, StreamWriter writer) throws IOException {
        if (!overwrite && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists; pass --overwrite to replace it");
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = temporarySibling(target, ".partial");
        try {
            try (java.io.OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
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
        String random = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        return target.toAbsolutePath().resolveSibling("." + target.getFileName() + "." + random + suffix);
    }

    /** Creates a fresh hidden folder beside {@code target} to assemble it in. */
    public static Path temporaryDirectory(Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        return Files.createDirectory(temporarySibling(target, ".partial"));
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
