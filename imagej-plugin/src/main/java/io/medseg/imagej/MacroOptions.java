package io.medseg.imagej;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The options string of a macro call ({@code key=value key=[a value] flag}) as ImageJ 1 records it,
 * read token by token: ImageJ's own {@code Macro.getValue(options, "size", …)} also finds the
 * {@code size=} inside {@code tile-size=}, so renamed keys cannot be told apart with it.
 */
final class MacroOptions {
    /** A key an older version recorded, read as {@code newKey} with its value converted. */
    record LegacyKey(String oldKey, String newKey, UnaryOperator<String> convert) {}

    private record Option(String key, String value) {}

    private MacroOptions() {}

    /**
     * Options with every legacy key renamed to its new key and its value converted; a legacy key
     * given together with its new key is left out (the new key wins), so a recorded macro of either
     * version means what it meant.
     */
    static String translate(String options, List<LegacyKey> legacy) {
        List<Option> parsed = parse(options);
        List<String> keys = parsed.stream().map(Option::key).toList();
        StringBuilder out = new StringBuilder();
        for (Option o : parsed) {
            Option kept = o;
            for (LegacyKey l : legacy) {
                if (o.key().equals(l.oldKey())) {
                    kept = keys.contains(l.newKey()) ? null
                            : new Option(l.newKey(), o.value() == null ? null : l.convert().apply(o.value()));
                }
            }
            if (kept != null) {
                out.append(out.length() == 0 ? "" : " ").append(kept.key());
                if (kept.value() != null) {
                    out.append('=').append(kept.value().contains(" ") ? "[" + kept.value() + "]" : kept.value());
                }
            }
        }
        return out.toString();
    }

    private static List<Option> parse(String options) {
        List<Option> out = new ArrayList<>();
        int i = 0;
        int n = options.length();
        while (i < n) {
            if (options.charAt(i) == ' ') {
                i++;
                continue;
            }
            int start = i;
            while (i < n && options.charAt(i) != ' ' && options.charAt(i) != '=') {
                i++;
            }
            String key = options.substring(start, i);
            if (i >= n || options.charAt(i) == ' ') {
                out.add(new Option(key, null)); // a ticked checkbox
                continue;
            }
            i++; // '='
            String value;
            if (i < n && options.charAt(i) == '[') {
                int close = options.indexOf(']', i);
                int end = close < 0 ? n : close;
                value = options.substring(i + 1, end);
                i = close < 0 ? n : close + 1;
            } else {
                int end = options.indexOf(' ', i);
                end = end < 0 ? n : end;
                value = options.substring(i, end);
                i = end;
            }
            out.add(new Option(key, value));
        }
        return out;
    }

    /** {@code 64x128x128} read as the reverse order, {@code 128x128x64}: [D×]H×W to x×y[×z]. */
    static String reversedSizes(String sizes) {
        String[] parts = sizes.split("[xX]");
        StringBuilder b = new StringBuilder();
        for (int k = parts.length - 1; k >= 0; k--) {
            b.append(parts[k].trim()).append(k > 0 ? "x" : "");
        }
        return b.toString();
    }
}
