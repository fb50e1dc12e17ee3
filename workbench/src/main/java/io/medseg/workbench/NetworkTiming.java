package io.medseg.workbench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.loss.DiceCrossEntropy;
import io.medseg.core.nn.ComputeFormat;
import io.medseg.core.train.TrainingStep;
import java.util.Arrays;
import java.util.function.Consumer;

/** Wall-clock timings for the benches: sgemm peak, a training step and an inference pass of a bundle. */
final class NetworkTiming {
    private final int repeats;

    NetworkTiming(int repeats) {
        this.repeats = repeats;
    }

    /** libtorch's sgemm on 2048² matrices in GFLOP/s, best of the repeats. */
    double sgemmPeak(Device d) {
        try (NDManager m = NDManager.newBaseManager(d)) {
            NDArray a = m.randomUniform(-1, 1, new Shape(2048, 2048));
            NDArray b = m.randomUniform(-1, 1, new Shape(2048, 2048));
            double best = Double.MAX_VALUE;
            for (int i = 0; i < repeats + 2; i++) {
                long t = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0); // forces completion on asynchronous devices
                }
                if (i >= 2) {
                    best = Math.min(best, (System.nanoTime() - t) / 1e9);
                }
            }
            return 2.0 * Math.pow(2048, 3) / best / 1e9;
        }
    }

    /** Median ms of forward + Dice/CE loss + backward + AdamW on random data of {@code input} (N, C, S...). */
    double trainStepMs(ModelBundle bundle, Shape input, ComputeFormat format) {
        double[] ms = new double[1];
        withTrainingStep(bundle, input, format, step -> ms[0] = median(step));
        return ms[0];
    }

    /**
     * Gives {@code use} one training step (forward + Dice/CE loss + backward + AdamW on fresh random
     * data of {@code input}) to run as often as it likes, with the trainer initialised.
     */
    static void withTrainingStep(ModelBundle bundle, Shape input, ComputeFormat format, Consumer<Runnable> use) {
        Optimizer adamW = Optimizer.adamW().build();
        var cfg = new DefaultTrainingConfig(new DiceCrossEntropy()).optOptimizer(adamW)
                .optDevices(new Device[] {bundle.device()});
        // no gradient clipping: the benchmark figures in docs/benchmarks.md were measured without it
        try (Trainer trainer = bundle.model().newTrainer(cfg);
                TrainingStep training = new TrainingStep(trainer, bundle.block(), adamW, format, 0);
                NDManager m = trainer.getManager().newSubManager()) {
            trainer.initialize(input);
            long[] labelShape = input.getShape().clone();
            labelShape[1] = 1;
            use.accept(() -> {
                // inputs made in the step's manager, as TrainingLoop does: every array computed from them
                // is attached there and freed with it (made in m, they would pile up across steps)
                try (NDManager step = m.newSubManager()) {
                    NDArray x = step.randomNormal(input);
                    NDArray y = step.randomInteger(0, bundle.config().classes(), new Shape(labelShape), DataType.INT32)
                            .squeeze(1);
                    training.run(x, y);
                }
            });
        }
    }

    /** Median ms of one inference pass (no gradients) on random data of {@code input}. */
    double inferenceMs(ModelBundle bundle, Shape input, ComputeFormat format) {
        double[] ms = new double[1];
        withInference(bundle, input, format, pass -> ms[0] = median(pass));
        return ms[0];
    }

    /**
     * Gives {@code use} one inference pass (no gradients, fresh random data of {@code input}, float32
     * logits out as segmentation takes them) to run as often as it likes.
     */
    static void withInference(ModelBundle bundle, Shape input, ComputeFormat format, Consumer<Runnable> use) {
        try (NDManager m = bundle.model().getNDManager().newSubManager()) {
            use.accept(() -> {
                try (NDManager step = m.newSubManager()) {
                    NDArray x = step.randomNormal(input);
                    NDArray out = format.infer(bundle.block(), step, x);
                    out.toFloatArray(); // forces completion
                    out.close();
                }
            });
        }
    }

    /** Median wall time in ms over the repeats after two warm-up runs. */
    double median(Runnable run) {
        double[] t = new double[repeats];
        for (int i = 0; i < repeats + 2; i++) {
            long start = System.nanoTime();
            run.run();
            if (i >= 2) {
                t[i - 2] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(t);
        return t[repeats / 2];
    }
}
