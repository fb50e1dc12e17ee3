package io.medseg.core.train;

import io.medseg.core.augment.Patch;
import io.medseg.image.Shapes;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Prepares training batches on a background thread while the network trains on the previous one
 * (3D patches with elastic deformation cost about as much as a small network's step). One producer
 * draws from one random stream in order, so the batches, and the trained weights, are the same as
 * if they had been drawn in the training thread.
 */
final class PatchBatches implements AutoCloseable {
    /** One batch: images (B × C × voxels) and labels (B × voxels), x fastest. */
    record Batch(float[] images, int[] labels) {}

    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(2);
    private final Thread producer;

    /** @param skipBatches batches drawn and dropped first: a continued run replays the finished epochs' stream */
    PatchBatches(PatchSampler sampler, SplittableRandom random, int batchSize, int channels, long[] patchXyz,
            long skipBatches) {
        int voxels = (int) Shapes.count(patchXyz);
        producer = new Thread(() -> {
            try {
                for (long k = 0; k < skipBatches * batchSize && !Thread.currentThread().isInterrupted(); k++) {
                    sampler.sample(random);
                }
                while (!Thread.currentThread().isInterrupted()) {
                    float[] images = new float[batchSize * channels * voxels];
                    int[] labels = new int[batchSize * voxels];
                    for (int s = 0; s < batchSize; s++) {
                        Patch p = sampler.sample(random);
                        System.arraycopy(p.image(), 0, images, s * channels * voxels, channels * voxels);
                        for (int v = 0; v < voxels; v++) {
                            labels[s * voxels + v] = p.labels()[v] & 0xff;
                        }
                    }
                    ready.put(new Batch(images, labels));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                ready.offer(e);
            }
        }, "medseg-patches");
        producer.setDaemon(true);
        producer.start();
    }

    Batch next() {
        try {
            Object o = ready.take();
            if (o instanceof RuntimeException e) {
                throw e;
            }
            if (o instanceof Error e) {
                throw e;
            }
            return (Batch) o;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for training patches", e);
        }
    }

    @Override
    public void close() {
        producer.interrupt();
        try {
            producer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
