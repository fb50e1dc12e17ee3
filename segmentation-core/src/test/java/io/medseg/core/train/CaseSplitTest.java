package io.medseg.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaseSplitTest {
    static List<TrainingCase> cases(int n) {
        List<TrainingCase> cases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cases.add(new TrainingCase("c" + i, new float[1], 1, new byte[1], new long[] {1, 1}, new int[][] {{}}, 0f, null));
        }
        return cases;
    }

    @Test
    void splitIsSeededAndIndependentOfInputOrder() {
        List<TrainingCase> a = cases(10);
        List<TrainingCase> b = new ArrayList<>(a);
        Collections.reverse(b);
        CaseSplit s1 = CaseSplit.of(a, 0.2, 5);
        assertEquals(2, s1.validation().size());
        assertEquals(8, s1.training().size());
        assertEquals(s1, CaseSplit.of(b, 0.2, 5));
        boolean anotherSeedDiffers = false;
        for (long seed = 6; seed < 12; seed++) {
            anotherSeedDiffers |= !CaseSplit.of(a, 0.2, seed).validation().equals(s1.validation());
        }
        assertEquals(true, anotherSeedDiffers, "the seed must matter");
        assertEquals(1, CaseSplit.of(cases(2), 0.9, 1).training().size());
        var e = assertThrows(IllegalArgumentException.class, () -> CaseSplit.of(cases(1), 0.2, 1));
        assertEquals("need at least 2 cases to hold one out for validation, got 1", e.getMessage());
    }

    @Test
    void slicesOfOneScanStayTogether() {
        List<TrainingCase> slices = new ArrayList<>();
        for (String id : new String[] {"a#0", "a#1", "b#0", "b#1", "c#0", "c#1"}) {
            slices.add(new TrainingCase(id, new float[1], 1, new byte[1], new long[] {1, 1}, new int[][] {{}}, 0f, null));
        }
        CaseSplit s = CaseSplit.of(slices, 0.34, 3);
        assertEquals(2, s.validation().size(), "one scan of three = its two slices");
        String scan = s.validation().get(0).id().substring(0, 1);
        assertEquals(scan, s.validation().get(1).id().substring(0, 1));
        assertEquals(0, s.training().stream().filter(c -> c.id().startsWith(scan)).count());
    }
}
