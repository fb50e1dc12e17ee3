package io.medseg.core.infer;

import io.medseg.image.FaceComponents;
import io.medseg.image.Shapes;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Keeps, for every label, only its largest face-connected components (6-connectivity in 3D, 4 in
 * 2D; {@link FaceComponents}) — the largest one, or the N largest where a label holds N organs (two kidneys); the rest
 * becomes background. nnU-Net's optional post-processing for single organs. Works in place with two
 * bit sets and a queue, so memory is ~2 bits per voxel plus the largest component.
 */
public final class LargestComponent {
    private LargestComponent() {}

    /**
     * Filters {@code labels} (x fastest) in place: label {@code l} keeps its {@code counts[l]} largest
     * components ({@code 0}, or a label past the array, keeps all). Ties go to the component met
     * first in voxel order.
     */
    public static void keepLargest(byte[] labels, long[] sizeXyz, int[] counts) {
        int voxels = (int) Shapes.count(sizeXyz);
        FaceComponents components = new FaceComponents(labels, sizeXyz);
        int labelsFiltered = counts.length;
        // per label its kept components so far, largest first: seeds and sizes
        int[][] seeds = new int[labelsFiltered][];
        long[][] best = new long[labelsFiltered][];
        for (int label = 1; label < labelsFiltered; label++) {
            seeds[label] = new int[Math.max(counts[label], 0)];
            best[label] = new long[seeds[label].length];
            Arrays.fill(seeds[label], -1);
        }
        BitSet seen = new BitSet(voxels);
        for (int v = 0; v < voxels; v++) {
            int label = labels[v] & 0xff;
            if (label == 0 || label >= labelsFiltered || counts[label] <= 0 || seen.get(v)) {
                continue;
            }
            long size = components.flood(v, seen);
            insert(seeds[label], best[label], v, size);
        }
        BitSet keep = new BitSet(voxels);
        for (int label = 1; label < labelsFiltered; label++) {
            for (int seed : seeds[label]) {
                if (seed >= 0) {
                    components.flood(seed, keep);
                }
            }
        }
        for (int v = 0; v < voxels; v++) {
            int label = labels[v] & 0xff;
            if (label != 0 && label < labelsFiltered && counts[label] > 0 && !keep.get(v)) {
                labels[v] = 0;
            }
        }
    }

    /** Puts a component into a label's largest-first list if it is among the largest (strictly larger than the last). */
    private static void insert(int[] seeds, long[] sizes, int seed, long size) {
        int at = seeds.length;
        while (at > 0 && (seeds[at - 1] < 0 || sizes[at - 1] < size)) {
            at--;
        }
        if (at == seeds.length) {
            return;
        }
        System.arraycopy(seeds, at, seeds, at + 1, seeds.length - at - 1);
        System.arraycopy(sizes, at, sizes, at + 1, sizes.length - at - 1);
        seeds[at] = seed;
        sizes[at] = size;
    }
}
