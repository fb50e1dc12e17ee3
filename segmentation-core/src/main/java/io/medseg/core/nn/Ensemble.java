package io.medseg.core.nn;

import ai.djl.nn.Block;
import java.util.List;

/**
 * A block holding several networks of one recipe whose outputs it averages (an imported nnU-Net
 * model's folds). What is named in a network's terms (layers to explain) refers to the first.
 */
public interface Ensemble {
    /** The networks, in the order their outputs are summed; at least one. */
    List<Block> members();
}
