package io.medseg.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.engine.Devices;
import io.medseg.core.engine.TensorLayout;
import io.medseg.core.explain.NetworkExplainer;
import io.medseg.core.infer.NetworkPredictor;
import io.medseg.core.nn.NetworkParts;
import io.medseg.core.train.TrainingCase;
import io.medseg.core.train.TrainingListener;
import io.medseg.core.train.TrainingLoop;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the explainer shows is what the network computes, on a tiny U-Net trained through libtorch. */
class NetworkExplainerTest {
    private static final long[] SIZE = {24, 16};

    @BeforeAll
    static void engine() {
        Devices.engine();
    }

    private static ModelBundle trained() throws Exception {
        ModelBundle b = ModelBundle.create(UNetTrainingTest.tinyConfig(2, 4, new int[] {16, 16}), Device.cpu(), 3);
        List<TrainingCase> cases = UNetTrainingTest.discs(4, 5);
        new TrainingLoop(b, UNetTrainingTest.settings(1), UNetTrainingTest::dice, new TrainingListener() {}, null)
                .run(cases.subList(0, 3), cases.subList(3, 4));
        return b;
    }

    private static float[] input() {
        float[] x = new float[(int) (SIZE[0] * SIZE[1])];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.37) + (i % 24 > 12 ? 1 : 0);
        }
        return x;
    }

    @Test
    void layersHaveTheirPlaceInTheNetworkAndTheShapesOfTheirLevel() throws Exception {
        try (ModelBundle b = trained()) {
            NetworkExplainer e = new NetworkExplainer(b);
            assertEquals(List.of("encoder0", "encoder1", "bottleneck", "up1", "decoder1", "up0", "decoder0", "head"),
                    e.layers().stream().map(NetworkExplainer.Layer::name).toList());
            assertEquals(List.of("encoder0", "encoder1", "bottleneck", "decoder0"),
                    e.defaultLayers().stream().map(NetworkExplainer.Layer::name).toList());
            List<NetworkExplainer.Maps> maps = e.activations(input(), SIZE, e.defaultLayers());
            assertEquals(5, maps.size());
            assertArrayEquals(new long[] {24, 16}, maps.get(0).sizeXyz());
            assertEquals(4, maps.get(0).channels());
            assertArrayEquals(new long[] {12, 8}, maps.get(1).sizeXyz());
            assertEquals(8, maps.get(1).channels());
            assertArrayEquals(new long[] {6, 4}, maps.get(2).sizeXyz());
            assertEquals(16, maps.get(2).channels());
            assertArrayEquals(new long[] {24, 16}, maps.get(3).sizeXyz());
            NetworkExplainer.Maps p = maps.get(4);
            assertEquals("probabilities", p.layer());
            assertEquals(2, p.channels());
            for (int v = 0; v < 24 * 16; v++) {
                assertEquals(1.0, p.values()[v] + p.values()[24 * 16 + v], 1e-5);
            }
            var bad = assertThrows(IllegalArgumentException.class, () -> e.layer("encoder7"));
            assertEquals("no layer 'encoder7'; this network has encoder0, encoder1, bottleneck, up1, decoder1, up0, "
                    + "decoder0, head", bad.getMessage());
        }
    }

    @Test
    void theMapsAreTheRealActivations() throws Exception {
        try (ModelBundle b = trained(); NDManager m = NDManager.newBaseManager()) {
            NetworkExplainer e = new NetworkExplainer(b);
            List<NetworkExplainer.Maps> maps = e.activations(input(), SIZE, List.of(e.layer("encoder0")));
            // the first level's encoder run alone on the same input, in inference mode
            NDArray x = m.create(input(), TensorLayout.tensorShape(1, 1, SIZE));
            NDArray direct = NetworkParts.of(b.block()).levels().get(0).encoder()
                    .forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            assertArrayEquals(direct.toFloatArray(), maps.get(0).values());
            // and the probabilities are the predictor's, which segmentation uses
            float[] predicted = new NetworkPredictor(b).predict(input(), 1, SIZE, 1);
            assertArrayEquals(predicted, maps.get(1).values(), 1e-6f);
        }
    }

    @Test
    void firstLayerFiltersAreTheFirstConvolutionsWeights() throws Exception {
        try (ModelBundle b = trained()) {
            NetworkExplainer.Filters f = new NetworkExplainer(b).firstLayerFilters();
            assertEquals(4, f.count());
            assertEquals(1, f.inputChannels());
            assertArrayEquals(new long[] {3, 3}, f.kernelXyz());
            assertArrayEquals(b.block().getParameters().get(0).getValue().getArray().toFloatArray(), f.weights());
        }
    }

    @Test
    void gradientAscentIncreasesTheChosenActivationAndLeavesTheWeights() throws Exception {
        try (ModelBundle b = trained()) {
            NetworkExplainer e = new NetworkExplainer(b);
            float[] weightsBefore = b.block().getParameters().get(0).getValue().getArray().toFloatArray();
            NetworkExplainer.Excitation x = e.maximise(e.layer("encoder1"), 3, new long[] {16, 16}, 20, 0.1, 0.01, 1);
            assertEquals(21, x.trace().length);
            assertTrue(x.after() > x.before() + 0.1, "mean activation " + x.before() + " -> " + x.after());
            assertEquals(16 * 16, x.input().length);
            for (float v : x.input()) {
                assertTrue(v >= -3 && v <= 3);
            }
            assertArrayEquals(weightsBefore, b.block().getParameters().get(0).getValue().getArray().toFloatArray());
            assertTrue(b.block().getParameters().get(0).getValue().requiresGradient(), "weights trainable again");
            var bad = assertThrows(IllegalArgumentException.class, () -> e.maximise(e.layer("encoder0"), 9,
                    new long[] {16, 16}, 1, 0.1, 0, 1));
            assertEquals("layer encoder0 has 4 channels, no channel 9", bad.getMessage());
        }
    }
}
