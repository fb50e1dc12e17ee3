package io.medseg.pipeline;

import ai.djl.engine.EngineException;
import io.medseg.core.Segmenter;
import io.medseg.core.engine.TensorLayout;
import io.medseg.image.Volume;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A scan that does not fit in memory is segmented again with one tile per batch, then with tiles
 * half as large in-plane, until it fits or no smaller tile is left; both front ends segment through
 * it. The next scan starts again with the options asked for.
 */
public final class MemoryFallback {
    private MemoryFallback() {}

    /**
     * @param say told each retry, one line
     * @throws OutOfMemoryError when even the smallest tile did not fit, saying so
     */
    public static Segmenter.Segmentation segment(Segmenter segmenter, Volume scan, IntConsumer progress,
            boolean keepProbabilities, Consumer<String> say) {
        Segmenter.Options asked = segmenter.options();
        try {
            while (true) {
                try {
                    return segmenter.segment(scan, progress, keepProbabilities);
                } catch (OutOfMemoryError | EngineException e) {
                    if (e instanceof EngineException && !String.valueOf(e.getMessage()).contains("allocate")) {
                        throw e; // libtorch failed for another reason than memory
                    }
                    Segmenter.Options attempt = segmenter.options();
                    Segmenter.Options smaller = smaller(segmenter, attempt);
                    if (smaller == null) {
                        throw new OutOfMemoryError("even with one tile of " + tile(segmenter, attempt) + " per batch");
                    }
                    say.accept("out of memory with " + attempt.batchSize() + " tile(s) per batch of "
                            + tile(segmenter, attempt) + "; trying again with " + smaller.batchSize() + " of "
                            + tile(segmenter, smaller));
                    segmenter.useOptions(smaller);
                }
            }
        } finally {
            segmenter.useOptions(asked);
        }
    }

    /** One tile per batch, else tiles half as large in-plane; null when neither is left. */
    static Segmenter.Options smaller(Segmenter segmenter, Segmenter.Options o) {
        int[] tile = Segmenter.tile(segmenter.config(), o);
        if (o.batchSize() > 1) {
            return o.withBatchSize(1).withTile(tile);
        }
        int[] half = Segmenter.halfTile(segmenter.config(), tile);
        return half == null ? null : o.withTile(half);
    }

    private static String tile(Segmenter segmenter, Segmenter.Options o) {
        return TensorLayout.describe(Segmenter.tile(segmenter.config(), o));
    }
}
