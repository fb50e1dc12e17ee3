package io.medseg.pipeline;

import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;

/** One axial slice (fixed z) of a 3D scan or label map as a 2D one, for training 2D networks. */
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

    /** The in-plane spacing; position and orientation do not matter to training. */
    private static Geometry inPlane(Geometry g) {
        double[] s = g.spacingMm();
        return new Geometry(new double[] {s[0], s[1]}, new double[2], new double[] {1, 0, 0, 1});
    }
}
