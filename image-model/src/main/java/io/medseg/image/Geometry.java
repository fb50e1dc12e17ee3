package io.medseg.image;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where voxels sit in patient space: spacing and origin in mm and direction cosines, per axis in
 * ImgLib2 order (x, y[, z]).
 *
 * <p>Patient coordinates follow DICOM LPS. {@code direction} is row-major n×n; column k is the unit
 * vector of array axis k, so patient = origin + direction · (index ∘ spacing).
 */
public final class Geometry {
    private final double[] spacingMm;
    private final double[] originMm;
    private final double[] direction;

    public Geometry(double[] spacingMm, double[] originMm, double[] direction) {
        int n = spacingMm.length;
        if (n < 1 || n > 3) {
            throw new IllegalArgumentException("geometry must have 1 to 3 axes, got " + n);
        }
        if (originMm.length != n || direction.length != n * n) {
            throw new IllegalArgumentException("origin has " + originMm.length + " entries and direction "
                    + direction.length + ", expected " + n + " and " + n * n);
        }
        for (double s : spacingMm) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("spacing must be positive and finite, got " + Arrays.toString(spacingMm));
            }
        }
        this.spacingMm = spacingMm.clone();
        this.originMm = originMm.clone();
        this.direction = direction.clone();
    }

    /** Unit spacing, zero origin, identity directions: what a plain PNG radiograph has. */
    public static Geometry identity(int numDimensions) {
        double[] spacing = new double[numDimensions];
        double[] direction = new double[numDimensions * numDimensions];
        Arrays.fill(spacing, 1.0);
        for (int k = 0; k < numDimensions; k++) {
            direction[k * numDimensions + k] = 1.0;
        }
        return new Geometry(spacing, new double[numDimensions], direction);
    }

    public int numDimensions() {
        return spacingMm.length;
    }

    public double[] spacingMm() {
        return spacingMm.clone();
    }

    public double[] originMm() {
        return originMm.clone();
    }

    public double[] direction() {
        return direction.clone();
    }

    /**
     * How far spacing (mm), origin (mm) and direction cosines may differ for two grids to be the same
     * place: files round their numbers (NIfTI keeps float32, DICOM decimal strings of 16 characters).
     */
    public static final double TOLERANCE = 1e-3;

    /** Whether {@code other} is the same grid within {@link #TOLERANCE}: a mask made on one overlays the other. */
    public boolean sameGrid(Geometry other) {
        return mismatch(other) == null;
    }

    /** The first difference beyond {@link #TOLERANCE} from {@code other}, described in one line, or null. */
    public String mismatch(Geometry other) {
        if (numDimensions() != other.numDimensions()) {
            return numDimensions() + "D vs " + other.numDimensions() + "D";
        }
        String spacing = differs("spacing (mm)", spacingMm, other.spacingMm);
        if (spacing != null) {
            return spacing;
        }
        String origin = differs("origin (mm)", originMm, other.originMm);
        return origin != null ? origin : differs("direction", direction, other.direction);
    }

    /** Whether these spacings (mm) are the other's within {@link #TOLERANCE}. */
    public boolean sameSpacing(Geometry other) {
        return numDimensions() == other.numDimensions() && differs("", spacingMm, other.spacingMm) == null;
    }

    private static String differs(String what, double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > TOLERANCE) {
                return String.format(Locale.ROOT, "%s %s vs %s", what, Arrays.toString(a), Arrays.toString(b));
            }
        }
        return null;
    }

    /** Exactly equal (every number); whether two grids are the same place is {@link #sameGrid}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Geometry g && Arrays.equals(spacingMm, g.spacingMm)
                && Arrays.equals(originMm, g.originMm) && Arrays.equals(direction, g.direction);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(spacingMm) * 31 + Arrays.hashCode(originMm);
    }

    @Override
    public String toString() {
        return "Geometry{spacingMm=" + Arrays.toString(spacingMm) + ", originMm=" + Arrays.toString(originMm) + "}";
    }
}
