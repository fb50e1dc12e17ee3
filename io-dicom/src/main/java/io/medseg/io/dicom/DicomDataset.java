package io.medseg.io.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * The elements of a DICOM data set (or sequence item) by tag, with typed accessors. Values keep
 * their encoded bytes; binary numbers are read in the data set's byte order.
 */
public final class DicomDataset {
    /** One element: its VR, raw value, items (SQ) or fragments (encapsulated pixel data). */
    record Element(int tag, String vr, byte[] value, List<DicomDataset> items, Encapsulated encapsulated) {
        /** The fragments of encapsulated pixel data, without the offset table; null for other elements. */
        List<byte[]> fragments() {
            return encapsulated == null ? null : encapsulated.fragments();
        }
    }

    /**
     * Encapsulated pixel data: the Basic Offset Table (the first item; empty when the writer left it
     * out) and the fragments after it.
     */
    record Encapsulated(byte[] offsetTable, List<byte[]> fragments) {}

    private final Map<Integer, Element> elements = new LinkedHashMap<>();
    private final ByteOrder order;
    private Charset charset = StandardCharsets.US_ASCII;

    DicomDataset(ByteOrder order) {
        this.order = order;
    }

    /** A sequence item: its text is in the character set of the data set holding it unless it names its own. */
    DicomDataset(ByteOrder order, DicomDataset parent) {
        this.order = order;
        if (parent != null) {
            this.charset = parent.charset;
        }
    }

    void put(Element e) {
        elements.put(e.tag(), e);
        if (e.tag() == Tags.SPECIFIC_CHARACTER_SET) {
            charset = CharacterSets.of(string(Tags.SPECIFIC_CHARACTER_SET));
        }
    }

    Element element(int tag) {
        return elements.get(tag);
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    /** The items of a sequence; an empty list when absent or not a sequence. */
    List<DicomDataset> sequence(int tag) {
        Element e = elements.get(tag);
        return e == null || e.items() == null ? List.of() : e.items();
    }

    ByteOrder order() {
        return order;
    }

    /** A text value with padding removed, decoded with the data set's character set; null if absent. */
    public String string(int tag) {
        Element e = elements.get(tag);
        if (e == null || e.value() == null) {
            return null;
        }
        String s = new String(e.value(), textual(e.vr()) ? charset : StandardCharsets.US_ASCII);
        int end = s.length();
        boolean personName = "PN".equals(e.vr());
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == 0 || personName && s.charAt(end - 1) == '=')) {
            end--; // padding, and for person names empty trailing component groups
        }
        int start = 0;
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        return s.substring(start, end);
    }

    private static boolean textual(String vr) {
        return switch (vr) {
            case "PN", "LO", "SH", "ST", "LT", "UT", "UC" -> true;
            default -> false;
        };
    }

    /** Numbers of a DS/IS (decimal strings) or US/SS/UL/SL/FL/FD element; null if absent or empty. */
    public double[] numbers(int tag) {
        Element e = elements.get(tag);
        if (e == null || e.value() == null || e.value().length == 0) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(e.value()).order(order);
        return switch (e.vr()) {
            case "US" -> binary(b, 2, i -> b.getShort(i) & 0xFFFF);
            case "SS" -> binary(b, 2, b::getShort);
            case "UL" -> binary(b, 4, i -> b.getInt(i) & 0xFFFFFFFFL);
            case "SL" -> binary(b, 4, b::getInt);
            case "FL" -> binary(b, 4, b::getFloat);
            case "FD" -> binary(b, 8, b::getDouble);
            default -> decimals(string(tag), tag);
        };
    }

    /** Every {@code width}-byte number of a binary value, read at its byte offset. */
    private static double[] binary(ByteBuffer b, int width, IntToDoubleFunction at) {
        double[] v = new double[b.capacity() / width];
        for (int i = 0; i < v.length; i++) {
            v[i] = at.applyAsDouble(width * i);
        }
        return v;
    }

    private static double[] decimals(String s, int tag) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        String[] parts = s.split("\\\\");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new NumberFormatException(Tags.format(tag) + " value '" + s + "' is not a number list");
            }
        }
        return v;
    }

    /** The first number of an element, or {@code fallback} if absent. */
    public double number(int tag, double fallback) {
        double[] v = numbers(tag);
        return v == null || v.length == 0 ? fallback : v[0];
    }

    public int integer(int tag, int fallback) {
        return (int) number(tag, fallback);
    }
}
