package io.medseg.pipeline;

import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;

/**
 * One axial slice (fixed z) of a 3D scan or label map as a 2D one, for training 2D networks; and a
 * 3D file with one axis of size 1 (nnU-Net stores 2D datasets as NIfTI that way) as the 2D image it is.
 */
public final class Slices {
    private Slices() {}

    public static Volume image(Volume v, int z) {
        long[] s = v.sizeXyz();
        int plane = (int) (s[0] * s[1]);
        int voxels = plane * (int) s[2];
        float[] out = new float[plane * v.channels()];
        for (int c = 0; c < v.channels(); c++) {
            System.arraycopy(v.data(), c * voxels + z * plane, out, c * plane, plane);
        }
        return Volume.wrap(out, new long[] {s[0], s[1]}, v.channels(), inPlane(v.geometry()));
    }

    public static LabelMap labels(LabelMap m, int z) {
        long[] s = m.sizeXyz();
        int plane = (int) (s[0] * s[1]);
        byte[] out = new byte[plane];
        System.arraycopy(m.data(), z * plane, out, 0, plane);
        return LabelMap.wrap(out, new long[] {s[0], s[1]}, inPlane(m.geometry()), m.labelNames());
    }

    /**
     * A 3D label map with exactly one axis of size 1 as a 2D one over the other two axes (same
     * voxels, their spacing), so that distances and surfaces are measured in its plane; otherwise
     * the map itself. Evaluated as a one-slice volume, every voxel would count as surface.
     */
    public static LabelMap withoutSingletonAxis(LabelMap m) {
        int axis = singletonAxis(m.sizeXyz());
        return axis < 0 ? m : LabelMap.wrap(m.data(), drop(m.sizeXyz(), axis), plane(m.geometry(), axis), m.labelNames());
    }

    /** The image counterpart of {@link #withoutSingletonAxis(LabelMap)}. */
    public static Volume withoutSingletonAxis(Volume v) {
        int axis = singletonAxis(v.sizeXyz());
        return axis < 0 ? v : Volume.wrap(v.data(), drop(v.sizeXyz(), axis), v.channels(), plane(v.geometry(), axis));
    }

    private static int singletonAxis(long[] size) {
        if (size.length != 3) {
            return -1;
        }
        int axis = -1;
        for (int k = 0; k < 3; k++) {
            if (size[k] == 1) {
                if (axis >= 0) {
                    return -1; // a line or a point is not a plane
                }
                axis = k;
            }
        }
        return axis;
    }

    private static long[] drop(long[] size, int axis) {
        long[] out = new long[2];
        for (int k = 0, j = 0; k < 3; k++) {
            if (k != axis) {
                out[j++] = size[k];
            }
        }
        return out;
    }

    /** The spacing of the two remaining axes; a flat index is the same with or without a size-1 axis. */
    private static Geometry plane(Geometry g, int axis) {
        double[] s = g.spacingMm();
        double[] kept = new double[2];
        for (int k = 0, j = 0; k < 3; k++) {
            if (k != axis) {
                kept[j++] = s[k];
            }
        }
        return new Geometry(kept, new double[2], new double[] {1, 0, 0, 1});
    }

    /** The in-plane spacing; position and orientation do not matter to training. */
    private static Geometry inPlane(Geometry g) {
        double[] s = g.spacingMm();
        return new Geometry(new double[] {s[0], s[1]}, new double[2], new double[] {1, 0, 0, 1});
    }
}
