package io.medseg.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.optimizer.Optimizer;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.medseg.core.engine.InPlaceCopy;
import io.medseg.core.train.TrainingListener.EpochRecord;
import io.medseg.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a training run stands after an epoch, saved so that a killed run can continue exactly
 * (nnU-Net's {@code checkpoint_latest}): the epoch, the history and the best epoch so far
 * ({@code state.json}), the network's current weights with BatchNorm statistics
 * ({@code weights.ndlist}) and the optimiser's moments ({@code optimizer.ndlist}), both in the order
 * of the block's parameters. The random
 * stream of the patches is not stored: it is replayed from the seed (the patches of the finished
 * epochs are drawn again and dropped), so a continued run sees the patches an uninterrupted one would.
 *
 * @param stepsDone optimiser steps of the finished epochs (also the schedule's position)
 */
public record TrainingState(int epoch, int stepsDone, double bestDice, int bestEpoch, List<EpochRecord> history) {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().setPrettyPrinting().create();
    private static final String STATE = "state.json";
    private static final String WEIGHTS = "weights.ndlist";
    private static final String OPTIMIZER = "optimizer.ndlist";

    public TrainingState {
        history = List.copyOf(history);
    }

    /** Writes the state folder atomically (a kill while saving leaves the previous epoch's state). */
    void save(Path dir, Block block, Optimizer optimizer) throws IOException {
        AtomicFiles.removeStaleTemporaries(dir);
        Path tmp = AtomicFiles.temporaryDirectory(dir);
        try {
            Files.writeString(tmp.resolve(STATE), GSON.toJson(this), StandardCharsets.UTF_8);
            NDList weights = new NDList();
            block.getParameters().forEach(p -> weights.add(p.getValue().getArray()));
            Files.write(tmp.resolve(WEIGHTS), weights.encode());
            Files.write(tmp.resolve(OPTIMIZER), OptimizerMoments.encode(optimizer, block));
            AtomicFiles.replaceDirectory(tmp, dir);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteRecursively(tmp);
            throw e;
        }
    }

    /** Reads only {@code state.json} (to tell the user where a run stopped). */
    public static TrainingState read(Path dir) throws IOException {
        Path file = dir.resolve(STATE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(dir + ": no saved training state (" + STATE + " missing)");
        }
        try {
            TrainingState s = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), TrainingState.class);
            if (s == null || s.history() == null || s.epoch() < 1 || s.history().size() != s.epoch()) {
                throw new IOException(file + ": incomplete training state");
            }
            return s;
        } catch (JsonParseException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies the weights into {@code block}'s parameter arrays in place (so the trainer, which holds
     * those arrays, and their gradients stay as they are) and the moments into {@code optimizer}.
     * Call after the trainer is initialised.
     */
    void restore(Path dir, Block block, Optimizer optimizer) throws IOException {
        NDManager manager = block.getParameters().valueAt(0).getArray().getManager().newSubManager();
        try (manager; NDList weights = NDList.decode(manager, Files.readAllBytes(dir.resolve(WEIGHTS)));
                NDList moments = NDList.decode(manager, Files.readAllBytes(dir.resolve(OPTIMIZER)))) {
            if (weights.size() != block.getParameters().size()) {
                throw new IOException(dir.resolve(WEIGHTS) + ": " + weights.size() + " arrays for a network with "
                        + block.getParameters().size() + " parameters");
            }
            int i = 0;
            for (var p : block.getParameters()) {
                NDArray target = p.getValue().getArray();
                NDArray saved = weights.get(i++);
                if (!saved.getShape().equals(target.getShape())) {
                    throw new IOException(dir.resolve(WEIGHTS) + ": " + p.getKey() + " has shape " + saved.getShape()
                            + ", the network's " + target.getShape());
                }
                InPlaceCopy.copy(saved, target);
            }
            OptimizerMoments.restore(optimizer, block, moments);
        } catch (IllegalArgumentException e) {
            throw new IOException(dir + ": " + e.getMessage(), e);
        }
    }
}
