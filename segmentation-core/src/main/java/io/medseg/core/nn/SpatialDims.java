package io.medseg.core.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import java.util.Arrays;

/**
 * The number of spatial dimensions (2 or 3) as a value: maps per-axis {@code int[]} settings to
 * DJL shapes and picks DJL's 2D or 3D convolution, so no block is written twice.
 *
 * <p>Per-axis arrays are in tensor order ([D,] H, W), the order of DJL shapes.
 */
public record SpatialDims(int n) {
    public SpatialDims {
        if (n != 2 && n != 3) {
            throw new IllegalArgumentException("spatial dimensions must be 2 or 3, got " + n);
        }
    }

    public static SpatialDims of(int n) {
        return new SpatialDims(n);
    }

    /** A DJL shape from a per-axis array, after checking it has one entry per spatial axis. */
    public Shape shape(String name, int[] perAxis) {
        check(name, perAxis);
        return new Shape(Arrays.stream(perAxis).asLongStream().toArray());
    }

    /** The same value on every axis. */
    public int[] uniform(int value) {
        int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }

    /** Throws unless {@code perAxis} has n positive entries. */
    public void check(String name, int[] perAxis) {
        if (perAxis.length != n) {
            throw new IllegalArgumentException(name + " has " + perAxis.length + " entries " + Arrays.toString(perAxis)
                    + ", expected one per spatial axis = " + n);
        }
        for (int v : perAxis) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " entries must be >= 1, got " + Arrays.toString(perAxis));
            }
        }
    }

    /** DJL's Conv2d or Conv3d with the given settings. */
    public Block convolution(int filters, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean bias) {
        Shape k = shape("kernel", kernel);
        Shape s = shape("stride", stride);
        Shape p = new Shape(Arrays.stream(padding).asLongStream().toArray());
        Shape d = shape("dilation", dilation);
        if (n == 2) {
            return Conv2d.builder().setFilters(filters).setKernelShape(k).optStride(s).optPadding(p).optDilation(d)
                    .optBias(bias).build();
        }
        return Conv3d.builder().setFilters(filters).setKernelShape(k).optStride(s).optPadding(p).optDilation(d)
                .optBias(bias).build();
    }

    /** A 1×1(×1) convolution with bias: the output layer of U-Net and V-Net. */
    public Block pointwise(int filters) {
        return convolution(filters, uniform(1), uniform(1), new int[n], uniform(1), true);
    }
}
