package io.medseg.image;

import java.util.Arrays;

/**
 * An exact change of voxel order — axes permuted and flipped, no interpolation — from a scan's
 * stored order to the one closest to patient LPS: array axis k runs along patient axis k in the
 * positive direction (x to the patient's left, y posterior, z superior), as nibabel's
 * {@code as_closest_canonical} does for RAS. Every voxel keeps its patient position; only the array
 * order and the geometry's description of it change. A network then always sees anatomy the same
 * way round, whether a file was written axial, coronal, flipped or with its axes permuted.
 *
 * <p>Axes are matched greedily by the largest direction cosine, so an oblique scan goes to the
 * nearest axis-aligned order (and stays oblique in its geometry).
 */
public final class Reorientation {
    private final long[] sourceSize;
    /** Canonical axis k is source axis {@code sourceAxis[k]}, reversed when {@code flipped[k]}. */
    private final int[] sourceAxis;
    private final boolean[] flipped;

    private Reorientation(long[] sourceSize, int[] sourceAxis, boolean[] flipped) {
        this.sourceSize = sourceSize;
        this.sourceAxis = sourceAxis;
        this.flipped = flipped;
    }

    /** The reorientation of a scan with this geometry and size to its closest canonical order. */
    public static Reorientation toClosestCanonical(Geometry geometry, long[] sizeXyz) {
        int n = geometry.numDimensions();
        if (sizeXyz.length != n) {
            throw new IllegalArgumentException("size has " + sizeXyz.length + " axes, geometry " + n);
        }
        double[] d = geometry.direction();
        int[] sourceAxis = new int[n];
        boolean[] flipped = new boolean[n];
        boolean[] rowDone = new boolean[n];
        boolean[] columnDone = new boolean[n];
        for (int step = 0; step < n; step++) {
            int bestRow = -1;
            int bestColumn = -1;
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    if (!rowDone[r] && !columnDone[c]
                            && (bestRow < 0 || Math.abs(d[r * n + c]) > Math.abs(d[bestRow * n + bestColumn]))) {
                        bestRow = r;
                        bestColumn = c;
                    }
                }
            }
            rowDone[bestRow] = true;
            columnDone[bestColumn] = true;
            sourceAxis[bestRow] = bestColumn;
            flipped[bestRow] = d[bestRow * n + bestColumn] < 0;
        }
        return new Reorientation(sizeXyz.clone(), sourceAxis, flipped);
    }

    /** Whether the stored order already is the canonical one (then nothing is copied). */
    public boolean isIdentity() {
        for (int k = 0; k < sourceAxis.length; k++) {
            if (sourceAxis[k] != k || flipped[k]) {
                return false;
            }
        }
        return true;
    }

    public long[] canonicalSize() {
        long[] size = new long[sourceAxis.length];
        for (int k = 0; k < size.length; k++) {
            size[k] = sourceSize[sourceAxis[k]];
        }
        return size;
    }

    /** The same voxels' geometry in canonical order: spacing permuted, origin at the new first voxel. */
    public Geometry canonicalGeometry(Geometry source) {
        int n = sourceAxis.length;
        double[] d = source.direction();
        double[] spacing = source.spacingMm();
        double[] origin = source.originMm();
        double[] newSpacing = new double[n];
        double[] newDirection = new double[n * n];
        for (int k = 0; k < n; k++) {
            int s = sourceAxis[k];
            newSpacing[k] = spacing[s];
            for (int r = 0; r < n; r++) {
                newDirection[r * n + k] = flipped[k] ? -d[r * n + s] : d[r * n + s];
            }
            if (flipped[k]) { // the new first voxel is the old last one along this axis
                for (int r = 0; r < n; r++) {
                    origin[r] += d[r * n + s] * spacing[s] * (sourceSize[s] - 1);
                }
            }
        }
        return new Geometry(newSpacing, origin, newDirection);
    }

    /** The scan in canonical order; the same object when the order already is canonical. */
    public Volume apply(Volume v) {
        check(v.sizeXyz());
        if (isIdentity()) {
            return v;
        }
        float[] src = v.data();
        int voxels = (int) Shapes.count(sourceSize);
        float[] out = new float[src.length];
        int[] index = sourceIndexOfCanonical();
        for (int c = 0; c < v.channels(); c++) {
            int base = c * voxels;
            for (int i = 0; i < voxels; i++) {
                out[base + i] = src[base + index[i]];
            }
        }
        return Volume.wrap(out, canonicalSize(), v.channels(), canonicalGeometry(v.geometry())).withModality(v.modality());
    }

    /** The label map in canonical order; the same object when the order already is canonical. */
    public LabelMap apply(LabelMap m) {
        check(m.sizeXyz());
        if (isIdentity()) {
            return m;
        }
        byte[] src = m.data();
        byte[] out = new byte[src.length];
        int[] index = sourceIndexOfCanonical();
        for (int i = 0; i < out.length; i++) {
            out[i] = src[index[i]];
        }
        return LabelMap.wrap(out, canonicalSize(), canonicalGeometry(m.geometry()), m.labelNames());
    }

    /** Labels computed in canonical order, put back into the scan's stored order. */
    public byte[] restore(byte[] canonical) {
        if (isIdentity()) {
            return canonical;
        }
        int[] index = sourceIndexOfCanonical();
        checkLength(canonical.length, index.length, 1);
        byte[] out = new byte[canonical.length];
        for (int i = 0; i < index.length; i++) {
            out[index[i]] = canonical[i];
        }
        return out;
    }

    /** Channels × voxels computed in canonical order, put back into the scan's stored order. */
    public float[] restore(float[] canonical, int channels) {
        if (isIdentity()) {
            return canonical;
        }
        int[] index = sourceIndexOfCanonical();
        checkLength(canonical.length, index.length, channels);
        float[] out = new float[canonical.length];
        for (int c = 0; c < channels; c++) {
            int base = c * index.length;
            for (int i = 0; i < index.length; i++) {
                out[base + index[i]] = canonical[base + i];
            }
        }
        return out;
    }

    /** For every canonical voxel (x fastest), the flat index of the same voxel in the stored order. */
    private int[] sourceIndexOfCanonical() {
        int n = sourceAxis.length;
        long[] sourceStride = new long[n];
        long stride = 1;
        for (int k = 0; k < n; k++) {
            sourceStride[k] = stride;
            stride *= sourceSize[k];
        }
        long[] size = canonicalSize();
        long[] step = new long[n];
        long offset = 0;
        for (int k = 0; k < n; k++) {
            long s = sourceStride[sourceAxis[k]];
            step[k] = flipped[k] ? -s : s;
            if (flipped[k]) {
                offset += s * (size[k] - 1);
            }
        }
        int[] index = new int[(int) Shapes.count(size)];
        long[] position = new long[n];
        long current = offset;
        for (int i = 0; i < index.length; i++) {
            index[i] = (int) current;
            for (int k = 0; k < n; k++) { // odometer: advance axis k, carry into the next
                position[k]++;
                current += step[k];
                if (position[k] < size[k]) {
                    break;
                }
                current -= step[k] * size[k];
                position[k] = 0;
            }
        }
        return index;
    }

    private void check(long[] size) {
        if (!Arrays.equals(size, sourceSize)) {
            throw new IllegalArgumentException("reorientation made for size " + Arrays.toString(sourceSize)
                    + ", applied to " + Arrays.toString(size));
        }
    }

    private static void checkLength(int length, int voxels, int channels) {
        if (length != (long) voxels * channels) {
            throw new IllegalArgumentException("expected " + channels + " × " + voxels + " values, got " + length);
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < sourceAxis.length; k++) {
            s.append(k == 0 ? "" : ",").append(flipped[k] ? "-" : "+").append(sourceAxis[k]);
        }
        return "Reorientation{canonical axes from stored axes " + s + "}";
    }
}
