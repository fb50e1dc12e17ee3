package io.medseg.nnunet;

import java.util.Arrays;

/**
 * A tensor in a {@code torch.save} checkpoint: where its values are ({@code data/KEY} in the zip,
 * from element {@code offset}) and how they are laid out (shape and strides in elements), as
 * {@code _rebuild_tensor_v2} receives them. {@link TorchCheckpoint#floats} reads the values.
 *
 * @param storageNumel the storage's length in elements, as the pickle states it
 */
public record StoredTensor(String storageKey, DType dtype, long offset, long[] shape, long[] stride, long storageNumel) {
    /** Element types of torch storages. */
    public enum DType {
        FLOAT32(4), FLOAT64(8), FLOAT16(2), BFLOAT16(2), INT64(8), INT32(4), INT16(2), INT8(1), UINT8(1), BOOL(1);

        private final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        public int bytes() {
            return bytes;
        }

        boolean floating() {
            return this == FLOAT32 || this == FLOAT64 || this == FLOAT16 || this == BFLOAT16;
        }
    }

    public StoredTensor {
        shape = shape.clone();
        stride = stride.clone();
    }

    /** The number of elements. */
    public long numel() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** The shape as torch prints it, e.g. "(32, 1, 3, 3, 3)". */
    public String shapeText() {
        return Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public long[] stride() {
        return stride.clone();
    }
}
