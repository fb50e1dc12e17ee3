package io.medseg.core.infer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many connected components each label keeps after segmentation: the largest one of every
 * label (nnU-Net's post-processing for single organs) and, per label, more than one where the
 * anatomy has several — one label "kidney" holds two kidneys, and keeping only its largest
 * component would delete one of them.
 *
 * @param largestOfEvery every label keeps its largest component unless {@code perLabel} says otherwise
 * @param perLabel label name or number → the number of largest components it keeps (at least 1)
 */
public record KeptComponents(boolean largestOfEvery, Map<String, Integer> perLabel) {
    /** Keeps everything the network predicted. */
    public static final KeptComponents ALL = new KeptComponents(false, Map.of());

    public KeptComponents {
        perLabel = Map.copyOf(perLabel);
        perLabel.forEach((label, n) -> {
            if (n < 1) {
                throw new IllegalArgumentException("label " + label + " must keep at least 1 component; got " + n);
            }
        });
    }

    public static KeptComponents largestOfEach() {
        return new KeptComponents(true, Map.of());
    }

    /**
     * Parses {@code LABEL=N[,LABEL=N...]} (label name or number), e.g. {@code kidney=2,liver=1};
     * blank text keeps no per-label counts.
     */
    public static KeptComponents parse(String text, boolean largestOfEvery) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (text != null && !text.isBlank()) {
            for (String item : text.split(",")) {
                String[] kv = item.trim().split("=", -1);
                if (kv.length != 2 || kv[0].isBlank()) {
                    throw new IllegalArgumentException("expected LABEL=N such as kidney=2, got \""
                            + item.trim() + "\"");
                }
                int n;
                try {
                    n = Integer.parseInt(kv[1].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("\"" + kv[1].trim() + "\" for "
                            + kv[0].trim() + " is not a whole number");
                }
                if (counts.put(kv[0].trim(), n) != null) {
                    throw new IllegalArgumentException(kv[0].trim() + " is given twice");
                }
            }
        }
        return new KeptComponents(largestOfEvery, counts);
    }

    /** Whether any label is filtered at all. */
    public boolean filters() {
        return largestOfEvery || !perLabel.isEmpty();
    }

    /**
     * Components kept per label value (index = label, 0 = keep all) for a model's labels; a label
     * the model does not have is an error naming the ones it has.
     */
    public int[] counts(Map<Integer, String> labelNames, int classes) {
        int[] counts = new int[classes];
        for (int label = 1; label < classes; label++) {
            counts[label] = largestOfEvery ? 1 : 0;
        }
        // a name and a number may mean the same label ("kidney=2,2=1"): which one wins would be arbitrary
        Map<Integer, String> given = new TreeMap<>();
        perLabel.forEach((key, n) -> {
            int label = labelOf(key, labelNames, classes);
            String earlier = given.put(label, key);
            if (earlier != null) {
                throw new IllegalArgumentException("label " + label + " (" + labelNames.get(label) + ") is given twice, as "
                        + earlier + " and " + key);
            }
            counts[label] = n;
        });
        return counts;
    }

    private static int labelOf(String key, Map<Integer, String> labelNames, int classes) {
        for (Map.Entry<Integer, String> e : labelNames.entrySet()) {
            if (e.getKey() > 0 && e.getValue().equalsIgnoreCase(key)) {
                return e.getKey();
            }
        }
        try {
            int label = Integer.parseInt(key);
            if (label >= 1 && label < classes) {
                return label;
            }
        } catch (NumberFormatException ignored) {
            // not a number either: fall through to the error
        }
        Map<Integer, String> named = new TreeMap<>(labelNames);
        named.remove(0);
        throw new IllegalArgumentException("the model has no label \"" + key + "\" to keep components of; its labels are "
                + named);
    }
}
