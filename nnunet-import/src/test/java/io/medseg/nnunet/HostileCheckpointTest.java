package io.medseg.nnunet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints are untrusted input: pickles written by hand here (the bytes Python's pickle writes
 * for these objects, protocol 2 as torch.save uses) that name a global off the allow-list, use
 * opcodes torch.save never writes, or are not checkpoints at all: each is one line naming the file.
 */
class HostileCheckpointTest {
    @TempDir
    Path tmp;

    /** A zip laid out as torch.save lays it out, with {@code pickle} as archive/data.pkl. */
    private Path checkpoint(String name, byte[] pickle) throws IOException {
        Path file = tmp.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, "archive/data.pkl", pickle);
            stored(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /** pickle.dumps(X, protocol=2) where X.__reduce__ returns (os.system, ('touch …',)): what the attack looks like. */
    private static byte[] systemCall(String module, Path marker) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x80, 2}); // PROTO 2
        b.writeBytes(("c" + module + "\nsystem\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        byte[] command = ("touch " + marker).getBytes(StandardCharsets.UTF_8);
        b.write('X'); // BINUNICODE
        b.writeBytes(new byte[] {(byte) command.length, 0, 0, 0});
        b.writeBytes(command);
        b.write(0x85); // TUPLE1
        b.write('R'); // REDUCE
        b.write('.'); // STOP
        return b.toByteArray();
    }

    @Test
    void aPickleThatCallsOsSystemIsRefusedAndNothingRuns() throws Exception {
        Path marker = tmp.resolve("pwned");
        for (String module : new String[] {"posix", "os", "nt"}) {
            Path file = checkpoint(module + ".pth", systemCall(module, marker));
            CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpoint.open(file));
            assertEquals(file + ": the pickle names " + module + ".system, which a model checkpoint does not need;"
                    + " refused, nothing of it was run", e.getMessage());
        }
        assertFalse(Files.exists(marker));
    }

    @Test
    void aClassOfTheTrainerOrBuiltinsEvalIsRefusedToo() throws Exception {
        for (String global : new String[] {"builtins\neval", "nnunetv2.training.nnUNetTrainer.nnUNetTrainer\nnnUNetTrainer",
            "torch.nn.modules.conv\nConv3d", "subprocess\nPopen"}) {
            byte[] pickle = ("\u0080\u0002c" + global + "\n)R.").getBytes(StandardCharsets.ISO_8859_1);
            Path file = checkpoint("g.pth", pickle);
            CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpoint.open(file));
            assertTrue(e.getMessage().contains("the pickle names " + global.replace('\n', '.')), e.getMessage());
        }
    }

    @Test
    void opcodesTorchSaveNeverWritesAreRefused() throws Exception {
        // INST (protocol 0) names a class without GLOBAL: "(iposix\nsystem\n." would call it
        byte[] inst = "(S'touch x'\niposix\nsystem\n.".getBytes(StandardCharsets.US_ASCII);
        Path file = checkpoint("inst.pth", inst);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpoint.open(file));
        assertTrue(e.getMessage().startsWith(file + ": the pickle uses opcode"), e.getMessage());
    }

    @Test
    void filesThatAreNotCheckpointsGetOneLineEach() throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.pth"), "hello");
        assertEquals(text + ": not a torch checkpoint (not a zip archive)",
                assertThrows(CheckpointException.class, () -> TorchCheckpoint.open(text)).getMessage());

        Path legacy = Files.write(tmp.resolve("legacy.pth"), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10});
        assertTrue(assertThrows(CheckpointException.class, () -> TorchCheckpoint.open(legacy)).getMessage()
                .startsWith(legacy + ": a torch checkpoint in the legacy format of PyTorch < 1.6"));

        byte[] whole = Files.readAllBytes(checkpoint("whole.pth", systemCall("os", tmp.resolve("x"))));
        Path cut = Files.write(tmp.resolve("cut.pth"), java.util.Arrays.copyOf(whole, whole.length * 6 / 10));
        assertEquals(cut + ": truncated or damaged: the zip archive has no central directory",
                assertThrows(CheckpointException.class, () -> TorchCheckpoint.open(cut)).getMessage());

        Path zipWithoutPickle = tmp.resolve("other.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(zipWithoutPickle))) {
            stored(zip, "readme.txt", "x".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals(zipWithoutPickle + ": a zip without ARCHIVE/data.pkl, so not a torch checkpoint",
                assertThrows(CheckpointException.class, () -> TorchCheckpoint.open(zipWithoutPickle)).getMessage());

        Path missing = tmp.resolve("missing.pth");
        assertEquals(missing + ": no such file",
                assertThrows(CheckpointException.class, () -> TorchCheckpoint.open(missing)).getMessage());
    }

    @Test
    void aPickleThatIsNotADictionaryIsNotACheckpoint() throws Exception {
        Path file = checkpoint("list.pth", new byte[] {(byte) 0x80, 2, ']', '.'});
        assertEquals(file + ": holds a list, not a checkpoint dictionary",
                assertThrows(CheckpointException.class, () -> TorchCheckpoint.open(file)).getMessage());
    }

    @Test
    void halfPrecisionValuesConvertExactly() {
        assertEquals(1.0f, Float16.fromBits((short) 0x3c00));
        assertEquals(-2.0f, Float16.fromBits((short) 0xc000));
        assertEquals(65504f, Float16.fromBits((short) 0x7bff));
        assertEquals(0x1p-24f, Float16.fromBits((short) 0x0001)); // smallest subnormal
        assertEquals(Float.POSITIVE_INFINITY, Float16.fromBits((short) 0x7c00));
        assertTrue(Float.isNaN(Float16.fromBits((short) 0x7e00)));
    }
}
