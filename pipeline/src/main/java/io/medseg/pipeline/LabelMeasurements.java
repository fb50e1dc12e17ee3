package io.medseg.pipeline;

import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Per label of a mask: voxel count, area (2D, mm²) or volume (3D, mL), and the scan's mean value inside it. */
public final class LabelMeasurements {
    /**
     * @param size area in mm² (2D) or volume in mL (3D)
     * @param mean the scan's mean value (first channel) inside the label, NaN when it is empty
     */
    public record Row(int label, String name, long voxels, double size, double mean) {}

    private LabelMeasurements() {}

    /** Rows for every named foreground label, empty ones included; {@code scan} may be null (no means). */
    public static List<Row> of(LabelMap mask, Volume scan) {
        byte[] labels = mask.data();
        long[] counts = new long[256];
        double[] sums = new double[256];
        float[] values = scan == null ? null : scan.data();
        if (values != null && values.length < labels.length) {
            throw new IllegalArgumentException("scan has " + values.length + " voxels, mask " + labels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i] & 0xff;
            counts[l]++;
            if (values != null) {
                sums[l] += values[i];
            }
        }
        double voxelSize = 1;
        for (double s : mask.geometry().spacingMm()) {
            voxelSize *= s;
        }
        double unit = mask.numDimensions() == 3 ? 1e-3 : 1; // mm³ → mL; mm² as they are
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Integer, String> e : mask.labelNames().entrySet()) {
            int l = e.getKey();
            if (l == 0 || l > 255) {
                continue;
            }
            double mean = values == null || counts[l] == 0 ? Double.NaN : sums[l] / counts[l];
            rows.add(new Row(l, e.getValue(), counts[l], counts[l] * voxelSize * unit, mean));
        }
        return rows;
    }
}
