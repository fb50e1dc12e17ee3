package io.medseg.core.engine;

import ai.djl.ndarray.types.Shape;

/**
 * The one place that knows axis order. ImgLib2 sizes are (x, y[, z]) with x fastest; DJL tensors
 * are (N, C, [D,] H, W) with W fastest. A buffer of N·C·X·Y·Z floats with x fastest and the batch
 * slowest is both, so converting is a reversal of the spatial sizes, never a copy.
 */
public final class TensorLayout {
    private TensorLayout() {}

    /** (n, c, z, y, x) for sizeXyz = (x, y, z). */
    public static Shape tensorShape(int n, int c, long[] sizeXyz) {
        long[] shape = new long[sizeXyz.length + 2];
        shape[0] = n;
        shape[1] = c;
        for (int k = 0; k < sizeXyz.length; k++) {
            shape[shape.length - 1 - k] = sizeXyz[k];
        }
        return new Shape(shape);
    }

    /** (n, z, y, x) for sizeXyz = (x, y, z): the shape of a batch of label maps. */
    public static Shape labelShape(int n, long[] sizeXyz) {
        long[] full = tensorShape(n, 1, sizeXyz).getShape();
        long[] shape = new long[full.length - 1];
        shape[0] = n;
        System.arraycopy(full, 2, shape, 1, shape.length - 1);
        return new Shape(shape);
    }

    /** Per-axis values ([D,] H, W) of a network setting (patch, tile, kernel, stride) in ImgLib2 order (x, y[, z]). */
    public static long[] xyz(int[] tensorOrder) {
        long[] xyz = new long[tensorOrder.length];
        for (int k = 0; k < xyz.length; k++) {
            xyz[k] = tensorOrder[tensorOrder.length - 1 - k];
        }
        return xyz;
    }

    /**
     * Per-axis values reordered between (x, y[, z]) and ([D,] H, W); the same reversal converts both
     * ways, so it serves either direction.
     */
    public static int[] reversed(int[] values) {
        int[] out = new int[values.length];
        for (int k = 0; k < values.length; k++) {
            out[k] = values[values.length - 1 - k];
        }
        return out;
    }

    /** As {@link #reversed(int[])}, for per-axis spacings. */
    public static double[] reversed(double[] values) {
        double[] out = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            out[k] = values[values.length - 1 - k];
        }
        return out;
    }

    /** Per-axis values in tensor order ([D,] H, W) for sizes in ImgLib2 order (x, y[, z]). */
    public static int[] tensorOrder(long[] xyz) {
        int[] out = new int[xyz.length];
        for (int k = 0; k < xyz.length; k++) {
            out[k] = Math.toIntExact(xyz[xyz.length - 1 - k]);
        }
        return out;
    }

    /** The axis names of sizes written in ImgLib2 order: "x×y" or "x×y×z". */
    public static String axisNames(int dims) {
        return dims == 2 ? "x×y" : dims == 3 ? "x×y×z" : dims + " axes";
    }

    /**
     * Per-axis values given in tensor order ([D,] H, W) as users read and type them, in ImgLib2
     * order with the axes named: {@code 128x128x64 (x×y×z)}.
     */
    public static String describe(int[] tensorOrder) {
        StringBuilder b = new StringBuilder();
        for (long v : xyz(tensorOrder)) {
            b.append(b.length() == 0 ? "" : "x").append(v);
        }
        return b + " (" + axisNames(tensorOrder.length) + ")";
    }

    /** The spatial sizes (x, y[, z]) of a tensor shape (N, C, [D,] H, W). */
    public static long[] sizeXyz(Shape nchw) {
        if (nchw.dimension() < 4) {
            throw new IllegalArgumentException("expected (N, C, [D,] H, W), got " + nchw);
        }
        long[] s = nchw.getShape();
        long[] xyz = new long[s.length - 2];
        for (int k = 0; k < xyz.length; k++) {
            xyz[k] = s[s.length - 1 - k];
        }
        return xyz;
    }
}
