package io.medseg.core.nn;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * The levels of an encoder–decoder built by this project's recipes (the U-Net, nnU-Net's U-Net and
 * the V-Net all share this shape), found by walking the block tree rather than by parameter names:
 *
 * <pre>
 * network  = Chain[level(0), head]
 * level(d) = Chain[encoder(d), SkipConnection(Chain[(pooling,) level(d+1), up(d)]), decoder(d)]
 * deepest  = its encoder alone (the bottleneck)
 * </pre>
 *
 * What fine-tuning freezes and what {@code medseg explain} looks at are named in these terms; for
 * an {@link Ensemble}, those of its first network.
 *
 * @param levels level 0 (full resolution) first, the bottleneck last
 * @param head the final 1×1 convolution to the classes
 */
public record NetworkParts(List<Level> levels, Block head) {

    /**
     * One resolution level.
     *
     * @param encoder the convolutions on the way down (with the down-sampling into this level, where the
     *     recipe puts it there); for the deepest level, the bottleneck
     * @param up the up-sampling from the level below into this one (null for the deepest level)
     * @param decoder the convolutions after the skip concatenation (null for the deepest level)
     */
    public record Level(Block encoder, Block up, Block decoder) {}

    public NetworkParts {
        levels = List.copyOf(levels);
    }

    /** @throws IllegalArgumentException if {@code network} does not have the shape above */
    public static NetworkParts of(Block network) {
        if (network instanceof Ensemble e) {
            return of(e.members().get(0));
        }
        List<Block> top = children(network);
        if (!(network instanceof Chain) || top.size() != 2) {
            throw new IllegalArgumentException("not an encoder-decoder of medseg's recipes (Chain[level 0, head]): "
                    + network.getClass().getSimpleName() + " with " + top.size() + " blocks");
        }
        List<Level> levels = new ArrayList<>();
        Block level = top.get(0);
        while (true) {
            List<Block> c = children(level);
            if (level instanceof Chain && c.size() == 3 && c.get(1) instanceof SkipConnection skip) {
                List<Block> inner = children(skip.inner());
                if (inner.size() < 2) {
                    throw new IllegalArgumentException("level " + levels.size() + ": the skip connection holds "
                            + inner.size() + " block(s), expected the deeper level and an up-sampling");
                }
                levels.add(new Level(c.get(0), inner.get(inner.size() - 1), c.get(2)));
                level = inner.get(inner.size() - 2);
            } else {
                levels.add(new Level(level, null, null));
                return new NetworkParts(levels, top.get(1));
            }
        }
    }

    /** Index of the bottleneck (the number of down-sampling steps). */
    public int depth() {
        return levels.size() - 1;
    }

    /** The encoders of levels 0..count−1 (count = levels().size() includes the bottleneck). */
    public List<Block> encoders(int count) {
        List<Block> out = new ArrayList<>();
        for (int d = 0; d < count; d++) {
            out.add(levels.get(d).encoder());
        }
        return out;
    }

    /** Every block except the head: all encoders, up-samplings and decoders. */
    public List<Block> allButHead() {
        List<Block> out = new ArrayList<>();
        for (Level l : levels) {
            out.add(l.encoder());
            if (l.up() != null) {
                out.add(l.up());
                out.add(l.decoder());
            }
        }
        return out;
    }

    private static List<Block> children(Block b) {
        return new ArrayList<>(b.getChildren().values());
    }
}
