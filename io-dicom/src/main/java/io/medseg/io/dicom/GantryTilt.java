package io.medseg.io.dicom;

import io.medseg.image.Geometry;
import io.medseg.image.Volume;
import io.medseg.io.ScanHeader;

/**
 * A sheared stack (a CT acquired with the gantry tilted: each slice shifted in its plane by the
 * same step) resampled onto a regular grid, as dcm2niix does: the planes stay, each is shifted back
 * by its offset with bilinear interpolation, and the grid grows to hold every shifted slice. A pixel
 * covers half a pixel around its centre, so a sample point within half a pixel outside a slice takes
 * the edge pixel; farther out the voxel gets the scan's minimum (air for CT).
 *
 * <p>Worked example (the 15° test series): 20 rows of 0.8 mm, slices 2.5 mm apart along the table,
 * so each slice sits 2.5 sin 15° = 0.647 mm (0.809 rows) further along the column direction; over
 * 10 slices that is 7.28 rows, and the grid grows to 20 + 8 = 28 rows, its origin moved 8 rows back.
 */
final class GantryTilt {
    private GantryTilt() {}

    /** The grid that holds every slice shifted by {@code shifts} (pixels x, y per slice). */
    static long[] gridSize(long[] size, double[][] shifts) {
        long[] lo = low(shifts);
        long[] hi = high(shifts);
        return new long[] {size[0] + hi[0] - lo[0], size[1] + hi[1] - lo[1], size[2]};
    }

    /** The regular grid's geometry: the first slice's, its origin moved to the grid's first pixel. */
    static Geometry geometry(Geometry sheared, double[][] shifts) {
        long[] lo = low(shifts);
        double[] s = sheared.spacingMm();
        double[] d = sheared.direction();
        double[] origin = sheared.originMm();
        for (int r = 0; r < 3; r++) {
            origin[r] += d[r * 3] * lo[0] * s[0] + d[r * 3 + 1] * lo[1] * s[1];
        }
        return new Geometry(s, origin, d);
    }

    /**
     * @param data the sheared stack, channels × slices × rows × columns (x fastest)
     * @param header the regular grid's size and geometry ({@link DicomSeries#header()})
     */
    static Volume resample(float[] data, long[] size, int channels, double[][] shifts, ScanHeader header) {
        int nx = (int) size[0];
        int ny = (int) size[1];
        int nz = (int) size[2];
        long[] lo = low(shifts);
        int mx = (int) header.sizeXyz()[0];
        int my = (int) header.sizeXyz()[1];
        float fill = Float.POSITIVE_INFINITY;
        for (float v : data) {
            fill = Math.min(fill, v);
        }
        float[] out = new float[Math.toIntExact((long) channels * nz * my * mx)];
        for (int c = 0; c < channels; c++) {
            for (int z = 0; z < nz; z++) {
                int src = (c * nz + z) * ny * nx;
                int dst = (c * nz + z) * my * mx;
                for (int y = 0; y < my; y++) {
                    double sy = y + lo[1] - shifts[z][1]; // where this row of the grid lies in slice z
                    for (int x = 0; x < mx; x++) {
                        double sx = x + lo[0] - shifts[z][0];
                        out[dst + y * mx + x] = sample(data, src, nx, ny, sx, sy, fill);
                    }
                }
            }
        }
        return Volume.wrap(out, header.sizeXyz(), channels, header.geometry());
    }

    /** Bilinear at (sx, sy) in one slice; the edge pixel within half a pixel outside; {@code fill} beyond. */
    private static float sample(float[] data, int offset, int nx, int ny, double sx, double sy, float fill) {
        if (sx < -0.5 || sx >= nx - 0.5 || sy < -0.5 || sy >= ny - 0.5) {
            return fill;
        }
        double x = Math.min(Math.max(sx, 0), nx - 1);
        double y = Math.min(Math.max(sy, 0), ny - 1);
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        int x1 = Math.min(x0 + 1, nx - 1);
        int y1 = Math.min(y0 + 1, ny - 1);
        double fx = x - x0;
        double fy = y - y0;
        double top = data[offset + y0 * nx + x0] * (1 - fx) + data[offset + y0 * nx + x1] * fx;
        double bottom = data[offset + y1 * nx + x0] * (1 - fx) + data[offset + y1 * nx + x1] * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }

    private static long[] low(double[][] shifts) {
        long[] lo = new long[2];
        for (double[] s : shifts) {
            for (int a = 0; a < 2; a++) {
                lo[a] = Math.min(lo[a], (long) Math.floor(s[a] + 1e-9));
            }
        }
        return lo;
    }

    private static long[] high(double[][] shifts) {
        long[] hi = new long[2];
        for (double[] s : shifts) {
            for (int a = 0; a < 2; a++) {
                hi[a] = Math.max(hi[a], (long) Math.ceil(s[a] - 1e-9));
            }
        }
        return hi;
    }
}
