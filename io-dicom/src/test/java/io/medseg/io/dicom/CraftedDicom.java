package io.medseg.io.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.Deflater;

/**
 * Writes small explicit-VR little-endian DICOM files element by element, for tests that need a
 * file with one attribute broken the way a PACS export or a crafted file breaks it. Starts from a
 * valid 16-bit CT slice; {@link #set} and {@link #remove} change it.
 */
final class CraftedDicom {
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final String DEFLATED_LE = "1.2.840.10008.1.2.1.99";
    static final String RLE = "1.2.840.10008.1.2.5";
    private static final Set<String> LONG_VRS = Set.of("OB", "OW", "OF", "SQ", "UT", "UN");

    private final Map<Integer, byte[]> elements = new TreeMap<>(Integer::compareUnsigned);
    private String transferSyntax = EXPLICIT_LE;

    /** A valid CT slice of rows × columns stored values 0, 1, 2, … at the given position along z. */
    static CraftedDicom ctSlice(int rows, int columns, double z) {
        CraftedDicom d = new CraftedDicom();
        d.set(Tags.SOP_CLASS_UID, "UI", "1.2.840.10008.5.1.4.1.1.2");
        d.set(Tags.MODALITY, "CS", "CT");
        d.set(Tags.SERIES_INSTANCE_UID, "UI", "1.2.3.4");
        d.set(Tags.IMAGE_POSITION_PATIENT, "DS", "0\\0\\" + z);
        d.set(Tags.IMAGE_ORIENTATION_PATIENT, "DS", "1\\0\\0\\0\\1\\0");
        d.setUs(Tags.SAMPLES_PER_PIXEL, 1);
        d.set(Tags.PHOTOMETRIC_INTERPRETATION, "CS", "MONOCHROME2");
        d.setUs(Tags.ROWS, rows);
        d.setUs(Tags.COLUMNS, columns);
        d.set(Tags.PIXEL_SPACING, "DS", "0.5\\0.5");
        d.setUs(Tags.BITS_ALLOCATED, 16);
        d.setUs(Tags.BITS_STORED, 16);
        d.setUs(Tags.HIGH_BIT, 15);
        d.setUs(Tags.PIXEL_REPRESENTATION, 1);
        d.set(Tags.RESCALE_INTERCEPT, "DS", "-1024");
        d.set(Tags.RESCALE_SLOPE, "DS", "1");
        ByteBuffer pixels = ByteBuffer.allocate(2 * rows * columns).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * columns; i++) {
            pixels.putShort((short) i);
        }
        d.setBytes(Tags.PIXEL_DATA, "OW", pixels.array());
        return d;
    }

    /** A text value (padded to even length with a space, or NUL for UI). */
    CraftedDicom set(int tag, String vr, String value) {
        byte[] text = value.getBytes(StandardCharsets.ISO_8859_1);
        if (text.length % 2 == 1) {
            text = Arrays.copyOf(text, text.length + 1);
            text[text.length - 1] = (byte) ("UI".equals(vr) ? 0 : ' ');
        }
        return setBytes(tag, vr, text);
    }

    CraftedDicom setUs(int tag, int value) {
        return setBytes(tag, "US", new byte[] {(byte) value, (byte) (value >>> 8)});
    }

    CraftedDicom setBytes(int tag, String vr, byte[] value) {
        elements.put(tag, element(tag, vr, value));
        return this;
    }

    /** Encapsulated pixel data: an empty offset table and these fragments, for a compressed syntax. */
    CraftedDicom encapsulated(String syntax, byte[]... fragments) {
        transferSyntax = syntax;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(Tags.PIXEL_DATA, "OB", 0xFFFFFFFFL));
        out.writeBytes(item(Tags.ITEM, 0));
        for (byte[] f : fragments) {
            out.writeBytes(item(Tags.ITEM, f.length));
            out.writeBytes(f);
        }
        out.writeBytes(item(Tags.SEQUENCE_DELIMITER, 0));
        elements.put(Tags.PIXEL_DATA, out.toByteArray());
        return this;
    }

    /** A sequence (undefined lengths) nested {@code depth} levels deep, each item holding the next. */
    CraftedDicom nestedSequences(int tag, int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < depth; i++) {
            out.writeBytes(header(tag, "SQ", 0xFFFFFFFFL));
            out.writeBytes(item(Tags.ITEM, 0xFFFFFFFFL));
        }
        for (int i = 0; i < depth; i++) {
            out.writeBytes(item(Tags.ITEM_DELIMITER, 0));
            out.writeBytes(item(Tags.SEQUENCE_DELIMITER, 0));
        }
        elements.put(tag, out.toByteArray());
        return this;
    }

    CraftedDicom remove(int tag) {
        elements.remove(tag);
        return this;
    }

    Path write(Path file) throws IOException {
        Files.write(file, bytes());
        return file;
    }

    /** The data set deflated (transfer syntax 1.2.840.10008.1.2.1.99), as a deflate bomb would be. */
    Path writeDeflated(Path file) throws IOException {
        transferSyntax = DEFLATED_LE;
        byte[] all = bytes();
        int meta = metaLength();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(all, meta, all.length - meta);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(all, 0, meta);
        byte[] buf = new byte[1 << 16];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        Files.write(file, out.toByteArray());
        return file;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(metaElement());
        elements.values().forEach(out::writeBytes);
        return out.toByteArray();
    }

    private int metaLength() {
        return 132 + metaElement().length;
    }

    private byte[] metaElement() {
        byte[] ts = transferSyntax.getBytes(StandardCharsets.US_ASCII);
        if (ts.length % 2 == 1) {
            ts = Arrays.copyOf(ts, ts.length + 1);
        }
        return element(Tags.TRANSFER_SYNTAX_UID, "UI", ts);
    }

    private static byte[] element(int tag, String vr, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(tag, vr, value.length));
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] header(int tag, String vr, long length) {
        boolean longVr = LONG_VRS.contains(vr);
        ByteBuffer b = ByteBuffer.allocate(longVr ? 12 : 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) (tag >>> 16)).putShort((short) tag).put(vr.getBytes(StandardCharsets.US_ASCII));
        if (longVr) {
            b.putShort((short) 0).putInt((int) length);
        } else {
            b.putShort((short) length);
        }
        return b.array();
    }

    private static byte[] item(int tag, long length) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) (tag >>> 16)).putShort((short) tag)
                .putInt((int) length).array();
    }
}
