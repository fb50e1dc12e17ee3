package io.medseg.core.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.medseg.core.nn.Chain;
import io.medseg.core.nn.NetworkParts;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What stays fixed while fine-tuning: nothing, the encoder (every level's
 * down path and the bottleneck), the first K levels' encoders (counted from the input), or
 * everything but the head. Frozen layers get no gradient, hence no optimiser state, and run as in
 * inference (batch-norm statistics fixed, no dropout).
 *
 * @param levels for {@link Kind#LEVELS}: how many levels, 1 and up; 0 otherwise
 */
public record Freeze(Kind kind, int levels) {

    /** The choices. */
    public enum Kind { NONE, ENCODER, LEVELS, ALL_BUT_HEAD }

    public static final Freeze NONE = new Freeze(Kind.NONE, 0);

    public Freeze {
        if ((kind == Kind.LEVELS) != (levels > 0)) {
            throw new IllegalArgumentException("freeze levels: K must be >= 1 for 'levels:K' and absent otherwise, got "
                    + kind + " " + levels);
        }
    }

    /** Parses {@code none}, {@code encoder}, {@code levels:K} or {@code all-but-head}. */
    public static Freeze parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "none":
                return NONE;
            case "encoder":
                return new Freeze(Kind.ENCODER, 0);
            case "all-but-head":
                return new Freeze(Kind.ALL_BUT_HEAD, 0);
            default:
                if (t.startsWith("levels:")) {
                    try {
                        int k = Integer.parseInt(t.substring("levels:".length()).trim());
                        if (k >= 1) {
                            return new Freeze(Kind.LEVELS, k);
                        }
                    } catch (NumberFormatException e) {
                        // falls through to the message
                    }
                }
                throw new IllegalArgumentException("freeze '" + text + "': expected none, encoder, levels:K (K >= 1) or "
                        + "all-but-head");
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "none";
            case ENCODER -> "encoder";
            case LEVELS -> "levels:" + levels;
            case ALL_BUT_HEAD -> "all-but-head";
        };
    }

    /** The blocks this choice freezes in {@code network}. */
    public List<Block> blocks(Block network) {
        NetworkParts parts = NetworkParts.of(network);
        return switch (kind) {
            case NONE -> List.of();
            case ENCODER -> parts.encoders(parts.levels().size());
            case LEVELS -> {
                if (levels > parts.levels().size()) {
                    throw new IllegalArgumentException("freeze levels:" + levels + ": the network has "
                            + parts.levels().size() + " levels (" + parts.depth() + " down-samplings and the bottleneck)");
                }
                yield parts.encoders(levels);
            }
            case ALL_BUT_HEAD -> parts.allButHead();
        };
    }

    /**
     * Freezes the chosen blocks of {@code network} (already initialised).
     *
     * @return the network's names of the frozen parameters (batch-norm statistics included)
     */
    public Set<String> apply(Block network) {
        Map<Parameter, String> names = new IdentityHashMap<>();
        network.getParameters().forEach(p -> names.put(p.getValue(), p.getKey()));
        Set<String> frozen = new TreeSet<>();
        for (Block b : blocks(network)) {
            b.freezeParameters(true);
            b.getParameters().forEach(p -> frozen.add(names.get(p.getValue())));
            freezeChains(b);
        }
        return frozen;
    }

    private static void freezeChains(Block b) {
        List<Block> todo = new ArrayList<>(List.of(b));
        while (!todo.isEmpty()) {
            Block next = todo.remove(todo.size() - 1);
            if (next instanceof Chain c) {
                c.setFrozen(true);
            }
            todo.addAll(next.getChildren().values());
        }
    }
}
