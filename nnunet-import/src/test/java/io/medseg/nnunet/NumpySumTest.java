package io.medseg.nnunet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** numpy's pairwise summation, bit for bit. */
class NumpySumTest {
    @Test
    void sumsAsNumpyDoesNotAsALoop() {
        double[] a = new double[1000];
        double loop = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.sin(i) * 1e3 + 1.0 / (i + 1);
            loop += a[i];
        }
        // numpy 2.4.6: a = np.array([np.sin(i)*1e3 + 1.0/(i+1) for i in range(1000)]); float(a.sum())
        assertEquals(-5.424435598286436, NumpySum.pairwise(a, 0, a.length));
        assertEquals(-5.424435598287435, loop, "Python's sum() of the same list: the order matters");
        assertNotEquals(loop, NumpySum.pairwise(a, 0, a.length));
        // float(a[:100].sum()) = 384.3820049669787
        assertEquals(384.3820049669787, NumpySum.pairwise(a, 0, 100));
    }

    @Test
    void float32MeanAndStdAsNumpy() {
        float[] a = new float[100000];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (Math.sin(i) * 1e3 + 1.0 / (i + 1));
        }
        // numpy 2.4.6: a = np.array([np.sin(i)*1e3 + 1.0/(i+1) for i in range(100000)], dtype=np.float32)
        assertEquals(1824.1309814453125f, NumpySum.pairwise(a, 0, a.length)); // float(a.sum())
        float[] ms = NumpySum.meanAndStd(a);
        assertEquals(0.018241310492157936f, ms[0]); // float(a.mean())
        assertEquals(707.1068725585938f, ms[1]); // float(a.std())
        float[] head = NumpySum.meanAndStd(java.util.Arrays.copyOf(a, 1000));
        assertEquals(-0.005424316506832838f, head[0]);
        assertEquals(706.7601928710938f, head[1]);
    }
}
