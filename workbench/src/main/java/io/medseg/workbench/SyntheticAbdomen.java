package io.medseg.workbench;

import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Liver- and kidney-like label volumes for benchmarks: a reference of ellipsoids (liver 2.4 L,
 * two kidneys of 0.2 L) and a prediction whose surfaces are displaced by smooth bumps of up to
 * 4 mm, so the distance metrics see realistic, non-trivial surfaces.
 */
final class SyntheticAbdomen {
    static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "liver", 2, "kidney");

    private SyntheticAbdomen() {}

    /** {@code bumpMm} = 0 gives the reference; otherwise surfaces move by up to that many mm. */
    static LabelMap volume(long[] sizeXyz, double[] spacingMm, double bumpMm) {
        int nx = (int) sizeXyz[0];
        int ny = (int) sizeXyz[1];
        int nz = (int) sizeXyz[2];
        byte[] data = new byte[nx * ny * nz];
        double cx = nx * spacingMm[0] / 2;
        double cy = ny * spacingMm[1] / 2;
        double cz = nz * spacingMm[2] / 2;
        // centre and semi-axes in mm: liver right-anterior, kidneys posterior on both sides
        double[][] organs = {
                {cx - 50, cy - 10, cz + 40, 95, 80, 75, 1},
                {cx - 70, cy + 70, cz - 60, 32, 28, 55, 2},
                {cx + 70, cy + 70, cz - 60, 32, 28, 55, 2}};
        IntStream.range(0, nz).parallel().forEach(z -> {
            double pz = z * spacingMm[2];
            for (int y = 0; y < ny; y++) {
                double py = y * spacingMm[1];
                int row = nx * (y + ny * z);
                for (int x = 0; x < nx; x++) {
                    double px = x * spacingMm[0];
                    for (double[] o : organs) {
                        double dx = (px - o[0]) / o[3];
                        double dy = (py - o[1]) / o[4];
                        double dz = (pz - o[2]) / o[5];
                        double q = dx * dx + dy * dy + dz * dz;
                        if (q > 1.3) {
                            continue;
                        }
                        double bump = bumpMm / o[3] * Math.sin(3 * Math.atan2(dy, dx)) * Math.cos(4 * dz);
                        if (Math.sqrt(q) <= 1 + bump) {
                            data[row + x] = (byte) o[6];
                        }
                    }
                }
            }
        });
        return LabelMap.wrap(data, sizeXyz, geometry(spacingMm), LABELS);
    }

    /** Identity directions and zero origin with the given spacing. */
    private static Geometry geometry(double[] spacing) {
        double[] direction = new double[spacing.length * spacing.length];
        for (int k = 0; k < spacing.length; k++) {
            direction[k * spacing.length + k] = 1;
        }
        return new Geometry(spacing, new double[spacing.length], direction);
    }
}
