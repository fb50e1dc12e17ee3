package io.medseg.nnunet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import net.razorvine.pickle.PickleException;

/**
 * A {@code torch.save} checkpoint (PyTorch ≥ 1.6: a zip holding {@code ARCHIVE/data.pkl}, the
 * storages as {@code ARCHIVE/data/KEY} and {@code ARCHIVE/byteorder}), read without Python: the
 * pickle through {@link CheckpointUnpickler}'s allow-list, tensor values on request. Every problem
 * is a {@link CheckpointException} naming the file.
 */
public final class TorchCheckpoint implements AutoCloseable {
    /** A checkpoint's pickle is a few hundred kB; more is not a checkpoint (and would be read into memory). */
    static final long MAX_PICKLE_BYTES = 256L << 20;

    private final Path file;
    private final ZipFile zip;
    private final String archive;
    private final ByteOrder order;
    private final Map<?, ?> root;
    private final Map<String, Long> storageBytes;

    private TorchCheckpoint(Path file, ZipFile zip, String archive, ByteOrder order, Map<?, ?> root,
            Map<String, Long> storageBytes) {
        this.file = file;
        this.zip = zip;
        this.archive = archive;
        this.order = order;
        this.root = root;
        this.storageBytes = storageBytes;
    }

    /** Opens and unpickles {@code file}; its storages are read later, by {@link #floats}. */
    public static TorchCheckpoint open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "no such file");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointException(file, notAZip(file));
        }
        try {
            String archive = archiveName(file, zip);
            ByteOrder order = byteOrder(file, zip, archive);
            ZipEntry pkl = zip.getEntry(archive + "data.pkl");
            if (pkl.getSize() > MAX_PICKLE_BYTES) {
                throw new CheckpointException(file, "its pickle has " + pkl.getSize() + " bytes; a checkpoint's has a few "
                        + "hundred thousand");
            }
            CheckpointUnpickler unpickler = new CheckpointUnpickler();
            Object root;
            try (InputStream in = zip.getInputStream(pkl)) {
                root = unpickler.load(in);
            } catch (CheckpointUnpickler.RefusedGlobalException e) {
                throw new CheckpointException(file, e.getMessage());
            } catch (PickleException | ClassCastException | ArrayIndexOutOfBoundsException e) {
                throw new CheckpointException(file, "its pickle cannot be read as a checkpoint (" + e.getMessage() + ")");
            } catch (ZipException | java.io.EOFException e) {
                throw new CheckpointException(file, "truncated or damaged (" + e.getMessage() + ")");
            }
            if (!(root instanceof Map<?, ?> map)) {
                throw new CheckpointException(file, "holds a " + pythonType(root) + ", not a checkpoint dictionary");
            }
            TorchCheckpoint c = new TorchCheckpoint(file, zip, archive, order, map, Map.copyOf(unpickler.storageBytes()));
            c.checkStorages();
            return c;
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static String pythonType(Object o) {
        return o == null ? "None" : o instanceof java.util.List ? "list" : o instanceof Object[] ? "tuple"
                : o instanceof String ? "str" : o instanceof Number ? "number" : o.getClass().getSimpleName();
    }

    private static String notAZip(Path file) throws IOException {
        byte[] head = new byte[2];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, 2);
            if (n == 2 && (head[0] & 0xff) == 0x80 && head[1] <= 5) {
                return "a torch checkpoint in the legacy format of PyTorch < 1.6; load and save it again with a current "
                        + "PyTorch (torch.save writes the zip format)";
            }
        }
        if (Files.size(file) > 4) {
            byte[] start = new byte[4];
            try (InputStream in = Files.newInputStream(file)) {
                in.readNBytes(start, 0, 4);
            }
            if (start[0] == 'P' && start[1] == 'K') {
                return "truncated or damaged: the zip archive has no central directory";
            }
        }
        return "not a torch checkpoint (not a zip archive)";
    }

    /** The single top folder of a torch zip (its name is the file's stem at save time, often "archive"). */
    private static String archiveName(Path file, ZipFile zip) throws CheckpointException {
        String found = null;
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
            String name = e.nextElement().getName();
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                if (found != null) {
                    throw new CheckpointException(file, "holds two checkpoints (" + found + "data.pkl and " + name + ")");
                }
                found = name.substring(0, name.length() - "data.pkl".length());
            }
        }
        if (found == null) {
            throw new CheckpointException(file, "a zip without ARCHIVE/data.pkl, so not a torch checkpoint");
        }
        return found;
    }

    private static ByteOrder byteOrder(Path file, ZipFile zip, String archive) throws IOException {
        ZipEntry e = zip.getEntry(archive + "byteorder");
        if (e == null) {
            return ByteOrder.LITTLE_ENDIAN; // written by torch before 2.1, on little-endian machines
        }
        try (InputStream in = zip.getInputStream(e)) {
            String s = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
            return switch (s) {
                case "little" -> ByteOrder.LITTLE_ENDIAN;
                case "big" -> ByteOrder.BIG_ENDIAN;
                default -> throw new CheckpointException(file, "byteorder \"" + s + "\" is neither little nor big");
            };
        }
    }

    /** Every storage the pickle refers to is in the zip with at least the bytes the pickle states. */
    private void checkStorages() throws CheckpointException {
        for (Map.Entry<String, Long> s : storageBytes.entrySet()) {
            ZipEntry e = zip.getEntry(archive + "data/" + s.getKey());
            if (e == null) {
                throw new CheckpointException(file, "storage data/" + s.getKey() + " is missing (truncated or damaged)");
            }
            if (e.getSize() < s.getValue()) {
                throw new CheckpointException(file, "storage data/" + s.getKey() + " holds " + e.getSize() + " bytes, the "
                        + "pickle says " + s.getValue());
            }
        }
    }

    /** The checkpoint's top-level dictionary (nnU-Net's: network_weights, init_args, trainer_name …). */
    public Map<?, ?> root() {
        return Collections.unmodifiableMap(root);
    }

    public Path file() {
        return file;
    }

    /** The tensor's values, C order (last axis fastest), as floats. */
    public float[] floats(StoredTensor t) throws IOException {
        if (!t.dtype().floating()) {
            throw new CheckpointException(file, "a " + t.dtype() + " tensor where floating-point weights were expected");
        }
        long numel = t.numel();
        if (numel > Integer.MAX_VALUE - 8) {
            throw new CheckpointException(file, "a tensor of " + numel + " elements");
        }
        long[] shape = t.shape();
        long[] stride = t.stride();
        long last = t.offset();
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] < 0 || stride[k] < 0) {
                throw new CheckpointException(file, "a tensor with a negative size or stride");
            }
            last += shape[k] == 0 ? 0 : (shape[k] - 1) * stride[k];
        }
        if (numel > 0 && (t.offset() < 0 || last >= t.storageNumel())) {
            throw new CheckpointException(file, "a tensor " + t.shapeText() + " reaches past its storage data/"
                    + t.storageKey());
        }
        ByteBuffer data = storage(t.storageKey());
        int size = t.dtype().bytes();
        float[] out = new float[(int) numel];
        long[] index = new long[shape.length];
        for (int i = 0; i < out.length; i++) {
            long element = t.offset();
            for (int k = 0; k < shape.length; k++) {
                element += index[k] * stride[k];
            }
            out[i] = value(data, (int) (element * size), t.dtype());
            for (int k = shape.length - 1; k >= 0; k--) {
                if (++index[k] < shape[k]) {
                    break;
                }
                index[k] = 0;
            }
        }
        return out;
    }

    private ByteBuffer storage(String key) throws IOException {
        ZipEntry e = zip.getEntry(archive + "data/" + key);
        try (InputStream in = zip.getInputStream(e)) {
            byte[] bytes = in.readAllBytes();
            return ByteBuffer.wrap(bytes).order(order);
        } catch (ZipException ex) {
            throw new CheckpointException(file, "storage data/" + key + " is damaged (" + ex.getMessage() + ")");
        }
    }

    private static float value(ByteBuffer b, int at, StoredTensor.DType type) {
        return switch (type) {
            case FLOAT32 -> b.getFloat(at);
            case FLOAT64 -> (float) b.getDouble(at);
            case FLOAT16 -> Float16.fromBits(b.getShort(at));
            case BFLOAT16 -> Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
            default -> throw new IllegalStateException(type.name());
        };
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
