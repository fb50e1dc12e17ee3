package io.medseg.vnet;

import ai.djl.nn.Block;
import com.google.gson.JsonObject;
import io.medseg.core.bundle.RecordArchitecture;
import io.medseg.core.nn.Normalization;
import io.medseg.core.preprocess.FixedTopology;
import java.util.Arrays;
import java.util.Optional;

/** Registers the V-Net as {@code vnet} for model bundles; arguments are a {@link VNetConfig}. */
public final class VNetArchitecture extends RecordArchitecture<VNetConfig> {
    public static final String NAME = "vnet";

    public VNetArchitecture() {
        super(NAME, VNetConfig.class);
    }

    @Override
    protected VNetConfig defaults() {
        return VNetConfig.defaults();
    }

    @Override
    protected Block build(VNetConfig c, int inputChannels, int classes) {
        return new VNet(c).build(classes);
    }

    @Override
    protected int spatialDims(VNetConfig c) {
        return c.spatialDims();
    }

    @Override
    protected boolean normalisesPerInstance(VNetConfig c) {
        return c.norm() == Normalization.INSTANCE;
    }

    @Override
    protected int[] sizeDivisors(VNetConfig c) {
        int[] d = new int[c.spatialDims()];
        Arrays.fill(d, 1 << c.depth());
        return d;
    }

    @Override
    protected double forwardFlops(VNetConfig c, int inputChannels, int classes, long[] sizeTensorOrder) {
        return VNet.forwardFlops(c, inputChannels, classes, sizeTensorOrder);
    }

    /** Every stage halves every axis (the paper's 2×2×2 stride-2 convolutions), whatever the spacing. */
    @Override
    public Optional<FixedTopology> fixedTopology(JsonObject arguments) {
        VNetConfig c = parse(arguments);
        int n = c.spatialDims();
        int[][] strides = new int[c.depth() + 1][n];
        int[][] kernels = new int[c.depth() + 1][n];
        for (int stage = 0; stage <= c.depth(); stage++) {
            Arrays.fill(strides[stage], stage == 0 ? 1 : 2);
            Arrays.fill(kernels[stage], c.kernel());
        }
        return Optional.of(new FixedTopology() {
            @Override
            public int[][] strides() {
                return strides;
            }

            @Override
            public int[][] kernels() {
                return kernels;
            }

            @Override
            public long trainingBytes(int[] patchTensorOrder, int batchSize) {
                return VNet.trainingBytes(c, Arrays.stream(patchTensorOrder).asLongStream().toArray(), batchSize);
            }
        });
    }
}
