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
}
