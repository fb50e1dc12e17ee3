package io.medseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.engine.Precision;
import io.medseg.core.train.TrainingListener;
import io.medseg.samples.ToothRootDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The training run as a front end without a command line (the Fiji plugin) uses it: stop, then continue. */
class TrainingRunTest {

    private static TrainingRequest request(Path data, Path out, boolean resume, Precision precision) {
        return TrainingRequest.builder(data, out).arch("unet2d").epochs(4).iterations(3).batch(2).patch(new int[] {16, 16})
                .seed(9L).depth(1).filters(2).patience(0).validationFraction(0.25f).resume(resume).precision(precision)
                .build();
    }

    /** In both precisions: a bf16 run continues with its float32 master weights and optimiser moments. */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void aStopKeepsTheBestBundleAndTheRunContinuesToTheUninterruptedResult(Precision precision, @TempDir Path tmp)
            throws Exception {
        Path data = tmp.resolve("Dataset904_Stop");
        ToothRootDataset.write(data, 21, 4, 1, 48, 32);
        Path straight = tmp.resolve("straight");
        TrainingRun.run(request(data, straight, false, precision), Device.cpu(), new TrainingListener() {}, line -> {});

        Path stopped = tmp.resolve("stopped");
        TrainingListener stopInEpochThree = new TrainingListener() {
            private int steps;

            @Override
            public void iteration(int done, int epoch, float loss) {
                steps = done;
            }

            @Override
            public boolean stopRequested() {
                return steps == 7; // the first step of epoch 3 (3 steps per epoch)
            }
        };
        StoppedException e = assertThrows(StoppedException.class,
                () -> TrainingRun.run(request(data, stopped, false, precision), Device.cpu(), stopInEpochThree, line -> {}));
        assertTrue(e.getMessage().contains("stopped during epoch 3") && e.getMessage().contains("continued from epoch 2"),
                e.getMessage());
        assertFalse(ModelBundle.readConfig(stopped).complete(), "a stopped run's bundle is not marked complete");
        assertTrue(Files.isDirectory(TrainingRun.stateDir(stopped)));

        TrainingRun.run(request(data, stopped, true, precision), Device.cpu(), new TrainingListener() {}, line -> {});
        assertTrue(ModelBundle.readConfig(stopped).complete());
        assertEquals(precision, ModelBundle.readConfig(stopped).training().arithmetic());
        assertArrayEquals(Files.readAllBytes(straight.resolve("parameters.params")),
                Files.readAllBytes(stopped.resolve("parameters.params")));
        assertEquals(Files.readAllLines(TrainingFiles.of(straight).history()).stream()
                        .map(l -> l.substring(0, l.lastIndexOf(','))).toList(),
                Files.readAllLines(TrainingFiles.of(stopped).history()).stream()
                        .map(l -> l.substring(0, l.lastIndexOf(','))).toList());
    }
}
