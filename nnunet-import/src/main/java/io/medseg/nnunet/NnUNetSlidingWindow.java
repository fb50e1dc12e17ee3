package io.medseg.nnunet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * nnU-Net v2's sliding-window prediction ({@code nnUNetPredictor.predict_sliding_window_return_logits}),
 * reproduced step for step so that an imported model's logits are nnU-Net's: the image padded to at
 * least the patch, centred ({@code pad_nd_image}); tile origins by {@code
 * compute_steps_for_sliding_window} (numpy's round, ties to even); each tile's logits, averaged over
 * every combination of the allowed mirror axes, weighted by {@code compute_gaussian} (σ = patch/8,
 * peak 10, in half precision) and summed, with the weights, in half-precision accumulators, then
 * divided — the roundings nnU-Net's {@code torch.half} buffers make, made here too.
 *
 * <p>Arrays are C order in nnU-Net's axis order (after {@code transpose_forward}): data (C, s0, s1[, s2]),
 * logits (classes, s0, s1[, s2]). A 2D configuration on a 3D array goes slice by slice along s0.
 */
final class NnUNetSlidingWindow {
    /** Runs the network on one tile: (channels, patch…) in, (classes, patch…) logits out, float32. */
    @FunctionalInterface
    interface TileNetwork {
        float[] forward(float[] tile, int channels, int[] patch);
    }

    private final int[] patch;
    private final double stepSize;
    private final int[] mirrorAxes;
    private final float[] gaussian;

    /**
     * @param patch the configuration's patch size
     * @param stepSize nnU-Net's tile_step_size (0.5 by default)
     * @param mirrorAxes spatial axes of the patch to mirror over (the checkpoint's
     *     inference_allowed_mirroring_axes), empty for none
     */
    NnUNetSlidingWindow(int[] patch, double stepSize, int[] mirrorAxes) {
        if (!(stepSize > 0 && stepSize <= 1)) {
            throw new IllegalArgumentException("the tile step must be in (0, 1], got " + stepSize);
        }
        for (int a : mirrorAxes) {
            if (a < 0 || a >= patch.length) {
                throw new IllegalArgumentException("mirror axis " + a + " does not exist for a " + patch.length + "D patch");
            }
        }
        this.patch = patch.clone();
        this.stepSize = stepSize;
        this.mirrorAxes = mirrorAxes.clone();
        this.gaussian = gaussian(patch);
    }

    /**
     * {@code compute_gaussian(patch, sigma_scale=1/8, value_scaling_factor=10)}: scipy's gaussian_filter
     * (truncated at 4σ, each axis' kernel normalised) of a unit impulse at {@code size // 2}, scaled to a
     * peak of 10, cast to half precision, zeros replaced by the smallest non-zero value.
     */
    static float[] gaussian(int[] patch) {
        double[][] kernel = new double[patch.length][];
        for (int k = 0; k < patch.length; k++) {
            double sigma = patch[k] * (1.0 / 8);
            int radius = (int) (4.0 * sigma + 0.5);
            double[] phi = new double[2 * radius + 1];
            for (int i = -radius; i <= radius; i++) {
                phi[i + radius] = Math.exp(-0.5 / (sigma * sigma) * (double) (i * i)); // scipy: (-0.5/σ²)·x²
            }
            double sum = NumpySum.pairwise(phi, 0, phi.length);
            double[] axis = new double[patch[k]];
            int centre = patch[k] / 2;
            for (int p = 0; p < patch[k]; p++) {
                int d = p - centre;
                axis[p] = Math.abs(d) <= radius ? phi[d + radius] / sum : 0;
            }
            kernel[k] = axis;
        }
        int n = count(patch);
        double[] g = new double[n];
        int[] pos = new int[patch.length];
        for (int v = 0; v < n; v++) {
            double p = 1;
            for (int k = 0; k < patch.length; k++) {
                p *= kernel[k][pos[k]];
            }
            g[v] = p;
            increment(pos, patch);
        }
        double max = Arrays.stream(g).max().orElseThrow();
        float[] out = new float[n];
        float min = Float.MAX_VALUE;
        for (int v = 0; v < n; v++) {
            out[v] = Float16.round((float) (g[v] / (max / 10)));
            if (out[v] > 0) {
                min = Math.min(min, out[v]);
            }
        }
        for (int v = 0; v < n; v++) {
            if (out[v] == 0) {
                out[v] = min;
            }
        }
        return out;
    }

    /** {@code compute_steps_for_sliding_window} for one axis. */
    static int[] steps(int size, int tile, double stepSize) {
        double target = tile * stepSize;
        int count = (int) Math.ceil((size - tile) / target) + 1;
        int[] out = new int[count];
        double actual = count > 1 ? (double) (size - tile) / (count - 1) : 0;
        for (int i = 0; i < count; i++) {
            out[i] = (int) Math.rint(actual * i);
        }
        return out;
    }

    /** How many network runs (tiles × mirror combinations) {@link #predict} makes for an array of {@code size}. */
    int tileCount(int[] size) {
        int[] spatial = padded(size);
        int tiles = size.length > patch.length ? size[0] : 1;
        int offset = size.length - patch.length;
        for (int k = 0; k < patch.length; k++) {
            tiles *= steps(spatial[offset + k], patch[k], stepSize).length;
        }
        return tiles << mirrorAxes.length;
    }

    private int[] padded(int[] size) {
        int[] out = size.clone();
        int offset = size.length - patch.length;
        for (int k = 0; k < patch.length; k++) {
            out[offset + k] = Math.max(size[offset + k], patch[k]);
        }
        return out;
    }

    /**
     * Logits (classes, size…) for {@code data} (channels, size…) as half-precision bits ({@link
     * Float16}), summed and divided in half precision as nnU-Net's buffers do: the whole volume's
     * accumulators take 2 bytes a value, as nnU-Net's.
     */
    short[] predict(float[] data, int channels, int[] size, int classes, TileNetwork network) {
        if (size.length != patch.length && size.length != patch.length + 1) {
            throw new IllegalArgumentException("a " + patch.length + "D patch does not fit an array of " + size.length
                    + " axes");
        }
        int[] full = padded(size);
        int[] below = new int[size.length];
        for (int k = 0; k < size.length; k++) {
            below[k] = (full[k] - size[k]) / 2; // pad_nd_image: the larger half of an odd padding goes above
        }
        float[] padded = Arrays.equals(full, size) ? data : pad(data, channels, size, full, below);
        int offset = full.length - patch.length; // 1 for a 2D patch on a volume: slice axis first
        int[][] steps = new int[patch.length][];
        for (int k = 0; k < patch.length; k++) {
            steps[k] = steps(full[offset + k], patch[k], stepSize);
        }
        int voxels = count(full);
        short[] logits = new short[classes * voxels]; // all +0.0 in half bits
        short[] weights = new short[voxels];
        int slices = offset == 1 ? full[0] : 1;
        int patchVoxels = count(patch);
        List<int[]> combos = mirrorCombinations();
        for (int d = 0; d < slices; d++) {
            int[] index = new int[patch.length];
            do {
                int[] origin = new int[full.length];
                if (offset == 1) {
                    origin[0] = d;
                }
                for (int k = 0; k < patch.length; k++) {
                    origin[offset + k] = steps[k][index[k]];
                }
                float[] tile = extract(padded, channels, full, origin);
                float[] prediction = network.forward(tile, channels, patch);
                for (int[] axes : combos) {
                    float[] flipped = network.forward(flip(tile, channels, axes), channels, patch);
                    float[] back = flip(flipped, classes, axes);
                    for (int i = 0; i < prediction.length; i++) {
                        prediction[i] += back[i];
                    }
                }
                if (!combos.isEmpty()) {
                    float n = combos.size() + 1;
                    for (int i = 0; i < prediction.length; i++) {
                        prediction[i] /= n;
                    }
                }
                accumulate(prediction, classes, logits, weights, full, origin, patchVoxels);
            } while (next(index, steps));
        }
        for (int c = 0; c < classes; c++) {
            for (int v = 0; v < voxels; v++) {
                int at = c * voxels + v;
                logits[at] = Float16.toBits(Float16.fromBits(logits[at]) / Float16.fromBits(weights[v]));
            }
        }
        return Arrays.equals(full, size) ? logits : crop(logits, classes, full, size, below);
    }

    /** Every non-empty subset of the mirror axes, in itertools.combinations order (by size, then position). */
    private List<int[]> mirrorCombinations() {
        List<int[]> out = new ArrayList<>();
        for (int r = 1; r <= mirrorAxes.length; r++) {
            combine(mirrorAxes, r, 0, new int[r], 0, out);
        }
        return out;
    }

    private static void combine(int[] axes, int r, int from, int[] chosen, int depth, List<int[]> out) {
        if (depth == r) {
            out.add(chosen.clone());
            return;
        }
        for (int i = from; i < axes.length; i++) {
            chosen[depth] = axes[i];
            combine(axes, r, i + 1, chosen, depth + 1, out);
        }
    }

    /** predicted_logits[sl] += prediction · gaussian and n_predictions[sl] += gaussian, each sum rounded to half. */
    private void accumulate(float[] prediction, int classes, short[] logits, short[] weights, int[] full, int[] origin,
            int patchVoxels) {
        int voxels = count(full);
        int[] pos = new int[patch.length];
        int offset = full.length - patch.length;
        for (int p = 0; p < patchVoxels; p++) {
            int at = 0;
            for (int k = 0; k < full.length; k++) {
                int coordinate = k < offset ? origin[k] : origin[k] + pos[k - offset];
                at = at * full[k] + coordinate;
            }
            float g = gaussian[p];
            for (int c = 0; c < classes; c++) {
                float weighted = prediction[c * patchVoxels + p] * g;
                int i = c * voxels + at;
                logits[i] = Float16.toBits(Float16.fromBits(logits[i]) + weighted);
            }
            weights[at] = Float16.toBits(Float16.fromBits(weights[at]) + g);
            increment(pos, patch);
        }
    }

    private float[] extract(float[] data, int channels, int[] full, int[] origin) {
        int patchVoxels = count(patch);
        int voxels = count(full);
        float[] tile = new float[channels * patchVoxels];
        int[] pos = new int[patch.length];
        int offset = full.length - patch.length;
        for (int p = 0; p < patchVoxels; p++) {
            int at = 0;
            for (int k = 0; k < full.length; k++) {
                at = at * full[k] + (k < offset ? origin[k] : origin[k] + pos[k - offset]);
            }
            for (int c = 0; c < channels; c++) {
                tile[c * patchVoxels + p] = data[c * voxels + at];
            }
            increment(pos, patch);
        }
        return tile;
    }

    /** The tile (n, patch…) reversed along the given spatial axes. */
    private float[] flip(float[] tile, int n, int[] axes) {
        int patchVoxels = count(patch);
        float[] out = new float[tile.length];
        int[] pos = new int[patch.length];
        for (int p = 0; p < patchVoxels; p++) {
            int at = 0;
            for (int k = 0; k < patch.length; k++) {
                boolean flipped = false;
                for (int a : axes) {
                    flipped |= a == k;
                }
                at = at * patch[k] + (flipped ? patch[k] - 1 - pos[k] : pos[k]);
            }
            for (int c = 0; c < n; c++) {
                out[c * patchVoxels + p] = tile[c * patchVoxels + at];
            }
            increment(pos, patch);
        }
        return out;
    }

    private static float[] pad(float[] data, int channels, int[] size, int[] full, int[] below) {
        float[] out = new float[channels * count(full)];
        int n = count(size);
        int bigN = count(full);
        forEachInBox(size, full, below, (v, at) -> {
            for (int c = 0; c < channels; c++) {
                out[c * bigN + at] = data[c * n + v];
            }
        });
        return out;
    }

    private static short[] crop(short[] data, int channels, int[] full, int[] size, int[] below) {
        short[] out = new short[channels * count(size)];
        int n = count(size);
        int bigN = count(full);
        forEachInBox(size, full, below, (v, at) -> {
            for (int c = 0; c < channels; c++) {
                out[c * n + v] = data[c * bigN + at];
            }
        });
        return out;
    }

    /** A box of {@code size} at {@code below} in an array of {@code full}: each voxel's index in both. */
    @FunctionalInterface
    private interface BoxVoxel {
        void at(int inBox, int inFull);
    }

    private static void forEachInBox(int[] size, int[] full, int[] below, BoxVoxel visit) {
        int n = count(size);
        int[] pos = new int[size.length];
        for (int v = 0; v < n; v++) {
            int at = 0;
            for (int k = 0; k < size.length; k++) {
                at = at * full[k] + below[k] + pos[k];
            }
            visit.at(v, at);
            increment(pos, size);
        }
    }

    /** C-order increment (last axis fastest). */
    private static void increment(int[] pos, int[] size) {
        for (int k = pos.length - 1; k >= 0; k--) {
            if (++pos[k] < size[k]) {
                return;
            }
            pos[k] = 0;
        }
    }

    /** Tile index increment in nnU-Net's loop order (first axis outermost). */
    private static boolean next(int[] index, int[][] steps) {
        for (int k = index.length - 1; k >= 0; k--) {
            if (++index[k] < steps[k].length) {
                return true;
            }
            index[k] = 0;
        }
        return false;
    }

    static int count(int[] size) {
        long n = 1;
        for (int s : size) {
            n *= s;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an array of " + Arrays.toString(size) + " is too large for one buffer");
        }
        return (int) n;
    }
}
