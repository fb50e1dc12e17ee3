package io.medseg.image;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The face-connected components of a label map (6-connectivity in 3D, 4 in 2D, as scipy.ndimage.label
 * by default): voxels of one label touching by a face belong together. Floods one component at a
 * time with a bit set and a queue, so memory is a bit per voxel plus the largest component.
 */
public final class FaceComponents {
    private final byte[] labels;
    private final long[] size;
    private final long[] strides;
    private final IntQueue queue = new IntQueue();

    /** Over {@code labels}, x fastest, of {@code sizeXyz}. */
    public FaceComponents(byte[] labels, long[] sizeXyz) {
        this.labels = labels;
        this.size = sizeXyz.clone();
        this.strides = Shapes.stridesXFastest(sizeXyz);
    }

    /** Marks the component of voxel {@code start} (its label's voxels reachable by faces) in {@code mark}; returns its size. */
    public long flood(int start, BitSet mark) {
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
                    visit(label, (int) (v - strides[k]), mark);
                }
                if (pos < size[k] - 1) {
                    visit(label, (int) (v + strides[k]), mark);
                }
            }
        }
        return count;
    }

    /** How many components each label value (0..255) has; the background's are counted too. */
    public long[] countPerLabel() {
        long[] counts = new long[256];
        BitSet seen = new BitSet(labels.length);
        for (int v = 0; v < labels.length; v++) {
            if (!seen.get(v)) {
                flood(v, seen);
                counts[labels[v] & 0xff]++;
            }
        }
        return counts;
    }

    private void visit(byte label, int w, BitSet mark) {
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
