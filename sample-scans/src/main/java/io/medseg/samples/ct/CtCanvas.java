package io.medseg.samples.ct;

import java.util.Arrays;

/**
 * The voxel grid a phantom is painted on, in LPS order (x fastest): Hounsfield units and labels.
 * Solids are composited in order, each over what is already there, with the fraction of every
 * voxel it covers — a linear ramp across the voxel's extent along the surface normal, so thick
 * slices blur z-edges more than in-plane ones, as partial volume does in a real CT.
 */
final class CtCanvas {
    /** Leave the labels under a solid as they are (vessels inside the liver stay liver). */
    static final int KEEP_LABEL = -1;

    /** A Hounsfield value that may vary with position (parenchymal texture). */
    @FunctionalInterface
    interface Density {
        double hu(double x, double y, double z);
    }

    final int nx;
    final int ny;
    final int nz;
    final double[] spacing;
    final double[] origin;
    final float[] hu;
    final byte[] labels;

    CtCanvas(int nx, int ny, int nz, double[] spacing, double[] origin) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.spacing = spacing.clone();
        this.origin = origin.clone();
        long n = (long) nx * ny * nz;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("phantom of " + nx + "×" + ny + "×" + nz + " voxels is too large");
        }
        hu = new float[(int) n];
        labels = new byte[(int) n];
        Arrays.fill(hu, -1000f);
    }

    double x(int i) {
        return origin[0] + i * spacing[0];
    }

    double y(int j) {
        return origin[1] + j * spacing[1];
    }

    double z(int k) {
        return origin[2] + k * spacing[2];
    }

    /**
     * Composites a solid of this density over the canvas; {@code label} (or {@link #KEEP_LABEL})
     * is written where the solid covers at least half a voxel.
     */
    void paint(Solid s, Density density, int label) {
        double[] b = s.boundsMm();
        int i0 = Math.max(0, (int) Math.floor((b[0] - origin[0]) / spacing[0]));
        int i1 = Math.min(nx - 1, (int) Math.ceil((b[1] - origin[0]) / spacing[0]));
        int j0 = Math.max(0, (int) Math.floor((b[2] - origin[1]) / spacing[1]));
        int j1 = Math.min(ny - 1, (int) Math.ceil((b[3] - origin[1]) / spacing[1]));
        int k0 = Math.max(0, (int) Math.floor((b[4] - origin[2]) / spacing[2]));
        int k1 = Math.min(nz - 1, (int) Math.ceil((b[5] - origin[2]) / spacing[2]));
        double far = Math.max(spacing[0], Math.max(spacing[1], spacing[2]));
        for (int k = k0; k <= k1; k++) {
            double z = z(k);
            for (int j = j0; j <= j1; j++) {
                double y = y(j);
                int row = nx * (j + ny * k);
                for (int i = i0; i <= i1; i++) {
                    double x = x(i);
                    double d = s.signedDistanceMm(x, y, z);
                    double f;
                    if (d >= far) {
                        continue;
                    } else if (d <= -far) {
                        f = 1;
                    } else {
                        f = coverage(s, x, y, z, d);
                        if (f <= 0) {
                            continue;
                        }
                    }
                    int v = row + i;
                    hu[v] = (float) (hu[v] * (1 - f) + density.hu(x, y, z) * f);
                    if (f >= 0.5 && label != KEEP_LABEL) {
                        labels[v] = (byte) label;
                    }
                }
            }
        }
    }

    /** Fraction of the voxel inside: 0.5 − d / (its extent along the surface normal), clamped. */
    private double coverage(Solid s, double x, double y, double z, double d) {
        double h = 0.25 * Math.min(spacing[0], Math.min(spacing[1], spacing[2]));
        double gx = s.signedDistanceMm(x + h, y, z) - d;
        double gy = s.signedDistanceMm(x, y + h, z) - d;
        double gz = s.signedDistanceMm(x, y, z + h) - d;
        double norm = StrictMath.sqrt(gx * gx + gy * gy + gz * gz);
        double extent = norm == 0 ? spacing[2]
                : (Math.abs(gx) * spacing[0] + Math.abs(gy) * spacing[1] + Math.abs(gz) * spacing[2]) / norm;
        return Math.max(0, Math.min(1, 0.5 - d / extent));
    }
}
