package io.medseg.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One rule for "the same grid": within 1e-3 mm (and direction cosine); equals stays exact. */
class GeometryTest {
    private static final double[] DIRECTION = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    private static final Geometry CT = new Geometry(new double[] {0.8, 0.8, 2.5}, new double[] {-200, -180, 40},
            DIRECTION);

    @Test
    void roundedNumbersAreTheSameGridButNotEqual() {
        Geometry rounded = new Geometry(new double[] {0.8 + 9e-4, 0.8, 2.5}, new double[] {-200, -180.0009, 40},
                DIRECTION);
        assertTrue(CT.sameGrid(rounded));
        assertTrue(CT.sameSpacing(rounded));
        assertNull(CT.mismatch(rounded));
        assertNotEquals(CT, rounded, "equals compares every number exactly");
    }

    @Test
    void theFirstDifferenceBeyondTheToleranceIsNamed() {
        Geometry shifted = new Geometry(new double[] {0.8, 0.8, 2.5}, new double[] {-200, -180.002, 40}, DIRECTION);
        assertFalse(CT.sameGrid(shifted));
        assertTrue(CT.sameSpacing(shifted));
        assertEquals("origin (mm) [-200.0, -180.0, 40.0] vs [-200.0, -180.002, 40.0]", CT.mismatch(shifted));
        Geometry thicker = new Geometry(new double[] {0.8, 0.8, 2.502}, new double[] {-200, -180, 40}, DIRECTION);
        assertEquals("spacing (mm) [0.8, 0.8, 2.5] vs [0.8, 0.8, 2.502]", CT.mismatch(thicker));
        assertFalse(CT.sameSpacing(thicker));
        Geometry flipped = new Geometry(new double[] {0.8, 0.8, 2.5}, new double[] {-200, -180, 40},
                new double[] {1, 0, 0, 0, -1, 0, 0, 0, 1});
        assertTrue(CT.mismatch(flipped).startsWith("direction "), CT.mismatch(flipped));
        assertEquals("3D vs 2D", CT.mismatch(Geometry.identity(2)));
        assertFalse(CT.sameSpacing(Geometry.identity(2)));
    }
}
