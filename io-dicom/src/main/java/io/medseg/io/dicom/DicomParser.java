package io.medseg.io.dicom;

import io.medseg.io.ImageFileException;
import io.medseg.io.ReadLimits;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Parses DICOM Part 10 files (and bare data sets without preamble or meta header): implicit and
 * explicit VR, little and big endian, deflate; sequences and items of defined and undefined
 * length; encapsulated pixel data as fragments. Every length is checked against the file size,
 * so a corrupt length gives an error naming the element instead of a huge allocation.
 */
public final class DicomParser {
    private static final Set<String> LONG_VRS = Set.of("OB", "OW", "OF", "SQ", "UT", "UN", "UC", "UR", "OD", "OL", "OV",
            "SV", "UV");
    private static final long UNDEFINED = 0xFFFFFFFFL;
    /** Sequences nested deeper than this are refused (real files stay below 10; the parser recurses per level). */
    static final int MAX_DEPTH = 64;

    private final Path file;
    private byte[] bytes;
    private int pos;
    private ByteOrder order;
    private boolean explicit;
    private int depth;
    /** The data set (or item) being parsed: the items of its sequences take its character set. */
    private DicomDataset current;

    private DicomParser(Path file, byte[] bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    /**
     * @throws ImageFileException if the file is not DICOM, is truncated, or uses an unknown transfer syntax
     */
    public static DicomFile parse(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFileException(file, "no such file");
        }
        long size = Files.size(file);
        if (size > Math.min(ReadLimits.maxScanBytes(), Integer.MAX_VALUE - 8)) {
            throw new ImageFileException(file, "is " + size + " bytes, more than one DICOM file read here may hold ("
                    + Math.min(ReadLimits.maxScanBytes(), Integer.MAX_VALUE - 8) + ", " + ReadLimits.MAX_SCAN_BYTES + ")");
        }
        return new DicomParser(file, Files.readAllBytes(file)).parseFile();
    }

    /** Whether the file starts like DICOM (preamble + "DICM", or a plausible first element). */
    public static boolean looksLikeDicom(byte[] head) {
        if (head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
            return true;
        }
        return head.length >= 8 && (firstGroup(head, ByteOrder.LITTLE_ENDIAN) == 0x0008
                || firstGroup(head, ByteOrder.BIG_ENDIAN) == 0x0008 || firstGroup(head, ByteOrder.LITTLE_ENDIAN) == 0x0002);
    }

    private static int firstGroup(byte[] b, ByteOrder o) {
        return o == ByteOrder.LITTLE_ENDIAN ? (b[0] & 0xFF) | (b[1] & 0xFF) << 8 : (b[0] & 0xFF) << 8 | (b[1] & 0xFF);
    }

    private DicomFile parseFile() throws IOException {
        boolean preamble = bytes.length >= 132 && new String(bytes, 128, 4, StandardCharsets.US_ASCII).equals("DICM");
        if (!preamble && !looksLikeDicom(bytes)) {
            throw new ImageFileException(file, "not a DICOM file (no 'DICM' marker and no DICOM element at the start)");
        }
        pos = preamble ? 132 : 0;
        order = ByteOrder.LITTLE_ENDIAN;
        String tsUid = null;
        if (peekGroup(ByteOrder.LITTLE_ENDIAN) == 0x0002) {
            explicit = true;
            DicomDataset meta = new DicomDataset(order);
            while (pos + 8 <= bytes.length && peekGroup(ByteOrder.LITTLE_ENDIAN) == 0x0002) {
                meta.put(readElement());
            }
            tsUid = meta.string(Tags.TRANSFER_SYNTAX_UID);
        }
        TransferSyntax ts = tsUid == null ? guessSyntax() : TransferSyntax.of(tsUid);
        if (ts == null) {
            throw new ImageFileException(file, "unknown transfer syntax " + tsUid);
        }
        explicit = ts.explicitVr;
        order = ts.order;
        if (ts == TransferSyntax.DEFLATED_LE) {
            bytes = inflate(bytes, pos, ReadLimits.maxScanBytes());
            pos = 0;
        }
        DicomDataset dataset = new DicomDataset(order);
        parseDataset(dataset, bytes.length, false);
        return new DicomFile(file, ts, dataset);
    }

    /** Without a meta header: explicit if two VR letters follow the first tag; endianness from the group. */
    private TransferSyntax guessSyntax() {
        boolean vrLetters = pos + 6 <= bytes.length && Character.isUpperCase(bytes[pos + 4])
                && Character.isUpperCase(bytes[pos + 5]);
        boolean bigEndian = peekGroup(ByteOrder.BIG_ENDIAN) == 0x0008;
        if (bigEndian) {
            return TransferSyntax.EXPLICIT_BE;
        }
        return vrLetters ? TransferSyntax.EXPLICIT_LE : TransferSyntax.IMPLICIT_LE;
    }

