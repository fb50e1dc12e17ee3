package io.medseg.core.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.bundle.TrainingSettings;
import io.medseg.core.engine.NativeHeap;
import io.medseg.core.engine.TensorLayout;
import io.medseg.image.LabelMap;
import io.medseg.core.infer.Argmax;
import io.medseg.core.infer.NetworkPredictor;
import io.medseg.core.nn.ComputeFormat;
import io.medseg.core.infer.SlidingWindow;
import io.medseg.core.train.TrainingListener.EpochRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToDoubleBiFunction;

/**
 * Trains a bundle's network: epochs of random augmented patches, a validation Dice after each
 * epoch on whole held-out images (sliding window), the best epoch saved as a checkpoint, and early
 * stopping after {@code patience} epochs without improvement.
 *
 * <p>Deterministic on the CPU: patches come from a {@link SplittableRandom} seeded with the
 * settings' seed, and libtorch's generator is seeded before the first step.
 */
public final class TrainingLoop {
    private final ModelBundle bundle;
    private final TrainingSettings settings;
    private final ToDoubleBiFunction<LabelMap, LabelMap> validationDice;
    private final TrainingListener listener;
    private final Checkpoint checkpoint;
    private final FineTuning fineTuning;

    /** Receives the network whenever validation improves. */
    @FunctionalInterface
    public interface Checkpoint {
        void save(ModelBundle bundle, EpochRecord record) throws IOException;
    }

    /**
     * What a run achieved.
     *
     * @param stoppedEarly patience ran out
     * @param stoppedByUser the listener asked to stop: the run can be continued from its last finished epoch
     */
    public record Result(List<EpochRecord> history, int bestEpoch, double bestDice, boolean stoppedEarly,
            boolean stoppedByUser) {}

    /**
     * @param validationDice (reference, prediction) → mean foreground Dice; supplied by the caller so
     *     the metric is defined once, in the evaluation module
     */
    public TrainingLoop(ModelBundle bundle, TrainingSettings settings,
            ToDoubleBiFunction<LabelMap, LabelMap> validationDice, TrainingListener listener, Checkpoint checkpoint) {
        this(bundle, settings, validationDice, listener, checkpoint, null);
    }

    /** @param fineTuning for a network started from a trained bundle: what is frozen, how fast the rest learns (null: neither) */
    public TrainingLoop(ModelBundle bundle, TrainingSettings settings,
            ToDoubleBiFunction<LabelMap, LabelMap> validationDice, TrainingListener listener, Checkpoint checkpoint,
            FineTuning fineTuning) {
        if (settings.patchSize().length != bundle.config().patchSize().length) {
            throw new IllegalArgumentException("patch size has " + settings.patchSize().length
                    + " axes but the network is " + bundle.config().patchSize().length + "D");
        }
        this.bundle = bundle;
        this.settings = settings;
        this.validationDice = validationDice;
        this.listener = listener;
        this.checkpoint = checkpoint;
        this.fineTuning = fineTuning;
    }

    public Result run(List<TrainingCase> training, List<TrainingCase> validation) throws IOException {
        return run(training, validation, null, false);
    }

