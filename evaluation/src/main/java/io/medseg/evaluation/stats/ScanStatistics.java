package io.medseg.evaluation.stats;

import io.medseg.image.FaceComponents;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Computes {@link LabelStatistics} for every label of a mask over the scan it was made on. */
public final class ScanStatistics {
    private ScanStatistics() {}

    /**
     * One entry per label in {@code labels} but the background (0), in label order; labels the mask
     * holds that {@code labels} does not name are added as "label K".
     *
     * @throws IllegalArgumentException when the mask is not on the scan's grid
     */
    public static List<LabelStatistics> of(Volume scan, LabelMap mask, Map<Integer, String> labels) {
        if (!Arrays.equals(scan.sizeXyz(), mask.sizeXyz())) {
            throw new IllegalArgumentException("the mask has " + Arrays.toString(mask.sizeXyz()) + " voxels, the scan "
                    + Arrays.toString(scan.sizeXyz()));
        }
        String mismatch = scan.geometry().mismatch(mask.geometry());
        if (mismatch != null) {
            throw new IllegalArgumentException("the mask is not on the scan's grid: " + mismatch);
        }
        byte[] l = mask.data();
        float[] values = scan.data(); // channel 0 comes first
        long[] size = mask.sizeXyz();
        int dims = size.length;
        long[] count = new long[256];
        for (byte b : l) {
            count[b & 0xff]++;
        }
        float[][] perLabel = new float[256][];
        for (int k = 1; k < 256; k++) {
            perLabel[k] = count[k] == 0 ? null : new float[Math.toIntExact(count[k])];
        }
        int[] filled = new int[256];
        double[][] indexSum = new double[256][dims];
        double[][] lpsMin = new double[256][];
        double[][] lpsMax = new double[256][];
        boolean[] border = new boolean[256];
        Geometry g = mask.geometry();
        double[] origin = g.originMm();
        double[] spacing = g.spacingMm();
        double[] direction = g.direction();
        long[] index = new long[dims];
        double[] lps = new double[dims];
        for (int v = 0; v < l.length; v++) {
            int k = l[v] & 0xff;
            if (k != 0) {
                perLabel[k][filled[k]++] = values[v];
                long rest = v;
                boolean onBorder = false;
                for (int a = 0; a < dims; a++) {
                    index[a] = rest % size[a];
                    rest /= size[a];
                    indexSum[k][a] += index[a];
                    onBorder |= index[a] == 0 || index[a] == size[a] - 1;
                }
                border[k] |= onBorder;
                for (int r = 0; r < dims; r++) {
                    double p = origin[r];
                    for (int a = 0; a < dims; a++) {
                        p += direction[r * dims + a] * index[a] * spacing[a];
                    }
                    lps[r] = p;
                }
                if (lpsMin[k] == null) {
                    lpsMin[k] = lps.clone();
                    lpsMax[k] = lps.clone();
                } else {
                    for (int r = 0; r < dims; r++) {
                        lpsMin[k][r] = Math.min(lpsMin[k][r], lps[r]);
                        lpsMax[k][r] = Math.max(lpsMax[k][r], lps[r]);
                    }
                }
            }
        }
        long[] components = new FaceComponents(l, size).countPerLabel();
        double voxelSize = 1;
        for (double s : spacing) {
            voxelSize *= s;
        }
        List<Integer> wanted = new ArrayList<>();
        labels.keySet().stream().filter(k -> k > 0 && k < 256).sorted().forEach(wanted::add);
        for (int k = 1; k < 256; k++) {
            if (count[k] > 0 && !wanted.contains(k)) {
                wanted.add(k);
            }
        }
        wanted.sort(Integer::compare);
        List<LabelStatistics> out = new ArrayList<>();
        for (int k : wanted) {
            String name = labels.getOrDefault(k, "label " + k);
            long n = count[k];
            double volume = dims == 3 ? n * voxelSize / 1000 : Double.NaN;
            double area = dims == 2 ? n * voxelSize : Double.NaN;
            if (n == 0) {
                out.add(new LabelStatistics(k, name, 0, dims == 3 ? 0 : Double.NaN, dims == 2 ? 0 : Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        new double[0], new double[0], new double[0], 0, false));
                continue;
            }
            float[] v = perLabel[k];
            double sum = 0;
            for (float x : v) {
                sum += x;
            }
            double mean = sum / n;
            double squares = 0;
            for (float x : v) {
                squares += (x - mean) * (x - mean);
            }
            Arrays.sort(v);
            double[] centroidIndex = new double[dims];
            for (int a = 0; a < dims; a++) {
                centroidIndex[a] = indexSum[k][a] / n;
            }
            double[] centroid = new double[dims];
            for (int r = 0; r < dims; r++) {
                double p = origin[r];
                for (int a = 0; a < dims; a++) {
                    p += direction[r * dims + a] * centroidIndex[a] * spacing[a];
                }
                centroid[r] = p;
            }
            out.add(new LabelStatistics(k, name, n, volume, area, mean, Math.sqrt(squares / n), v[0], v[v.length - 1],
                    percentile(v, 50), percentile(v, 5), percentile(v, 95), lpsMin[k], lpsMax[k], centroid,
                    components[k], border[k]));
        }
        return out;
    }

    /** The q-th percentile of sorted values, linear between neighbours (numpy's default method). */
    static double percentile(float[] sorted, double q) {
        double at = q / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double f = at - lo;
        return sorted[lo] + (sorted[hi] - (double) sorted[lo]) * f;
    }
}
