package io.medseg.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KeptComponentsTest {
    private static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "liver", 2, "kidney");

    @Test
    void countsPerLabelValue() {
        assertArrayEquals(new int[] {0, 1, 2}, KeptComponents.parse("kidney=2", true).counts(LABELS, 3));
        assertArrayEquals(new int[] {0, 0, 2}, KeptComponents.parse(" Kidney = 2 ", false).counts(LABELS, 3),
                "names ignore case and spaces; without largestOfEvery the others keep all");
        assertArrayEquals(new int[] {0, 3, 1}, KeptComponents.parse("1=3", true).counts(LABELS, 3), "a label number");
        assertArrayEquals(new int[] {0, 1, 1}, KeptComponents.largestOfEach().counts(LABELS, 3));
        assertArrayEquals(new int[] {0, 0, 0}, KeptComponents.ALL.counts(LABELS, 3));
        assertFalse(KeptComponents.ALL.filters());
        assertFalse(KeptComponents.parse("  ", false).filters());
        assertTrue(KeptComponents.parse("liver=1", false).filters());
    }

    @Test
    void badTextIsNamed() {
        assertEquals("expected LABEL=N such as kidney=2, got \"kidney\"",
                assertThrows(IllegalArgumentException.class, () -> KeptComponents.parse("kidney", true)).getMessage());
        assertEquals("\"two\" for kidney is not a whole number",
                assertThrows(IllegalArgumentException.class, () -> KeptComponents.parse("kidney=two", true)).getMessage());
        assertEquals("label kidney must keep at least 1 component; got 0",
                assertThrows(IllegalArgumentException.class, () -> KeptComponents.parse("kidney=0", true)).getMessage());
        assertEquals("kidney is given twice", assertThrows(IllegalArgumentException.class,
                () -> KeptComponents.parse("kidney=2,kidney=1", true)).getMessage());
        assertEquals("the model has no label \"spleen\" to keep components of; its labels are {1=liver, 2=kidney}",
                assertThrows(IllegalArgumentException.class,
                        () -> KeptComponents.parse("spleen=1", true).counts(LABELS, 3)).getMessage());
        String twice = assertThrows(IllegalArgumentException.class,
                () -> KeptComponents.parse("kidney=2,2=1", true).counts(LABELS, 3)).getMessage();
        assertTrue(twice.startsWith("label 2 (kidney) is given twice, as "), twice);
        assertThrows(IllegalArgumentException.class, () -> KeptComponents.parse("3=1", true).counts(LABELS, 3),
                "label 3 is past the model's classes");
    }
}
