package io.medseg.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Overwrites an array's values in place, keeping the array itself (the trainer and the optimizer
 * hold it). {@code NDArray.set(Buffer)} would do the same, but DJL's native side runs it under
 * libtorch's deprecated {@code AutoNonVariableTypeMode}, which prints a warning on stderr; an
 * indexed copy with the gradient switched off for its duration does not.
 */
public final class InPlaceCopy {
    private InPlaceCopy() {}

    /** Copies {@code values} (same shape and data type) into {@code target}. */
    public static void copy(NDArray values, NDArray target) {
        if (!values.getShape().equals(target.getShape()) || values.getDataType() != target.getDataType()) {
            throw new IllegalArgumentException("cannot copy " + values.getDataType() + values.getShape() + " into "
                    + target.getDataType() + target.getShape());
        }
        // libtorch refuses an in-place write to a leaf that requires a gradient
        boolean gradient = target.hasGradient();
        if (gradient) {
            target.setRequiresGradient(false);
        }
        try {
            target.set(new NDIndex("..."), values);
        } finally {
            if (gradient) {
                target.setRequiresGradient(true);
            }
        }
    }
}
