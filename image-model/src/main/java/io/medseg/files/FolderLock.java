package io.medseg.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One run at a time writing into a folder: two batches into one output folder would both do every
 * case and replace each other's masks. The lock is the operating system's lock on a hidden file in
 * the folder ({@value #NAME}), so a killed run releases it with its process; the file names the
 * holder for the message the second run prints.
 */
public final class FolderLock implements AutoCloseable {
    public static final String NAME = ".medseg.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the folder (created if needed) for this process.
     *
     * @param what the run, for the other run's message ("medseg segment")
     * @throws IOException naming the folder and the run that holds it
     */
    public static FolderLock acquire(Path dir, String what) throws IOException {
        Files.createDirectories(dir);
        return lock(dir.resolve(NAME), dir, what);
    }

    /**
     * Takes one output (a bundle folder that is replaced as a whole) for this process: the lock file
     * is {@code .NAME.lock} beside it, so other outputs of the same folder stay free.
     */
    public static FolderLock acquireFor(Path target, String what) throws IOException {
        Path parent = target.toAbsolutePath().normalize().getParent();
        Files.createDirectories(parent);
        return lock(parent.resolve("." + target.getFileName() + ".lock"), target, what);
    }

    private static FolderLock lock(Path file, Path dir, String what) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM already
        }
        if (lock == null) {
            String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
            channel.close();
            throw new IOException(dir + ": another run is writing it (" + (holder.isEmpty() ? "unknown" : holder)
                    + "); wait for it to end, or choose another output");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((what + ", process " + ProcessHandle.current().pid() + ", since "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        return new FolderLock(file, channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
            lock.release();
        } finally {
            channel.close();
        }
    }
}