    /**
     * @param stateDir where the state after each epoch is saved for a continued run (null: not saved)
     * @param resume continue from the state in {@code stateDir}: same weights, optimiser moments,
     *     schedule position, history and patch stream as if the run had not stopped
     */
    public Result run(List<TrainingCase> training, List<TrainingCase> validation, Path stateDir, boolean resume)
            throws IOException {
        TrainingState from = resume ? TrainingState.read(stateDir) : null;
        int total = settings.epochs() * settings.iterationsPerEpoch();
        long[] patchXyz = TensorLayout.xyz(settings.patchSize());
        Engine.getInstance().setRandomSeed((int) settings.seed());
        SplittableRandom random = new SplittableRandom(settings.seed());
        PatchSampler sampler = new PatchSampler(training, patchXyz, settings);
        Loss loss = Optimizers.loss(settings);
        int stepsDone = from == null ? 0 : from.stepsDone();
        if (fineTuning != null) {
            fineTuning.freeze().apply(bundle.block()); // before the trainer: frozen arrays get no gradient
        }
        Optimizer optimizer = optimizer(total, stepsDone);
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(optimizer)
                .optDevices(new Device[] {bundle.device()})
                .optInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                        XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        List<EpochRecord> history = new ArrayList<>(from == null ? List.of() : from.history());
        double bestDice = from == null ? Double.NEGATIVE_INFINITY : from.bestDice();
        int bestEpoch = from == null ? 0 : from.bestEpoch();
        boolean stoppedEarly = false;
        boolean stoppedByUser = false;
        listener.started(total, training.size(), validation.size());
        ComputeFormat format = ComputeFormat.of(settings.arithmetic());
        try (Trainer trainer = bundle.model().newTrainer(config);
                TrainingStep stepper = new TrainingStep(trainer, bundle.block(), optimizer, format,
                        settings.gradientClipNorm());
                PatchBatches batches = new PatchBatches(sampler, random, settings.batchSize(),
                        bundle.config().inputChannels(), patchXyz, stepsDone)) {
            trainer.initialize(TensorLayout.tensorShape(settings.batchSize(), bundle.config().inputChannels(), patchXyz));
            if (from != null) {
                from.restore(stateDir, bundle.block(), optimizer);
            }
            DivergenceWatch divergence = new DivergenceWatch();
            epochs:
            for (int epoch = history.size() + 1; epoch <= settings.epochs(); epoch++) {
                if (settings.patience() > 0 && epoch - 1 - bestEpoch >= settings.patience()) {
                    stoppedEarly = true; // a continued run that had already run out of patience
                    break;
                }
                double lossSum = 0;
                for (int i = 0; i < settings.iterationsPerEpoch(); i++) {
                    float value = step(trainer, stepper, batches.next(), patchXyz);
                    lossSum += value;
                    int stepNumber = (epoch - 1) * settings.iterationsPerEpoch() + i + 1;
                    divergence.step(stepNumber, epoch, value);
                    listener.iteration(stepNumber, epoch, value);
                    if (listener.stopRequested()) {
                        stoppedByUser = true;
                        break epochs;
                    }
                }
                double dice = validate(validation, format);
                NativeHeap.releaseFreed(); // the one-arena allocator of `medseg train` otherwise keeps it
                boolean best = dice > bestDice;
                if (best) {
                    bestDice = dice;
                    bestEpoch = epoch;
                }
                double lr = Optimizers.schedule(settings, total).getNewValue(epoch * settings.iterationsPerEpoch());
                EpochRecord record = new EpochRecord(epoch, lossSum / settings.iterationsPerEpoch(), dice, lr, best,
                        bestDice, bestEpoch);
                history.add(record);
                if (best && checkpoint != null) {
                    checkpoint.save(bundle, record);
                }
                if (stateDir != null) {
                    new TrainingState(epoch, epoch * settings.iterationsPerEpoch(), bestDice, bestEpoch, history)
                            .save(stateDir, bundle.block(), optimizer);
                }
                listener.epochEnded(record);
                if (settings.patience() > 0 && epoch - bestEpoch >= settings.patience()) {
                    stoppedEarly = epoch < settings.epochs();
                    break;
                }
            }
        }
        return new Result(List.copyOf(history), bestEpoch, bestDice, stoppedEarly, stoppedByUser);
    }

    /** The settings' optimiser; for fine-tuning with a slower rate for pretrained layers, one per group. */
    private Optimizer optimizer(int total, int stepsDone) {
        Optimizer full = Optimizers.optimizer(settings, Optimizers.schedule(settings, total), stepsDone);
        if (fineTuning == null || fineTuning.pretrainedLearningRate() == 1f) {
            return full;
        }
        float factor = fineTuning.pretrainedLearningRate();
        Tracker schedule = Optimizers.schedule(settings, total);
        Optimizer slow = Optimizers.optimizer(settings, update -> factor * schedule.getNewValue(update), stepsDone);
        Set<String> ids = new HashSet<>();
        bundle.block().getParameters().forEach(p -> {
            if (fineTuning.pretrained().contains(p.getKey())) {
                ids.add(p.getValue().getId());
            }
        });
        return new SplitOptimizer(ids, slow, full);
    }

    private float step(Trainer trainer, TrainingStep stepper, PatchBatches.Batch batch, long[] patchXyz) {
        int b = settings.batchSize();
        int channels = bundle.config().inputChannels();
        float[] images = batch.images();
        int[] labels = batch.labels();
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDArray x = manager.create(images, TensorLayout.tensorShape(b, channels, patchXyz));
            NDArray y = manager.create(labels, TensorLayout.labelShape(b, patchXyz));
            return stepper.run(x, y);
        }
    }

    /** Mean validation Dice over cases (cases where it is undefined are skipped), predicted in the training's precision. */
    private double validate(List<TrainingCase> validation, ComputeFormat format) {
        NetworkPredictor predictor = new NetworkPredictor(bundle, false, format);
        double sum = 0;
        int n = 0;
        for (TrainingCase c : validation) {
            // padding holds what training padded with (an imported nnU-Net model's cases pad with 0, not air)
            SlidingWindow window = new SlidingWindow(TensorLayout.xyz(settings.patchSize()), 0.25, settings.batchSize(),
                    true, c.fillValue());
            float[] probabilities = window.predict(c.image(), c.sizeXyz(), c.channels(), bundle.config().classes(),
                    predictor, null);
            LabelMap prediction = LabelMap.wrap(Argmax.labels(probabilities, bundle.config().classes()),
                    c.sizeXyz(), c.reference().geometry(), c.reference().labelNames());
            double dice = validationDice.applyAsDouble(c.reference(), prediction);
            if (!Double.isNaN(dice)) {
                sum += dice;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
