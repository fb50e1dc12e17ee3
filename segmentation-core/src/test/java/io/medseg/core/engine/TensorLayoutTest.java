package io.medseg.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.medseg.image.Geometry;
import io.medseg.image.Volume;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;

/** A volume whose value encodes its own (x, y, z, c) lands at tensor index (0, c, z, y, x). */
class TensorLayoutTest {
    @Test
    void imgLib2CoordinatesMapToReversedTensorAxes() {
        long[] size = {4, 3, 2};
        Volume v = Volume.zeros(size, 2, Geometry.identity(3));
        RandomAccess<FloatType> ra = v.voxels().randomAccess();
        for (int c = 0; c < 2; c++) {
            for (int z = 0; z < 2; z++) {
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < 4; x++) {
                        ra.setPositionAndGet(x, y, z, c).set(1000 * c + 100 * z + 10 * y + x);
                    }
                }
            }
        }
        Shape shape = TensorLayout.tensorShape(1, 2, size);
        assertEquals(new Shape(1, 2, 2, 3, 4), shape);
        assertArrayEquals(size, TensorLayout.sizeXyz(shape));
        assertEquals(new Shape(5, 2, 3, 4), TensorLayout.labelShape(5, size));
        Devices.engine();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t = m.create(v.data(), shape);
            assertEquals(1000 + 100 * 1 + 10 * 2 + 3, t.getFloat(0, 1, 1, 2, 3));
            assertEquals(10 * 1 + 2, t.getFloat(0, 0, 0, 1, 2));
        }
    }

    @Test
    void perAxisSettingsConvertBetweenTensorOrderAndXyz() {
        // a patch of 32 slices, 96 rows, 128 columns
        int[] tensorOrder = {32, 96, 128};
        assertArrayEquals(new long[] {128, 96, 32}, TensorLayout.xyz(tensorOrder));
        assertArrayEquals(tensorOrder, TensorLayout.tensorOrder(TensorLayout.xyz(tensorOrder)));
        assertArrayEquals(new int[] {128, 96, 32}, TensorLayout.reversed(tensorOrder));
        assertArrayEquals(tensorOrder, TensorLayout.reversed(TensorLayout.reversed(tensorOrder)));
        assertArrayEquals(new long[] {160, 80}, TensorLayout.xyz(new int[] {80, 160}));
        assertEquals("128x96x32 (x×y×z)", TensorLayout.describe(tensorOrder));
        assertEquals("160x80 (x×y)", TensorLayout.describe(new int[] {80, 160}));
    }
}
