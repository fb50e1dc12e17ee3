package io.medseg.core.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The jitter and blur of activation maximisation, on hand-computed cases. */
class MaximisationRegularisersTest {
    @Test
    void rollShiftsCyclicallyPerAxisAndBackAgain() {
        // 3 × 2, x fastest: rows (0 1 2) and (3 4 5); shift x by +1, y by +1
        float[] v = {0, 1, 2, 3, 4, 5};
        float[] rolled = NetworkExplainer.roll(v, new long[] {3, 2}, 1, new int[] {1, 1});
        assertArrayEquals(new float[] {5, 3, 4, 2, 0, 1}, rolled);
        assertArrayEquals(v, NetworkExplainer.roll(rolled, new long[] {3, 2}, 1, new int[] {-1, -1}));
        // two channels move together
        float[] two = {0, 1, 2, 10, 11, 12};
        assertArrayEquals(new float[] {2, 0, 1, 12, 10, 11}, NetworkExplainer.roll(two, new long[] {3}, 2, new int[] {1}));
    }

    @Test
    void blurIsOneTwoOneWithRepeatedEdges() {
        float[] v = {0, 4, 0, 0};
        NetworkExplainer.blur(v, new long[] {4}, 1);
        // (0+0+4)/4 = 1, (0+8+0)/4 = 2, (4+0+0)/4 = 1, (0+0+0)/4 = 0
        assertArrayEquals(new float[] {1, 2, 1, 0}, v);
        float[] plane = {0, 0, 0, 0, 16, 0, 0, 0, 0}; // 3 × 3 impulse: the 1-2-1 kernel's outer product / 16
        NetworkExplainer.blur(plane, new long[] {3, 3}, 1);
        assertArrayEquals(new float[] {1, 2, 1, 2, 4, 2, 1, 2, 1}, plane);
    }
}
