package io.medseg.io.dicom;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Specific Character Set (0008,0005) terms → Java charsets, for the single-byte and UTF-8 sets. */
final class CharacterSets {
    private CharacterSets() {}

    static Charset of(String term) {
        if (term == null || term.isEmpty()) {
            return StandardCharsets.US_ASCII;
        }
        String first = term.split("\\\\")[0].trim();
        return switch (first) {
            case "ISO_IR 100", "ISO 2022 IR 100" -> StandardCharsets.ISO_8859_1;
            case "ISO_IR 101" -> Charset.forName("ISO-8859-2");
            case "ISO_IR 109" -> Charset.forName("ISO-8859-3");
            case "ISO_IR 110" -> Charset.forName("ISO-8859-4");
            case "ISO_IR 144" -> Charset.forName("ISO-8859-5");
            case "ISO_IR 127" -> Charset.forName("ISO-8859-6");
            case "ISO_IR 126" -> Charset.forName("ISO-8859-7");
            case "ISO_IR 138" -> Charset.forName("ISO-8859-8");
            case "ISO_IR 148" -> Charset.forName("ISO-8859-9");
            case "ISO_IR 13" -> Charset.forName("Shift_JIS");
            case "ISO_IR 166" -> Charset.forName("TIS-620");
            case "ISO_IR 192" -> StandardCharsets.UTF_8;
            case "GB18030", "GBK" -> Charset.forName("GB18030");
            default -> StandardCharsets.ISO_8859_1; // escape-sequence sets: readable Latin text at least
        };
    }
}
