package io.medseg.io.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A data set being built for writing: elements kept in tag order (as Part 5 requires, whatever order
 * they are added in), each with its VR, encoded as Explicit VR Little Endian with defined lengths.
 * Text values are padded to even length (UI with a NUL, others with a space); a value too long for
 * its VR is refused, not cut. Text of the VRs that carry a character set (PN, LO, SH, ST, LT, UT, UC)
 * is encoded when the whole data set is, in the character set given then, nested items included;
 * text that set cannot hold is refused ({@link Unencodable}), never written as other bytes.
 */
final class WritableDataset {
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT",
            "SV", "UV");
    /** Maximum characters per value (Part 5, table 6.2-1) of the string VRs this writer is given. */
    private static final Map<String, Integer> MAX_LENGTH = Map.of("AE", 16, "CS", 16, "DA", 8, "DS", 16, "IS", 12,
            "LO", 64, "PN", 64 * 5, "SH", 16, "TM", 14, "UI", 64);

    private record Entry(String vr, byte[] value, String text, List<WritableDataset> items) {}

    /** Text that the character set of the encoding cannot hold. */
    static final class Unencodable extends IllegalArgumentException {
        Unencodable(String message) {
            super(message);
        }
    }

    private static final Set<String> TEXT_VRS = Set.of("PN", "LO", "SH", "ST", "LT", "UT", "UC");

    private final TreeMap<Integer, Entry> elements = new TreeMap<>(Integer::compareUnsigned);

    /** A text element (AE, CS, DA, DS, IS, LO, LT, PN, SH, ST, TM, UI, UT): several values joined by backslashes. */
    WritableDataset text(int tag, String vr, String... values) {
        for (String v : values) {
            Integer max = MAX_LENGTH.get(vr);
            if (max != null && v.length() > max) {
                throw new IllegalArgumentException(Tags.format(tag) + " " + vr + " value '" + v + "' is longer than "
                        + max + " characters");
            }
        }
        String joined = String.join("\\", values);
        if (TEXT_VRS.contains(vr)) {
            elements.put(tag, new Entry(vr, null, joined, null));
            return this;
        }
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(joined)) {
            throw new IllegalArgumentException(Tags.format(tag) + " " + vr + " value '" + joined + "' is not ASCII");
        }
        return raw(tag, vr, joined.getBytes(StandardCharsets.US_ASCII));
    }

    /** Decimal strings (DS) of up to 16 characters each, as exact as that allows. */
    WritableDataset decimals(int tag, double... values) {
        String[] s = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            s[i] = decimalString(values[i]);
        }
        return text(tag, "DS", s);
    }

    /** The shortest decimal of at most 16 characters that is closest to {@code v}. */
    static String decimalString(double v) {
        if (v == 0) {
            return "0";
        }
        String plain = Double.toString(v);
        if (plain.length() <= 16 && !plain.contains("E")) {
            return plain.endsWith(".0") ? plain.substring(0, plain.length() - 2) : plain;
        }
        for (int digits = 16; digits > 0; digits--) {
            String s = String.format(Locale.ROOT, "%." + digits + "g", v).replace("e+", "E").replace("e-", "E-");
            if (s.contains(".") && !s.contains("E")) {
                s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            if (s.length() <= 16) {
                return s;
            }
        }
        throw new IllegalArgumentException("cannot write " + v + " as a decimal string");
    }

    /** Unsigned shorts (US). */
    WritableDataset unsignedShorts(int tag, int... values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putShort((short) v);
        }
        return raw(tag, "US", b.array());
    }

    /** Unsigned longs (UL). */
    WritableDataset unsignedLongs(int tag, long... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putInt((int) v);
        }
        return raw(tag, "UL", b.array());
    }

    /** Attribute tags (AT): each as group, element. */
    WritableDataset attributeTags(int tag, int... tags) {
        ByteBuffer b = ByteBuffer.allocate(4 * tags.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int t : tags) {
            b.putShort((short) (t >>> 16)).putShort((short) t);
        }
        return raw(tag, "AT", b.array());
    }

    /** A sequence of items. */
    WritableDataset sequence(int tag, List<WritableDataset> items) {
        elements.put(tag, new Entry("SQ", null, null, List.copyOf(items)));
        return this;
    }

    /** A sequence of one item. */
    WritableDataset item(int tag, WritableDataset item) {
        return sequence(tag, List.of(item));
    }

    /** A value as encoded bytes (binary VRs, or text copied from another file), padded to even length. */
    WritableDataset raw(int tag, String vr, byte[] value) {
        byte[] v = value;
        if (v.length % 2 == 1) {
            v = Arrays.copyOf(v, v.length + 1);
            v[v.length - 1] = (byte) ("UI".equals(vr) || "OB".equals(vr) || "UN".equals(vr) ? 0 : ' ');
        }
        elements.put(tag, new Entry(vr, v, null, null));
        return this;
    }

    /** Copies an element of a parsed data set as it was encoded (its bytes, with the VR given), if present. */
    WritableDataset copy(DicomDataset from, int tag, String vr) {
        DicomDataset.Element e = from.element(tag);
        if (e != null && e.value() != null) {
            raw(tag, vr, e.value());
        }
        return this;
    }

    /** As {@link #copy}, or an empty value when absent: a type 2 attribute, which must be present. */
    WritableDataset copyOrEmpty(DicomDataset from, int tag, String vr) {
        copy(from, tag, vr);
        elements.putIfAbsent(tag, new Entry(vr, new byte[0], null, null));
        return this;
    }

    boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    /**
     * The data set as Explicit VR Little Endian, its text in {@code charset} (the one its Specific
     * Character Set names).
     *
     * @throws Unencodable naming the element whose text {@code charset} cannot hold
     */
    byte[] encode(Charset charset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encodeTo(out, charset);
        return out.toByteArray();
    }

    private void encodeTo(ByteArrayOutputStream out, Charset charset) {
        for (Map.Entry<Integer, Entry> e : elements.entrySet()) {
            int tag = e.getKey();
            Entry entry = e.getValue();
            byte[] value;
            if (entry.items() != null) {
                ByteArrayOutputStream items = new ByteArrayOutputStream();
                for (WritableDataset item : entry.items()) {
                    byte[] body = item.encode(charset);
                    writeTag(items, Tags.ITEM);
                    writeInt(items, body.length);
                    items.writeBytes(body);
                }
                value = items.toByteArray();
            } else if (entry.text() != null) {
                if (!charset.newEncoder().canEncode(entry.text())) {
                    throw new Unencodable(Tags.format(tag) + " " + entry.vr() + " value '" + entry.text() + "' cannot be"
                            + " written in " + charset.name());
                }
                byte[] t = entry.text().getBytes(charset);
                value = t.length % 2 == 0 ? t : Arrays.copyOf(t, t.length + 1);
                if (value.length != t.length) {
                    value[t.length] = ' ';
                }
            } else {
                value = entry.value();
            }
            writeTag(out, tag);
            out.writeBytes(entry.vr().getBytes(StandardCharsets.US_ASCII));
            if (LONG_VRS.contains(entry.vr())) {
                writeShort(out, 0);
                writeInt(out, value.length);
            } else {
                if (value.length > 0xFFFF) {
                    throw new IllegalArgumentException(Tags.format(tag) + " " + entry.vr() + " value of " + value.length
                            + " bytes does not fit a 16-bit length");
                }
                writeShort(out, value.length);
            }
            out.writeBytes(value);
        }
    }

    private static void writeTag(ByteArrayOutputStream out, int tag) {
        writeShort(out, tag >>> 16);
        writeShort(out, tag & 0xFFFF);
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v & 0xFF);
        out.write((v >>> 8) & 0xFF);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        writeShort(out, v & 0xFFFF);
        writeShort(out, v >>> 16);
    }

    /** Several items, in order. */
    static List<WritableDataset> items(List<WritableDataset> items) {
        return new ArrayList<>(items);
    }
}
