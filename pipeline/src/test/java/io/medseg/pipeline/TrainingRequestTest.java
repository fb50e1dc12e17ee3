package io.medseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.core.bundle.TrainingSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The defaults live in one place; front ends pass what the user left empty as null. */
class TrainingRequestTest {
    private static final Path DATA = Path.of("data");
    private static final Path OUT = Path.of("out");

    @Test
    void anEmptyRequestHasTheDocumentedDefaults() {
        TrainingRequest r = TrainingRequest.builder(DATA, OUT).build();
        assertEquals(DATA, r.data());
        assertEquals(OUT, r.output());
        assertNull(r.arch(), "derived: the parent's, else " + TrainingRequest.ARCHITECTURE);
        assertEquals("unet2d", TrainingRequest.ARCHITECTURE);
        assertEquals(30, r.epochs());
        assertEquals(50, r.iterations());
        assertNull(r.batch());
        assertNull(r.patch());
        assertNull(r.spacingMm());
        assertEquals(4.0, r.memoryBudgetGb());
        assertEquals(42L, r.seed());
        assertEquals(1e-3f, r.learningRate());
        assertEquals(1e-4f, r.weightDecay());
        assertEquals(0.99f, r.momentum());
        assertEquals(TrainingSettings.OptimizerKind.ADAMW, r.optimizer());
        assertEquals(TrainingSettings.Schedule.POLY, r.schedule());
        assertEquals(TrainingSettings.LossKind.DICE_CE, r.loss());
        assertEquals(10, r.patience());
        assertEquals(0.2f, r.validationFraction());
        assertTrue(r.augmentation());
        assertFalse(r.overwrite());
        assertFalse(r.resume());
        assertNull(r.fineTune());
        assertEquals(Map.of(), r.network());
        assertEquals(12f, r.gradientClipNorm());
    }

    @Test
    void nullKeepsTheDefaultAndAValueReplacesIt() {
        TrainingRequest r = TrainingRequest.builder(DATA, OUT).epochs(null).iterations(7).seed(null).learningRate(0.01f)
                .gradientClipNorm(0f).patience(0).build();
        assertEquals(TrainingRequest.EPOCHS, r.epochs());
        assertEquals(7, r.iterations());
        assertEquals(TrainingRequest.SEED, r.seed());
        assertEquals(0.01f, r.learningRate());
        assertEquals(0f, r.gradientClipNorm(), "0 switches clipping off, it is not 'unset'");
        assertEquals(0, r.patience());
    }

    @Test
    void aBuiltRequestDoesNotChangeWithItsBuilderOrItsArrays() {
        int[] patch = {16, 32};
        TrainingRequest.Builder b = TrainingRequest.builder(DATA, OUT).patch(patch).epochs(3);
        TrainingRequest r = b.build();
        patch[0] = 99;
        b.epochs(5).patch(new int[] {8, 8});
        r.patch()[1] = 77;
        assertArrayEquals(new int[] {16, 32}, r.patch());
        assertEquals(3, r.epochs());
        TrainingRequest again = r.toBuilder().resume(true).build();
        assertTrue(again.resume());
        assertFalse(r.resume());
        assertArrayEquals(new int[] {16, 32}, again.patch());
    }
}
