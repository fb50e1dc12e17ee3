package io.medseg.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Component filtering against a hand-drawn case and an independent union-find labelling. */
class LargestComponentTest {

    /** A row of 12 voxels: liver (1) 4 + speck 1, kidney (2) 3 + 2 + speck 1. */
    private static final byte[] ROW = {1, 1, 1, 1, 0, 2, 2, 2, 0, 2, 2, 0, 1, 0, 2, 0};

    @Test
    void largestOfEveryLabelDropsTheSecondKidney() {
        byte[] labels = ROW.clone();
        LargestComponent.keepLargest(labels, new long[] {16, 1}, new int[] {0, 1, 1});
        assertArrayEquals(new byte[] {1, 1, 1, 1, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0}, labels);
    }

    @Test
    void twoKidneysKeptWithTheirCount() {
        byte[] labels = ROW.clone();
        LargestComponent.keepLargest(labels, new long[] {16, 1}, new int[] {0, 1, 2});
        assertArrayEquals(new byte[] {1, 1, 1, 1, 0, 2, 2, 2, 0, 2, 2, 0, 0, 0, 0, 0}, labels);
    }

    @Test
    void zeroAndLabelsPastTheArrayKeepEverything() {
        byte[] labels = ROW.clone();
        LargestComponent.keepLargest(labels, new long[] {16, 1}, new int[] {0, 0});
        assertArrayEquals(ROW, labels, "label 1 count 0, label 2 not listed");
        LargestComponent.keepLargest(labels, new long[] {16, 1}, new int[] {0, 5, 5});
        assertArrayEquals(ROW, labels, "more components allowed than there are");
    }

    @Test
    void diagonalNeighboursAreSeparateComponents() {
        // 2D 3×3: a diagonal pair of label 1 is two components (face connectivity)
        byte[] labels = {1, 0, 0, 0, 1, 1, 0, 0, 0};
        LargestComponent.keepLargest(labels, new long[] {3, 3}, new int[] {0, 1});
        assertArrayEquals(new byte[] {0, 0, 0, 0, 1, 1, 0, 0, 0}, labels);
    }

    @Test
    void matchesUnionFindOnRandomVolumes() {
        Random random = new Random(11);
        for (int trial = 0; trial < 40; trial++) {
            long[] size = trial % 2 == 0 ? new long[] {9, 7, 5} : new long[] {13, 11};
            int voxels = (int) Arrays.stream(size).reduce(1, (a, b) -> a * b);
            byte[] labels = new byte[voxels];
            for (int v = 0; v < voxels; v++) {
                labels[v] = (byte) (random.nextDouble() < 0.45 ? 0 : 1 + random.nextInt(3));
            }
            int[] counts = {0, random.nextInt(4), random.nextInt(4), 1 + random.nextInt(3)};
            byte[] expected = unionFindKeep(labels, size, counts);
            LargestComponent.keepLargest(labels, size, counts);
            assertArrayEquals(expected, labels, "trial " + trial + " counts " + Arrays.toString(counts));
        }
    }

    /** The reference: union-find over face neighbours, components sorted by size (ties: first voxel first). */
    private static byte[] unionFindKeep(byte[] labels, long[] size, int[] counts) {
        int n = labels.length;
        int[] parent = new int[n];
        for (int v = 0; v < n; v++) {
            parent[v] = v;
        }
        long stride = 1;
        for (long extent : size) {
            for (int v = 0; v < n; v++) {
                long pos = (v / stride) % extent;
                int w = (int) (v + stride);
                if (pos < extent - 1 && labels[v] != 0 && labels[v] == labels[w]) {
                    parent[find(parent, v)] = find(parent, w);
                }
            }
            stride *= extent;
        }
        int[] members = new int[n];
        int[] first = new int[n];
        Arrays.fill(first, -1);
        for (int v = 0; v < n; v++) {
            int root = find(parent, v);
            members[root]++;
            if (first[root] < 0) {
                first[root] = v;
            }
        }
        byte[] out = labels.clone();
        for (int label = 1; label < counts.length; label++) {
            if (counts[label] == 0) {
                continue;
            }
            List<Integer> roots = new ArrayList<>();
            for (int v = 0; v < n; v++) {
                if (labels[v] == label && find(parent, v) == v) {
                    roots.add(v);
                }
            }
            roots.sort(Comparator.<Integer>comparingInt(r -> -members[r]).thenComparingInt(r -> first[r]));
            List<Integer> kept = roots.subList(0, Math.min(counts[label], roots.size()));
            for (int v = 0; v < n; v++) {
                if (labels[v] == label && !kept.contains(find(parent, v))) {
                    out[v] = 0;
                }
            }
        }
        assertEquals(n, out.length);
        return out;
    }

    private static int find(int[] parent, int v) {
        while (parent[v] != v) {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        return v;
    }
}
