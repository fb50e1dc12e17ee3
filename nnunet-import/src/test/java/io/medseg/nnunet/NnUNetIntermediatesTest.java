package io.medseg.nnunet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medseg.image.Volume;
import io.medseg.io.PlainImages;
import io.medseg.io.nifti.Nifti;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each step on its own against nnU-Net's arrays for a real test image and fold 0 (written by the
 * fixture script from nnU-Net's own objects): the preprocessed array, the network's logits on the
 * first padded patch, and the sliding window's half-precision logits before export.
 */
class NnUNetIntermediatesTest {
    static final Path FIXTURES = NnUNetAgreementTest.FIXTURES;

    @ParameterizedTest
    @ValueSource(strings = {"ct3d_plain", "ct3d_resenc", "tiny2d_plain", "ctzfirst3d_plain", "ct3d_lowres"})
    void preprocessingNetworkAndSlidingWindowEqualNnUNets(String key) throws Exception {
        Path dir = FIXTURES.resolve("intermediates").resolve(key);
        JsonObject info = JsonParser.parseString(Files.readString(dir.resolve("intermediates.json"))).getAsJsonObject();
        JsonObject manifest = JsonParser.parseString(Files.readString(FIXTURES.resolve("manifest.json"))).getAsJsonObject();
        String folder = null;
        for (var m : manifest.getAsJsonArray("models")) {
            if (m.getAsJsonObject().get("key").getAsString().equals(key)) {
                folder = m.getAsJsonObject().get("folder").getAsString();
            }
        }
        Path image = FIXTURES.resolve("test_images").resolve(info.getAsJsonArray("test_image").get(0).getAsString());
        Volume scan = image.toString().endsWith(".png") ? PlainImages.readVolume(image) : Nifti.readVolume(image);
        try (NnUNetModel model = NnUNetModel.load(FIXTURES.resolve(folder), List.of("0"), NnUNetModelFolder.Checkpoint.FINAL,
                Device.cpu())) {
            long[] size = scan.sizeXyz();
            int[] shape = size.length == 3 ? new int[] {(int) size[2], (int) size[1], (int) size[0]}
                    : new int[] {1, (int) size[1], (int) size[0]};
            double[] sp = scan.geometry().spacingMm();
            double[] spacing = size.length == 3 ? new double[] {sp[2], sp[1], sp[0]} : new double[] {999, sp[1], sp[0]};
            NnUNetPreprocessor.Preprocessed p = NnUNetPreprocessor.run(scan.data(), model.inputChannels(), shape, spacing,
                    model.plan(), model.architecture().spatialDims());
            Npy expected = Npy.read(dir.resolve("preprocessed.npy"));
            assertArrayEquals(java.util.Arrays.copyOfRange(expected.shape(), 1, 4), java.util.Arrays.stream(p.shape())
                    .asLongStream().toArray(), key + ": preprocessed shape");
            double pre = worst(expected.values(), p.data());
            assertTrue(pre <= 1e-5, key + ": preprocessing differs by " + pre);

            Npy patch = Npy.read(dir.resolve("patch_input.npy"));
            Npy patchLogits = Npy.read(dir.resolve("patch_logits.npy"));
            int[] patchSize = model.patch();
            float[] logits = model.forward(patch.values(), patchSize);
            double net = worst(patchLogits.values(), logits) / max(patchLogits.values());
            assertTrue(net <= 1e-4, key + ": patch logits differ by " + net + " of the largest");

            Npy window = Npy.read(dir.resolve("sliding_window_logits.npy"));
            float[] ours = model.logits(expected.values(), java.util.Arrays.stream(expected.shape()).skip(1)
                    .mapToInt(v -> (int) v).toArray(), 0.5, false);
            long differing = 0;
            double worstWindow = 0;
            for (int i = 0; i < ours.length; i++) {
                double d = Math.abs(ours[i] - window.values()[i]);
                worstWindow = Math.max(worstWindow, d);
                differing += d > 0 ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "%s: preprocessing max |Δ| %.2e; patch logits max |Δ| %.2e of the largest; "
                    + "sliding-window half logits: %d of %d differ, max |Δ| %.2e%n", key, pre, net, differing, ours.length,
                    worstWindow);
            // equal but where one half-precision rounding went the other way: one half-ulp step, rarely
            assertTrue(differing <= ours.length / 100, key + ": " + differing + " of " + ours.length + " logits differ");
            assertTrue(worstWindow <= 0.01 * max(window.values()), key + ": logits differ by " + worstWindow);
        }
    }

    private static double worst(float[] a, float[] b) {
        double w = 0;
        for (int i = 0; i < a.length; i++) {
            w = Math.max(w, Math.abs(a[i] - b[i]));
        }
        return w;
    }

    private static double max(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
