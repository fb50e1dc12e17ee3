package io.medseg.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a killed write leaves behind is cleaned up, and a folder killed mid-replacement comes back. */
class AtomicFilesTest {

    private static long entries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void aFolderKilledBetweenItsTwoRenamesIsRecoveredFromTheOldOne(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("model");
        // killed after "model" became ".model.old-9" and before the new one was renamed into place
        Files.createDirectories(tmp.resolve(".model.old-5"));
        Files.writeString(Files.createDirectories(tmp.resolve(".model.old-9")).resolve("model.json"), "previous");
        Files.writeString(Files.createDirectories(tmp.resolve(".model.0badcafe.partial")).resolve("model.json"), "half");
        Files.writeString(tmp.resolve("notes.txt"), "the user's");
        assertEquals(2, AtomicFiles.removeStaleTemporaries(target));
        assertEquals("previous", Files.readString(target.resolve("model.json")), "the newest complete folder is back");
        assertEquals(2, entries(tmp), "model and the user's notes.txt, nothing else");
        // with the target in place, old and partial siblings are simply removed
        Files.createDirectories(tmp.resolve(".model.old-12"));
        assertEquals(1, AtomicFiles.removeStaleTemporaries(target));
        assertEquals("previous", Files.readString(target.resolve("model.json")));
    }

    @Test
    void writesAreAtomicAndRefuseToReplaceUnlessAsked(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("a.txt");
        AtomicFiles.write(f, new byte[] {1, 2}, false);
        var e = assertThrows(OutputExistsException.class, () -> AtomicFiles.write(f, new byte[] {3}, false));
        assertTrue(e.getMessage().contains("a.txt"));
        assertThrows(IllegalStateException.class, () -> AtomicFiles.writeStream(f, true, out -> {
            out.write(9);
            throw new IllegalStateException("interrupted");
        }));
        assertEquals(2, Files.size(f), "a failed write leaves the old file");
        assertEquals(1, entries(tmp), "and no temporary file");
        Path dir = tmp.resolve("d");
        Path next = AtomicFiles.temporaryDirectory(dir);
        Files.writeString(next.resolve("x"), "new");
        AtomicFiles.replaceDirectory(next, dir);
        assertFalse(Files.exists(next));
        assertEquals("new", Files.readString(dir.resolve("x")));
    }

    /** A small need is said as such ("0.3 MB needed", once "0 MB needed"), and a refused run creates no folder. */
    @Test
    void theRoomNeededIsNeverRoundedToNothingAndNoFolderIsMadeForARefusal(@TempDir Path tmp) throws Exception {
        assertEquals("0.3 MB", AtomicFiles.megabytes(300_000));
        assertEquals("0.1 MB", AtomicFiles.megabytes(1));
        assertEquals("0.0 MB", AtomicFiles.megabytes(0));
        assertEquals("512 MB", AtomicFiles.megabytes(512L << 20));
        Path out = tmp.resolve("not/yet");
        System.setProperty("medseg.minFreeBytes", Long.toString(Long.MAX_VALUE / 2));
        try {
            var e = assertThrows(IOException.class, () -> AtomicFiles.checkWritable(out, 300_000));
            assertTrue(e.getMessage().startsWith(out + ": only ") && e.getMessage().endsWith(" MB needed"), e.getMessage());
        } finally {
            System.clearProperty("medseg.minFreeBytes");
        }
        assertFalse(Files.exists(tmp.resolve("not")), "nothing created");
        AtomicFiles.checkWritable(out, 300_000);
        assertFalse(Files.exists(out), "made when the first output is written, not when checked");
    }
}
