package io.medseg.unet;

import io.medseg.core.nn.ActivationKind;
import io.medseg.core.nn.Normalization;

/**
 * Settings of a U-Net.
 *
 * @param spatialDims 2 (the paper's) or 3 (3D U-Net, Çiçek et al. 2016)
 * @param depth number of down-steps; the paper uses 4 (five resolution levels)
 * @param baseFilters filters at full resolution, doubled at each level (paper: 64)
 * @param dropout dropout rate at the bottleneck, "at the end of the contracting path" (paper: 0.5)
 */
public record UNetConfig(int spatialDims, int depth, int baseFilters, Normalization norm, ActivationKind activation,
        float dropout) {

    public UNetConfig {
        if (depth < 1 || depth > 8) {
            throw new IllegalArgumentException("depth must be in 1..8, got " + depth);
        }
        if (baseFilters < 1) {
            throw new IllegalArgumentException("baseFilters must be >= 1, got " + baseFilters);
        }
        if (norm == null || activation == null) {
            throw new IllegalArgumentException("norm and activation must be set, got " + norm + " and " + activation);
        }
    }

    /** Filters at level d (0 = full resolution). */
    public int filters(int level) {
        return baseFilters << level;
    }
}
