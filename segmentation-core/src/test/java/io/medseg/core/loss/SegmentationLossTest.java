package io.medseg.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.medseg.core.Golden;
import io.medseg.core.engine.Devices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Losses against PyTorch (make_golden.py) and hand-computed cases; wrong label shapes are refused. */
class SegmentationLossTest {
    private static final Golden G = Golden.load("losses.json");

    @BeforeAll
    static void engine() {
        Devices.engine();
    }

    private static float eval(SegmentationLoss loss) {
        try (NDManager m = NDManager.newBaseManager()) {
            return loss.evaluate(new NDList(G.array(m, "labels")), new NDList(G.array(m, "logits"))).getFloat();
        }
    }

    @Test
    void crossEntropyMatchesPyTorch() {
        assertEquals(G.scalar("ce"), eval(new CrossEntropy()), 1e-5);
        assertEquals(G.scalar("ce_weighted"), eval(new CrossEntropy(G.floats("weights"))), 1e-5);
    }

    @Test
    void softDiceMatchesReferenceFormula() {
        assertEquals(G.scalar("dice_batch_nobg"), eval(new SoftDice(true, false, 1e-5f)), 1e-5);
        assertEquals(G.scalar("dice_batch_bg"), eval(new SoftDice(true, true, 1e-5f)), 1e-5);
        assertEquals(G.scalar("dice_sample_nobg"), eval(new SoftDice(false, false, 1e-5f)), 1e-5);
        assertEquals(G.scalar("dice_sample_bg"), eval(new SoftDice(false, true, 1e-5f)), 1e-5);
        assertEquals(G.scalar("dice_vnet"), eval(SoftDice.vnet()), 1e-5);
    }

    @Test
    void diceCrossEntropyIsTheWeightedSum() {
        float expected = (float) (2 * G.scalar("dice_batch_nobg") + 0.5 * G.scalar("ce"));
        assertEquals(expected, eval(new DiceCrossEntropy(new SoftDice(), new CrossEntropy(), 2f, 0.5f)), 1e-5);
    }

    @Test
    void handComputedCases() {
        try (NDManager m = NDManager.newBaseManager()) {
            // equal logits for 2 classes: p = 1/2 everywhere, CE = ln 2
            NDArray logits = m.zeros(new Shape(1, 2, 2, 2));
            NDArray labels = m.create(new float[] {0, 1, 1, 1}, new Shape(1, 2, 2));
            assertEquals(Math.log(2), new CrossEntropy().evaluate(new NDList(labels), new NDList(logits)).getFloat(), 1e-6);
            // foreground Dice of p = 1/2 on 3 foreground pixels of 4: 2·1.5 / (2 + 3) = 0.6, loss 0.4
            assertEquals(0.4, new SoftDice(true, false, 0f).evaluate(new NDList(labels), new NDList(logits)).getFloat(), 1e-6);
            // perfect confident prediction: Dice loss 0
            NDArray perfect = m.create(new float[] {20, -20, -20, -20, -20, 20, 20, 20}, new Shape(1, 2, 2, 2));
            assertEquals(0, new SoftDice(true, false, 0f).evaluate(new NDList(labels), new NDList(perfect)).getFloat(), 1e-6);
        }
    }

    @Test
    void rejectsLabelsOfTheWrongShapeOrRange() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.zeros(new Shape(2, 3, 4, 4));
            var wrong = assertThrows(IllegalArgumentException.class,
                    () -> new CrossEntropy().evaluate(new NDList(m.zeros(new Shape(2, 4, 5))), new NDList(logits)));
            assertEquals("labels have shape (2, 4, 5) but logits (2, 3, 4, 4) need labels (2, 4, 4)"
                    + " (or with a channel axis of 1)", wrong.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> new SoftDice().evaluate(new NDList(m.zeros(new Shape(4, 4))), new NDList(logits)));
            var range = assertThrows(IllegalArgumentException.class,
                    () -> new DiceCrossEntropy().evaluate(new NDList(m.full(new Shape(2, 1, 4, 4), 3f)), new NDList(logits)));
            assertTrue(range.getMessage().contains("[0, 3)"), range.getMessage());
            // (N, 1, H, W) labels are accepted
            new CrossEntropy().evaluate(new NDList(m.ones(new Shape(2, 1, 4, 4))), new NDList(logits));
        }
    }
}