    private int peekGroup(ByteOrder o) {
        if (pos + 2 > bytes.length) {
            return -1;
        }
        return o == ByteOrder.LITTLE_ENDIAN ? (bytes[pos] & 0xFF) | (bytes[pos + 1] & 0xFF) << 8
                : (bytes[pos] & 0xFF) << 8 | (bytes[pos + 1] & 0xFF);
    }

    /**
     * The deflated data set, refused once it grows past {@code limit} bytes (a 1 MB file can inflate
     * to 1 GB). Inflated twice: once to count the bytes (nothing kept), once into an array of exactly
     * that size, so the memory taken is the data set's own, not twice it while a buffer grows.
     */
    private byte[] inflate(byte[] in, int from, long limit) throws ImageFileException {
        long cap = Math.min(limit, Integer.MAX_VALUE - 8);
        long size = inflateInto(in, from, null, cap);
        byte[] out = new byte[(int) size];
        inflateInto(in, from, out, cap);
        return out;
    }

    /** Inflates into {@code out} (or only counts, when null); returns the inflated size. */
    private long inflateInto(byte[] in, int from, byte[] out, long cap) throws ImageFileException {
        Inflater inflater = new Inflater(true);
        inflater.setInput(in, from, in.length - from);
        byte[] buf = new byte[1 << 16];
        long size = 0;
        try {
            while (!inflater.finished()) {
                int n = out == null ? inflater.inflate(buf) : inflater.inflate(out, (int) size, out.length - (int) size);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary() || out != null && size == out.length)) {
                    break;
                }
                if (size + n > cap) {
                    throw new ImageFileException(file, "deflated data set inflates past " + cap + " bytes (from "
                            + (in.length - from) + "), more than one scan may use (" + ReadLimits.MAX_SCAN_BYTES + ")");
                }
                size += n;
            }
        } catch (DataFormatException e) {
            throw new ImageFileException(file, "corrupt deflated data set: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        return size;
    }

    /** Parses elements until {@code end}, or until an item delimiter when {@code untilDelimiter}. */
    private void parseDataset(DicomDataset into, int end, boolean untilDelimiter) throws ImageFileException {
        DicomDataset outer = current;
        current = into;
        try {
            parseElements(into, end, untilDelimiter);
        } finally {
            current = outer;
        }
    }

    private void parseElements(DicomDataset into, int end, boolean untilDelimiter) throws ImageFileException {
        while (pos < end) {
            if (end - pos < 8) {
                if (allZero(pos, end)) {
                    return; // trailing padding
                }
                throw new ImageFileException(file, "truncated element header at byte " + pos);
            }
            int tag = peekTag();
            if (tag == Tags.ITEM_DELIMITER) {
                pos += 8;
                if (untilDelimiter) {
                    return;
                }
                continue;
            }
            into.put(readElement());
        }
        if (untilDelimiter) {
            throw new ImageFileException(file, "item of undefined length has no delimiter before the end of the file");
        }
    }

    private DicomDataset.Element readElement() throws ImageFileException {
        int start = pos;
        int tag = readTag();
        String vr;
        long length;
        if (explicit && (tag >>> 16) != 0xFFFE) {
            vr = new String(bytes, pos, 2, StandardCharsets.US_ASCII);
            pos += 2;
            if (LONG_VRS.contains(vr)) {
                if (bytes.length - pos < 6) {
                    throw new ImageFileException(file, "truncated element header at byte " + start);
                }
                pos += 2;
                length = u32();
            } else if (vr.chars().allMatch(Character::isUpperCase)) {
                length = u16();
            } else {
                throw new ImageFileException(file, "element " + Tags.format(tag) + " at byte " + start + " has VR "
                        + printable(start + 4) + ", not a valid VR");
            }
        } else {
            vr = ImplicitVrs.of(tag);
            length = u32();
        }
        if (length == UNDEFINED) {
            if (tag == Tags.PIXEL_DATA) {
                return new DicomDataset.Element(tag, vr, null, null, fragments());
            }
            return new DicomDataset.Element(tag, "SQ", null, sequence(-1, "UN".equals(vr)), null);
        }
        if (length > bytes.length - pos) {
            throw new ImageFileException(file, "element " + Tags.format(tag) + " at byte " + start + " claims " + length
                    + " bytes, but only " + (bytes.length - pos) + " remain (truncated or corrupt file)");
        }
        if ("SQ".equals(vr)) {
            return new DicomDataset.Element(tag, vr, null, sequence((int) (pos + length), false), null);
        }
        byte[] value = Arrays.copyOfRange(bytes, pos, pos + (int) length);
        pos += (int) length;
        return new DicomDataset.Element(tag, vr, value, null, null);
    }

    /** Items until {@code end} (defined length) or a sequence delimiter ({@code end} = −1). */
    private List<DicomDataset> sequence(int end, boolean implicitLittleEndian) throws ImageFileException {
        if (depth == MAX_DEPTH) {
            throw new ImageFileException(file, "sequences nested more than " + MAX_DEPTH + " levels deep at byte " + pos
                    + " (corrupt or crafted file)");
        }
        depth++;
        boolean savedExplicit = explicit;
        ByteOrder savedOrder = order;
        if (implicitLittleEndian) {
            explicit = false; // UN of undefined length holds implicit VR little endian (PS3.5 6.2.2)
            order = ByteOrder.LITTLE_ENDIAN;
        }
        List<DicomDataset> items = new ArrayList<>();
        try {
            while (end < 0 || pos < end) {
                int start = pos;
                if (bytes.length - pos < 8) {
                    throw new ImageFileException(file, "sequence at byte " + start + " is not terminated");
                }
                int tag = readTag();
                long length = u32();
                if (tag == Tags.SEQUENCE_DELIMITER) {
                    break;
                }
                if (tag != Tags.ITEM) {
                    throw new ImageFileException(file, "expected an item tag in a sequence at byte " + start + ", found "
                            + Tags.format(tag));
                }
                DicomDataset item = new DicomDataset(order, current);
                if (length == UNDEFINED) {
                    parseDataset(item, bytes.length, true);
                } else {
                    if (length > bytes.length - pos) {
                        throw new ImageFileException(file, "item at byte " + start + " claims " + length
                                + " bytes, but only " + (bytes.length - pos) + " remain");
                    }
                    parseDataset(item, pos + (int) length, false);
                }
                items.add(item);
            }
            return items;
        } finally {
            explicit = savedExplicit;
            order = savedOrder;
            depth--;
        }
    }

    /** Encapsulated pixel data: the basic offset table item, then one item per fragment. */
    private DicomDataset.Encapsulated fragments() throws ImageFileException {
        List<byte[]> fragments = new ArrayList<>();
        byte[] offsetTable = null;
        while (true) {
            int start = pos;
            if (bytes.length - pos < 8) {
                throw new ImageFileException(file, "encapsulated pixel data is not terminated (truncated file?)");
            }
            int tag = readTag();
            long length = u32();
            if (tag == Tags.SEQUENCE_DELIMITER) {
                return new DicomDataset.Encapsulated(offsetTable == null ? new byte[0] : offsetTable, fragments);
            }
            if (tag != Tags.ITEM || length > bytes.length - pos) {
                throw new ImageFileException(file, "broken pixel data fragment at byte " + start + " (tag "
                        + Tags.format(tag) + ", length " + length + ", " + (bytes.length - pos) + " bytes left)");
            }
            byte[] f = Arrays.copyOfRange(bytes, pos, pos + (int) length);
            pos += (int) length;
            if (offsetTable == null) {
                offsetTable = f; // the first item is the basic offset table
            } else {
                fragments.add(f);
            }
        }
    }

    /** Two VR bytes as text when they are printable ASCII, else in hex: an error message stays one line. */
    private String printable(int at) {
        int a = bytes[at] & 0xFF;
        int b = bytes[at + 1] & 0xFF;
        if (a >= 0x20 && a < 0x7F && b >= 0x20 && b < 0x7F) {
            return "'" + (char) a + (char) b + "'";
        }
        return String.format("0x%02X%02X", a, b);
    }

    private boolean allZero(int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private int peekTag() {
        int saved = pos;
        int tag = readTag();
        pos = saved;
        return tag;
    }

    private int readTag() {
        int group = u16();
        int element = u16();
        return group << 16 | element;
    }

    private int u16() {
        int a = bytes[pos] & 0xFF;
        int b = bytes[pos + 1] & 0xFF;
        pos += 2;
        return order == ByteOrder.LITTLE_ENDIAN ? a | b << 8 : a << 8 | b;
    }

    private long u32() {
        long a = bytes[pos] & 0xFFL;
        long b = bytes[pos + 1] & 0xFFL;
        long c = bytes[pos + 2] & 0xFFL;
        long d = bytes[pos + 3] & 0xFFL;
        pos += 4;
        return order == ByteOrder.LITTLE_ENDIAN ? a | b << 8 | c << 16 | d << 24 : a << 24 | b << 16 | c << 8 | d;
    }
}
