package io.medseg.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Shows a caller the outputs of chosen blocks during forward passes on this thread (what
 * {@code medseg explain} looks at): every {@link Chain} offers each child's output, and a watched
 * block's is kept (the chain does not free it), still in the autograd graph, so an activation can
 * also be differentiated with respect to the input. DJL blocks have no forward hooks; this is the one
 * place that plays that part.
 */
public final class ActivationTap implements AutoCloseable {
    private static final ThreadLocal<ActivationTap> CURRENT = new ThreadLocal<>();
    private final Map<Block, NDArray> captured = new IdentityHashMap<>();
    private final ActivationTap outer;

    private ActivationTap(Collection<Block> blocks) {
        blocks.forEach(b -> captured.put(b, null));
        outer = CURRENT.get();
        CURRENT.set(this);
    }

    /** Starts watching {@code blocks} on this thread until {@link #close}. */
    public static ActivationTap watch(Collection<Block> blocks) {
        return new ActivationTap(blocks);
    }

    /** The last output of {@code block} (batch × channels × spatial), or null if it has not run. */
    public NDArray output(Block block) {
        return captured.get(block);
    }

    static void offer(Block child, NDList output) {
        ActivationTap tap = CURRENT.get();
        if (tap != null && tap.captured.containsKey(child)) {
            tap.captured.put(child, output.singletonOrThrow());
        }
    }

    /** Whether a watched block's output is this array (which must then stay open). */
    static boolean holds(NDArray array) {
        ActivationTap tap = CURRENT.get();
        return tap != null && tap.captured.containsValue(array);
    }

    @Override
    public void close() {
        CURRENT.set(outer);
    }
}
