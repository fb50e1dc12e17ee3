package io.medseg.vnet;

import io.medseg.core.nn.Normalization;
import java.util.Arrays;

/**
 * Settings of a V-Net. The paper's network is {@link #paper()}; MONAI's {@code VNet} uses the
 * lighter convolution counts of {@link #monai()}.
 *
 * @param spatialDims 3 (the paper's) or 2
 * @param baseFilters channels at full resolution (paper: 16), doubled at every down stage
 * @param downConvs residual convolutions of down stages 1..depth, the last one the bottom (paper: 2, 3, 3, 3)
 * @param upConvs residual convolutions of the up stages from the deepest to full resolution (paper: 3, 3, 2, 1)
 * @param kernel size of the residual convolutions on every axis, odd (paper: 5)
 * @param norm after every convolution; the paper has none, MONAI batch normalisation
 * @param dropout rate after the down-step of the two deepest down stages and before the up-step of
 *     the two deepest up stages (as MONAI places it); 0 = none (paper)
 */
public record VNetConfig(int spatialDims, int baseFilters, int[] downConvs, int[] upConvs, int kernel,
        Normalization norm, float dropout) {

    public VNetConfig {
        if (spatialDims != 2 && spatialDims != 3) {
            throw new IllegalArgumentException("spatialDims must be 2 or 3, got " + spatialDims);
        }
        if (baseFilters < 1) {
            throw new IllegalArgumentException("baseFilters must be >= 1, got " + baseFilters);
        }
        if (downConvs == null || upConvs == null || downConvs.length < 1 || downConvs.length > 6
                || upConvs.length != downConvs.length) {
            throw new IllegalArgumentException("downConvs and upConvs need one entry per down stage (1..6 stages), got "
                    + Arrays.toString(downConvs) + " and " + Arrays.toString(upConvs));
        }
        for (int n : concat(downConvs, upConvs)) {
            if (n < 1) {
                throw new IllegalArgumentException("every stage needs >= 1 convolution, got down "
                        + Arrays.toString(downConvs) + " up " + Arrays.toString(upConvs));
            }
        }
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("kernel must be odd and >= 1, got " + kernel);
        }
        if (norm == null) {
            throw new IllegalArgumentException("norm must be NONE, BATCH or INSTANCE, got null");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        downConvs = downConvs.clone();
        upConvs = upConvs.clone();
    }

    /** Milletari et al. (2016), Fig. 1: base 16, down 2, 3, 3, 3, up 3, 3, 2, 1, 5×5×5, no normalisation. */
    public static VNetConfig paper() {
        return new VNetConfig(3, 16, new int[] {2, 3, 3, 3}, new int[] {3, 3, 2, 1}, 5, Normalization.NONE, 0f);
    }

    /**
     * What {@code medseg train --arch vnet} builds unless told otherwise: the paper's stages with
     * instance normalisation after every convolution. Without it, the paper's network trained with
     * AdamW at 1e-3 blows up within its first steps on CT (Dice + cross-entropy averaged 1.5e4 over
     * the first 5 steps and 6e7 over the next 5), with or without gradient clipping, since Adam's
     * steps do not shrink with the gradient; with it the same run learns (docs/experiments/vnet-defaults.md).
     */
    public static VNetConfig defaults() {
        return new VNetConfig(3, 16, new int[] {2, 3, 3, 3}, new int[] {3, 3, 2, 1}, 5, Normalization.INSTANCE, 0f);
    }

    /** MONAI's {@code VNet}: down 1, 2, 3, 2, up 2, 2, 1, 1, batch normalisation. */
    public static VNetConfig monai() {
        return new VNetConfig(3, 16, new int[] {1, 2, 3, 2}, new int[] {2, 2, 1, 1}, 5, Normalization.BATCH, 0f);
    }

    /** Number of down stages. */
    public int depth() {
        return downConvs.length;
    }

    /** Channels of the encoder at level d (0 = full resolution). */
    public int filters(int level) {
        return baseFilters << level;
    }

    /** Residual convolutions of the up stage that ends at level d (0..depth−1). */
    public int upConvsAt(int level) {
        return upConvs[depth() - 1 - level];
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VNetConfig c && c.spatialDims == spatialDims && c.baseFilters == baseFilters
                && Arrays.equals(c.downConvs, downConvs) && Arrays.equals(c.upConvs, upConvs) && c.kernel == kernel
                && c.norm == norm && c.dropout == dropout;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(downConvs) * 31 + Arrays.hashCode(upConvs) + baseFilters;
    }

    @Override
    public String toString() {
        return "V-Net " + spatialDims + "D base " + baseFilters + " down " + Arrays.toString(downConvs) + " up "
                + Arrays.toString(upConvs) + " kernel " + kernel + " " + norm + (dropout > 0 ? " dropout " + dropout : "");
    }
}
