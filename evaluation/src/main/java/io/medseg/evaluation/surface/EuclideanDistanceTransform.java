package io.medseg.evaluation.surface;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Exact Euclidean distance transform with anisotropic spacing, in linear time: a two-sweep scan
 * along x, then the lower envelope of parabolas along y and z (Felzenszwalb &amp; Huttenlocher,
 * "Distance transforms of sampled functions", Theory of Computing 8, 2012). Each 1-D pass weighs
 * index differences by the squared spacing of its axis, which is what makes anisotropy exact
 * (rescaling a voxel-unit result would not be). Squared distances stay in double; callers take
 * the square root last. Lines are independent, so results do not depend on the thread count.
 */
public final class EuclideanDistanceTransform {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final int LINES_PER_TASK = 256;

    private EuclideanDistanceTransform() {}

    /**
     * @param feature x fastest, {@code dims[0] × dims[1] × dims[2]} (dims[2] = 1 in 2D)
     * @param spacingMm one spacing per axis of {@code dims} used (2 or 3 entries), in mm
     * @return for every voxel the squared distance in mm² to the nearest feature voxel; +∞ everywhere
     *     if there is none
     */
    public static double[] squared(boolean[] feature, int[] dims, double[] spacingMm) {
        int nx = dims[0];
        int ny = dims[1];
        int nz = dims[2];
        if (feature.length != (long) nx * ny * nz) {
            throw new IllegalArgumentException("mask has " + feature.length + " voxels, dims give " + nx * ny * nz);
        }
        double[] d = new double[feature.length];
        double sx2 = spacingMm[0] * spacingMm[0];
        parallel(ny * nz, (first, last) -> {
            for (int line = first; line < last; line++) {
                scanX(feature, d, line * nx, nx, sx2);
            }
        });
        if (ny > 1) {
            double w = spacingMm[1] * spacingMm[1];
            parallel(nx * nz, (first, last) -> envelopes(d, first, last, ny, nx, w,
                    line -> line % nx + (line / nx) * nx * ny));
        }
        if (nz > 1) {
            double w = spacingMm[2] * spacingMm[2];
            int plane = nx * ny;
            parallel(plane, (first, last) -> envelopes(d, first, last, nz, plane, w, line -> line));
        }
        return d;
    }

    /** Squared distance along the line to the nearest feature: one sweep each way. */
    private static void scanX(boolean[] feature, double[] d, int base, int n, double sx2) {
        int last = -1;
        for (int x = 0; x < n; x++) {
            if (feature[base + x]) {
                last = x;
            }
            d[base + x] = last < 0 ? INF : sq(x - last) * sx2;
        }
        last = -1;
        for (int x = n - 1; x >= 0; x--) {
            if (feature[base + x]) {
                last = x;
            }
            if (last >= 0) {
                d[base + x] = Math.min(d[base + x], sq(last - x) * sx2);
            }
        }
    }

    private interface LineStart {
        int of(int line);
    }

    /** Lines {@code first..last-1}, each of {@code n} values {@code stride} apart, replaced by their envelope. */
    private static void envelopes(double[] d, int first, int last, int n, int stride, double w, LineStart start) {
        double[] f = new double[n];
        double[] out = new double[n];
        int[] v = new int[n];
        double[] z = new double[n];
        for (int line = first; line < last; line++) {
            int base = start.of(line);
            for (int q = 0; q < n; q++) {
                f[q] = d[base + q * stride];
            }
            lowerEnvelope(f, n, w, out, v, z);
            for (int q = 0; q < n; q++) {
                d[base + q * stride] = out[q];
            }
        }
    }

    /**
     * out[q] = min_p (w (q − p)² + f[p]) over the finite f[p]: the parabolas' lower envelope,
     * v = their apexes, z = where each starts to be lowest.
     */
    static void lowerEnvelope(double[] f, int n, double w, double[] out, int[] v, double[] z) {
        int k = -1;
        for (int q = 0; q < n; q++) {
            if (f[q] == INF) {
                continue;
            }
            double s = Double.NEGATIVE_INFINITY;
            while (k >= 0) {
                int p = v[k];
                s = ((f[q] + w * sq(q)) - (f[p] + w * sq(p))) / (2 * w * (q - p));
                if (s <= z[k]) {
                    k--;
                    s = Double.NEGATIVE_INFINITY;
                } else {
                    break;
                }
            }
            k++;
            v[k] = q;
            z[k] = s;
        }
        if (k < 0) {
            Arrays.fill(out, 0, n, INF);
            return;
        }
        int j = 0;
        for (int q = 0; q < n; q++) {
            while (j < k && z[j + 1] < q) {
                j++;
            }
            out[q] = w * sq(q - v[j]) + f[v[j]];
        }
    }

    private interface LineRange {
        void run(int first, int last);
    }

    private static void parallel(int lines, LineRange work) {
        int tasks = (lines + LINES_PER_TASK - 1) / LINES_PER_TASK;
        IntStream.range(0, tasks).parallel().forEach(t ->
                work.run(t * LINES_PER_TASK, Math.min(lines, (t + 1) * LINES_PER_TASK)));
    }

    private static double sq(double x) {
        return x * x;
    }
}
