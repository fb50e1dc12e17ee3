package io.medseg.pipeline;

import io.medseg.core.train.Freeze;
import io.medseg.core.bundle.TrainingSettings.LossKind;
import io.medseg.core.bundle.TrainingSettings.OptimizerKind;
import io.medseg.core.bundle.TrainingSettings.Schedule;
import io.medseg.core.engine.Precision;
import io.medseg.unet.UNetArchitecture;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a training run is asked for, built with {@link #builder}. The defaults live here and only
 * here: the command line, the Fiji dialogs and the tests start from them. Null in a getter means
 * "derived by the run": the patch and spacing planned from the data (3D) or {@link #PATCH_2D} (2D),
 * the batch {@link #BATCH_3D} or {@link #BATCH_2D}, depth and filters the architecture's.
 */
public final class TrainingRequest {
    /** The network trained when neither the request nor a parent model names one. */
    public static final String ARCHITECTURE = UNetArchitecture.NAME;
    public static final int EPOCHS = 30;
    public static final int ITERATIONS = 50;
    public static final int BATCH_2D = 4;
    /** nnU-Net's batch for 3D patches. */
    public static final int BATCH_3D = 2;
    /** Tensor order (H, W). */
    public static final int[] PATCH_2D = {160, 160};
    public static final double MEMORY_BUDGET_GB = 4;
    public static final long SEED = 42;
    public static final float LEARNING_RATE = 1e-3f;
    public static final float WEIGHT_DECAY = 1e-4f;
    /** nnU-Net's SGD momentum. */
    public static final float MOMENTUM = 0.99f;
    public static final OptimizerKind OPTIMIZER = OptimizerKind.ADAMW;
    public static final Schedule SCHEDULE = Schedule.POLY;
    public static final LossKind LOSS = LossKind.DICE_CE;
    public static final int PATIENCE = 10;
    public static final float VALIDATION_FRACTION = 0.2f;
    /** The gradients' global norm is clipped at this unless asked otherwise (nnU-Net's 12; docs/experiments/vnet-defaults.md). */
    public static final float GRADIENT_CLIP_NORM = 12f;

    /**
     * Transfer learning: start from a trained bundle ({@code --init-from}), whose network, spacing,
     * plan and intensity normalisation the run keeps; the labels come from the dataset.
     *
     * @param parent a bundle folder or zip
     * @param pretrainedLearningRate factor on the learning rate of the layers taken from the parent (1 = same)
     */
    public record FineTune(Path parent, Freeze freeze, float pretrainedLearningRate) {}

    private final Builder b;

    private TrainingRequest(Builder b) {
        this.b = b.copy();
    }

    /** A request with every default; the dataset folder and the bundle to write are the two things always given. */
    public static Builder builder(Path data, Path output) {
        return new Builder(data, output);
    }

    /** A builder holding this request's settings, to change some of them. */
    public Builder toBuilder() {
        return b.copy();
    }

    public Path data() {
        return b.data;
    }

    public Path output() {
        return b.output;
    }

    /** Null: the parent's when fine-tuning, else {@link #ARCHITECTURE}. */
    public String arch() {
        return b.arch;
    }

    public int epochs() {
        return b.epochs;
    }

    public int iterations() {
        return b.iterations;
    }

    public Integer batch() {
        return b.batch;
    }

    /** Tensor order ([D,] H, W), or null. */
    public int[] patch() {
        return b.patch == null ? null : b.patch.clone();
    }

    /** x, y, z in mm, or null. */
    public double[] spacingMm() {
        return b.spacingMm == null ? null : b.spacingMm.clone();
    }

    /** Activation memory of one training step the planned patch must fit (3D). */
    public double memoryBudgetGb() {
        return b.memoryBudgetGb;
    }

    public long seed() {
        return b.seed;
    }

    public float learningRate() {
        return b.learningRate;
    }

    public float weightDecay() {
        return b.weightDecay;
    }

    public float momentum() {
        return b.momentum;
    }

    public OptimizerKind optimizer() {
        return b.optimizer;
    }

    public Schedule schedule() {
        return b.schedule;
    }

    public LossKind loss() {
        return b.loss;
    }

    public Integer depth() {
        return b.depth;
    }

    public Integer filters() {
        return b.filters;
    }

    public Integer maxFilters() {
        return b.maxFilters;
    }

    public int patience() {
        return b.patience;
    }

    public float validationFraction() {
        return b.validationFraction;
    }

    public boolean augmentation() {
        return b.augmentation;
    }

    public boolean overwrite() {
        return b.overwrite;
    }

    /**
     * Continue the interrupted run that wrote {@link #output}, exactly where its last finished
     * epoch left it (nnU-Net's {@code --c}); the other settings must be the same.
     */
    public boolean resume() {
        return b.resume;
    }

    /** Null: a run without a parent model. */
    public FineTune fineTune() {
        return b.fineTune;
    }

    /** Settings of the network by the names {@code model.json} gives them. */
    public Map<String, String> network() {
        return b.network;
    }

    public float gradientClipNorm() {
        return b.gradientClipNorm;
    }

    /** The training's arithmetic (fp32 unless asked). */
    public Precision precision() {
        return b.precision;
    }

    /**
     * Sets what differs from the defaults. A setter given null keeps the default, so a front end
     * can pass what the user left empty as it is.
     */
    public static final class Builder {
        private final Path data;
        private final Path output;
        private String arch;
        private int epochs = EPOCHS;
        private int iterations = ITERATIONS;
        private Integer batch;
        private int[] patch;
        private double[] spacingMm;
        private double memoryBudgetGb = MEMORY_BUDGET_GB;
        private long seed = SEED;
        private float learningRate = LEARNING_RATE;
        private float weightDecay = WEIGHT_DECAY;
        private float momentum = MOMENTUM;
        private OptimizerKind optimizer = OPTIMIZER;
        private Schedule schedule = SCHEDULE;
        private LossKind loss = LOSS;
        private Integer depth;
        private Integer filters;
        private Integer maxFilters;
        private int patience = PATIENCE;
        private float validationFraction = VALIDATION_FRACTION;
        private boolean augmentation = true;
        private boolean overwrite;
        private boolean resume;
        private FineTune fineTune;
        private Map<String, String> network = Map.of();
        private float gradientClipNorm = GRADIENT_CLIP_NORM;
        private Precision precision = Precision.FP32;

        private Builder(Path data, Path output) {
            this.data = data;
            this.output = output;
        }

        private Builder copy() {
            Builder c = new Builder(data, output);
            c.arch = arch;
            c.epochs = epochs;
            c.iterations = iterations;
            c.batch = batch;
            c.patch = patch == null ? null : patch.clone();
            c.spacingMm = spacingMm == null ? null : spacingMm.clone();
            c.memoryBudgetGb = memoryBudgetGb;
            c.seed = seed;
            c.learningRate = learningRate;
            c.weightDecay = weightDecay;
            c.momentum = momentum;
            c.optimizer = optimizer;
            c.schedule = schedule;
            c.loss = loss;
            c.depth = depth;
            c.filters = filters;
            c.maxFilters = maxFilters;
            c.patience = patience;
            c.validationFraction = validationFraction;
            c.augmentation = augmentation;
            c.overwrite = overwrite;
            c.resume = resume;
            c.fineTune = fineTune;
            c.network = network;
            c.gradientClipNorm = gradientClipNorm;
            c.precision = precision;
            return c;
        }

        public TrainingRequest build() {
            return new TrainingRequest(this);
        }

        public Builder arch(String name) {
            arch = name;
            return this;
        }

        public Builder epochs(Integer n) {
            epochs = n != null ? n : epochs;
            return this;
        }

        public Builder iterations(Integer n) {
            iterations = n != null ? n : iterations;
            return this;
        }

        public Builder batch(Integer n) {
            batch = n;
            return this;
        }

        /** @param tensorOrder ([D,] H, W); null plans it (3D) or takes {@link #PATCH_2D} (2D) */
        public Builder patch(int[] tensorOrder) {
            patch = tensorOrder == null ? null : tensorOrder.clone();
            return this;
        }

        /** @param xyz mm; null plans it from the data (3D) */
        public Builder spacingMm(double[] xyz) {
            spacingMm = xyz == null ? null : xyz.clone();
            return this;
        }

        public Builder memoryBudgetGb(Double gb) {
            memoryBudgetGb = gb != null ? gb : memoryBudgetGb;
            return this;
        }

        public Builder seed(Long s) {
            seed = s != null ? s : seed;
            return this;
        }

        public Builder learningRate(Float lr) {
            learningRate = lr != null ? lr : learningRate;
            return this;
        }

        public Builder weightDecay(Float w) {
            weightDecay = w != null ? w : weightDecay;
            return this;
        }

        public Builder momentum(Float m) {
            momentum = m != null ? m : momentum;
            return this;
        }

        public Builder optimizer(OptimizerKind o) {
            optimizer = o != null ? o : optimizer;
            return this;
        }

        public Builder schedule(Schedule s) {
            schedule = s != null ? s : schedule;
            return this;
        }

        public Builder loss(LossKind l) {
            loss = l != null ? l : loss;
            return this;
        }

        public Builder depth(Integer d) {
            depth = d;
            return this;
        }

        public Builder filters(Integer f) {
            filters = f;
            return this;
        }

        public Builder maxFilters(Integer f) {
            maxFilters = f;
            return this;
        }

        /** Early-stopping patience in epochs (0 = off). */
        public Builder patience(Integer epochsWithoutGain) {
            patience = epochsWithoutGain != null ? epochsWithoutGain : patience;
            return this;
        }

        public Builder validationFraction(Float f) {
            validationFraction = f != null ? f : validationFraction;
            return this;
        }

        public Builder augmentation(boolean on) {
            augmentation = on;
            return this;
        }

        public Builder overwrite(boolean replace) {
            overwrite = replace;
            return this;
        }

        public Builder resume(boolean continueRun) {
            resume = continueRun;
            return this;
        }

        public Builder fineTune(FineTune f) {
            fineTune = f;
            return this;
        }

        public Builder network(Map<String, String> settings) {
            network = settings == null ? Map.of() : Map.copyOf(settings);
            return this;
        }

        /** @param norm the gradients' global L2 norm is clipped at this (0 = off) */
        public Builder gradientClipNorm(Float norm) {
            gradientClipNorm = norm != null ? norm : gradientClipNorm;
            return this;
        }

        /** @param p fp32 or bf16 (bf16: as PyTorch's autocast, float32 master weights) */
        public Builder precision(Precision p) {
            precision = p != null ? p : precision;
            return this;
        }
    }
}
