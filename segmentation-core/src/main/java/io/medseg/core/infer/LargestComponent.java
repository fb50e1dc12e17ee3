package io.medseg.core.infer;

import io.medseg.image.Shapes;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Keeps, for every label, only its largest face-connected components (6-connectivity in 3D, 4 in
 * 2D) — the largest one, or the N largest where a label holds N organs (two kidneys); the rest
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
        long[] strides = Shapes.stridesXFastest(sizeXyz);
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
        IntQueue queue = new IntQueue();
        for (int v = 0; v < voxels; v++) {
            int label = labels[v] & 0xff;
            if (label == 0 || label >= labelsFiltered || counts[label] <= 0 || seen.get(v)) {
                continue;
            }
            long size = flood(labels, sizeXyz, strides, v, seen, queue);
            insert(seeds[label], best[label], v, size);
        }
        BitSet keep = new BitSet(voxels);
        for (int label = 1; label < labelsFiltered; label++) {
            for (int seed : seeds[label]) {
                if (seed >= 0) {
                    flood(labels, sizeXyz, strides, seed, keep, queue);
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

    /** Marks the component of {@code start} in {@code mark}; returns its size. */
    private static long flood(byte[] labels, long[] size, long[] strides, int start, BitSet mark, IntQueue queue) {
        byte label = labels[start];
        queue.clear();
        queue.add(start);
        mark.set(start);
        long count = 0;
        int n = size.length;
        while (!queue.isEmpty()) {
            int v = queue.poll();
            count++;
            long rest = v;
            for (int k = 0; k < n; k++) {
                long pos = rest % size[k];
                rest /= size[k];
                if (pos > 0) {
                    visit(labels, label, (int) (v - strides[k]), mark, queue);
                }
                if (pos < size[k] - 1) {
                    visit(labels, label, (int) (v + strides[k]), mark, queue);
                }
            }
        }
        return count;
    }

    private static void visit(byte[] labels, byte label, int w, BitSet mark, IntQueue queue) {
        if (labels[w] == label && !mark.get(w)) {
            mark.set(w);
            queue.add(w);
        }
    }

    /** A growable ring of ints (a component can hold millions of voxels; boxing them would not do). */
    private static final class IntQueue {
        private int[] items = new int[1024];
        private int head;
        private int tail;

        void clear() {
            head = 0;
            tail = 0;
        }

        boolean isEmpty() {
            return head == tail;
        }

        void add(int v) {
            if (tail == items.length) {
                if (head > items.length / 2) {
                    System.arraycopy(items, head, items, 0, tail - head);
                    tail -= head;
                    head = 0;
                } else {
                    items = Arrays.copyOf(items, items.length * 2);
                }
            }
            items[tail++] = v;
        }

        int poll() {
            return items[head++];
        }
    }
}
