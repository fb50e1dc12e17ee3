package io.medseg.core.nn;

import java.util.Arrays;

/**
 * Settings of one convolution block: conv ("same" padding) → normalisation → activation →
 * optional dropout.
 *
 * @param kernel per axis in tensor order, odd sizes (same padding needs a centre)
 * @param dilation per axis; the padding becomes dilation·(kernel−1)/2
 * @param dropout rate in [0, 1); 0 means no dropout block
 */
public record ConvSpec(SpatialDims dims, int filters, int[] kernel, int[] dilation, Normalization norm,
        ActivationKind activation, float dropout) {

    public ConvSpec {
        if (filters < 1) {
            throw new IllegalArgumentException("filters must be >= 1, got " + filters);
        }
        dims.check("kernel", kernel);
        dims.check("dilation", dilation);
        for (int k : kernel) {
            if (k % 2 == 0) {
                throw new IllegalArgumentException("kernel sizes must be odd for same padding, got "
                        + Arrays.toString(kernel));
            }
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        kernel = kernel.clone();
        dilation = dilation.clone();
    }

    /** A 3×3(×3) block without dilation or dropout. */
    public static ConvSpec of(SpatialDims dims, int filters, Normalization norm, ActivationKind activation) {
        return new ConvSpec(dims, filters, dims.uniform(3), dims.uniform(1), norm, activation, 0f);
    }

    int[] samePadding() {
        int[] p = new int[kernel.length];
        for (int k = 0; k < p.length; k++) {
            p[k] = dilation[k] * (kernel[k] - 1) / 2;
        }
        return p;
    }
}
