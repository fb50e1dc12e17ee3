package io.medseg.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.ModelConfig;
import io.medseg.core.engine.InPlaceCopy;
import io.medseg.core.nn.NetworkParts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Starts a network from a trained bundle (transfer learning): every parameter whose name and shape
 * match the parent's is copied, batch-norm statistics included. The head's output channels are
 * matched by label name: a label the parent knew keeps its trained filter (also when its value
 * differs here), a new label starts from the fresh initialisation, so with the same label set the head
 * is kept, with its label mapping.
 */
public final class PretrainedWeights {
    private PretrainedWeights() {}

    /**
     * What was taken from the parent.
     *
     * @param copied names of the parameters copied whole (the head's are never among them)
     * @param fresh names of the parameters left as initialised (shape or name not in the parent)
     * @param headSource for each of this network's labels, the parent's label value its output channel
     *     came from, or -1 for a new label
     * @param headKept every label came from the parent and there are as many: the head is the parent's
     */
    public record Transfer(List<String> copied, List<String> fresh, Map<Integer, Integer> headSource, boolean headKept) {
        /** One line for logs and the bundle's lineage, e.g. "head replaced: 1 of 2 labels new (root canal)". */
        public String headSummary(ModelConfig child) {
            List<String> added = new ArrayList<>();
            headSource.forEach((label, from) -> {
                if (from < 0) {
                    added.add(child.labels().get(label));
                }
            });
            if (headKept) {
                boolean same = headSource.entrySet().stream().allMatch(e -> e.getKey().equals(e.getValue()));
                return same ? "head kept" : "head kept, labels mapped " + headSource;
            }
            if (added.isEmpty()) {
                return "head replaced: " + headSource.size() + " labels, all from the parent (channels " + headSource + ")";
            }
            return "head replaced: " + added.size() + " of " + headSource.size() + " labels new " + added;
        }
    }

    /**
     * Copies {@code parent}'s parameters into {@code child}'s initialised network.
     *
     * @throws IllegalArgumentException when the networks cannot be matched: another architecture,
     *     dimensionality or number of input channels
     */
    public static Transfer copy(ModelBundle parent, ModelBundle child) {
        ModelConfig p = parent.config();
        ModelConfig c = child.config();
        if (!p.architecture().equals(c.architecture())) {
            throw new IllegalArgumentException("the parent model is a " + p.architecture() + ", this run trains a "
                    + c.architecture() + "; fine-tuning keeps the parent's network");
        }
        if (p.patchSize().length != c.patchSize().length) {
            throw new IllegalArgumentException("the parent model is " + p.patchSize().length + "D, this run is "
                    + c.patchSize().length + "D");
        }
        if (p.inputChannels() != c.inputChannels()) {
            throw new IllegalArgumentException("the parent model takes " + p.inputChannels() + " input channel(s), the "
                    + "dataset has " + c.inputChannels() + "; there is no rule to map them");
        }
        Map<String, Parameter> parentByName = new HashMap<>();
        parent.block().getParameters().forEach(e -> parentByName.put(e.getKey(), e.getValue()));
        Map<Parameter, Boolean> childHead = new IdentityHashMap<>();
        NetworkParts.of(child.block()).head().getParameters().forEach(e -> childHead.put(e.getValue(), true));
        Map<Parameter, Boolean> parentHead = new IdentityHashMap<>();
        NetworkParts.of(parent.block()).head().getParameters().forEach(e -> parentHead.put(e.getValue(), true));

        Map<Integer, Integer> source = headSource(p, c);
        List<String> copied = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        for (Pair<String, Parameter> e : child.block().getParameters()) {
            NDArray target = e.getValue().getArray();
            Parameter from = parentByName.get(e.getKey());
            if (from == null || childHead.containsKey(e.getValue()) != parentHead.containsKey(from)) {
                fresh.add(e.getKey());
            } else if (childHead.containsKey(e.getValue())) {
                copyChannels(from.getArray(), target, source);
            } else if (from.getArray().getShape().equals(target.getShape())) {
                InPlaceCopy.copy(from.getArray(), target);
                copied.add(e.getKey());
            } else {
                fresh.add(e.getKey());
            }
        }
        boolean kept = p.classes() == c.classes() && source.values().stream().allMatch(v -> v >= 0);
        return new Transfer(List.copyOf(copied), List.copyOf(fresh), source, kept);
    }

    /** For each child label, the parent label of the same name (background is always 0), or −1. */
    static Map<Integer, Integer> headSource(ModelConfig parent, ModelConfig child) {
        Map<String, Integer> parentByName = new HashMap<>();
        parent.labels().forEach((value, name) -> parentByName.put(key(name), value));
        Map<Integer, Integer> source = new LinkedHashMap<>();
        child.labels().forEach((value, name) -> source.put(value, value == 0 ? 0 : parentByName.getOrDefault(key(name), -1)));
        return source;
    }

    private static String key(String labelName) {
        return labelName.trim().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** Output channel k of {@code target} (axis 0) from channel source[k] of {@code from}, where there is one. */
    private static void copyChannels(NDArray from, NDArray target, Map<Integer, Integer> source) {
        long[] f = from.getShape().getShape();
        long[] t = target.getShape().getShape();
        long perChannel = target.getShape().size() / t[0];
        if (f.length != t.length || from.getShape().size() / f[0] != perChannel) {
            return; // another width before the head: nothing to carry over
        }
        float[] parent = from.toFloatArray();
        float[] child = target.toFloatArray();
        source.forEach((k, s) -> {
            if (s >= 0 && s < f[0] && k < t[0]) {
                System.arraycopy(parent, (int) (s * perChannel), child, (int) (k * perChannel), (int) perChannel);
            }
        });
        try (NDArray values = target.getManager().create(child, target.getShape())) {
            InPlaceCopy.copy(values, target);
        }
    }
}
