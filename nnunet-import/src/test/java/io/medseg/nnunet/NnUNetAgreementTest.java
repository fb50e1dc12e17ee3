package io.medseg.nnunet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.PlainImages;
import io.medseg.io.nifti.Nifti;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end proof: real nnU-Net v2 model folders, trained and run by nnU-Net's own code
 * (scripts/nnunet/make-fixtures.sh), against this reader on the same test images: every fold alone,
 * the fold ensemble, mirroring on and off. Masks agree on at least 99.9 % of voxels with the same
 * geometry; probabilities (where nnU-Net saved them) agree closely, the differences coming from
 * half-precision roundings that the network's last float bits tip.
 */
class NnUNetAgreementTest {
    static final Path FIXTURES = Path.of("src/test/resources/nnunet/fixtures");

    /** One prediction folder of nnU-Net's and what this reader made of the same inputs. */
    record Agreement(String set, String image, long voxels, long foreground, long differing, double worstProbability,
            long probabilityValues, long probabilitiesOver1e5) {}

    @Test
    void masksAndProbabilitiesAgreeWithNnUNetsOwnPredictor() throws Exception {
        JsonObject manifest = JsonParser.parseString(Files.readString(FIXTURES.resolve("manifest.json"))).getAsJsonObject();
        List<Agreement> all = new ArrayList<>();
        for (JsonElement m : manifest.getAsJsonArray("models")) {
            JsonObject model = m.getAsJsonObject();
            Path folder = FIXTURES.resolve(model.get("folder").getAsString());
            Path images = FIXTURES.resolve("test_images").resolve(model.get("dataset").getAsString()).resolve("images");
            List<Path> predictionSets;
            try (Stream<Path> s = Files.list(FIXTURES.resolve("predictions").resolve(model.get("key").getAsString()))) {
                predictionSets = s.sorted().toList();
            }
            assertFalse(predictionSets.isEmpty(), "no predictions of " + model.get("key"));
            int before = all.size();
            for (Path set : predictionSets) {
                JsonObject settings = JsonParser.parseString(Files.readString(set.resolve("predictor_settings.json")))
                        .getAsJsonObject();
                List<String> folds = new ArrayList<>();
                settings.getAsJsonArray("folds").forEach(f -> folds.add(f.getAsString()));
                boolean mirror = settings.get("use_mirroring").getAsBoolean();
                try (NnUNetModel nnunet = NnUNetModel.load(folder, folds, NnUNetModelFolder.Checkpoint.FINAL, Device.cpu())) {
                    for (Path image : files(images)) {
                        all.add(compare(nnunet, image, set, mirror));
                    }
                }
            }
            // agreement on masks of background alone would prove little: each model labels something somewhere
            long foreground = all.subList(before, all.size()).stream().mapToLong(Agreement::foreground).sum();
            assertTrue(foreground > 0, model.get("key") + ": nnU-Net labelled no voxel in any prediction");
        }
        long voxels = all.stream().mapToLong(Agreement::voxels).sum();
        long differing = all.stream().mapToLong(Agreement::differing).sum();
        long foreground = all.stream().mapToLong(Agreement::foreground).sum();
        System.out.printf(Locale.ROOT, "nnU-Net agreement: %d predictions, %d of %d voxels differ (%d foreground in "
                + "nnU-Net's masks)%n", all.size(), differing, voxels, foreground);
        for (Agreement a : all) {
            assertTrue(a.differing() <= a.voxels() / 1000, a.set() + " " + a.image() + ": " + a.differing() + " of "
                    + a.voxels() + " voxels differ from nnU-Net's mask");
            if (a.probabilityValues() > 0) {
                System.out.printf(Locale.ROOT, "  %s %s: probabilities max |Δ| %.2e, %d of %d values over 1e-5%n", a.set(),
                        a.image(), a.worstProbability(), a.probabilitiesOver1e5(), a.probabilityValues());
                assertTrue(a.worstProbability() < 5e-3, a.set() + " " + a.image() + ": probabilities differ by "
                        + a.worstProbability());
                assertTrue(a.probabilitiesOver1e5() <= a.probabilityValues() / 1000, a.set() + " " + a.image() + ": "
                        + a.probabilitiesOver1e5() + " of " + a.probabilityValues() + " probabilities differ by > 1e-5");
            }
        }
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static Agreement compare(NnUNetModel nnunet, Path image, Path set, boolean mirror) throws IOException {
        String name = image.getFileName().toString();
        boolean png = name.endsWith(".png");
        String ending = png ? ".png" : ".nii.gz";
        String caseId = name.substring(0, name.length() - ending.length() - "_0000".length());
        Volume scan = png ? PlainImages.readVolume(image) : Nifti.readVolume(image);
        Path npz = set.resolve(caseId + ".npz");
        NnUNetModel.Prediction p = nnunet.predict(scan, 0.5, mirror, Files.exists(npz));
        Path theirs = set.resolve(caseId + ending);
        LabelMap expected = png ? PlainImages.readLabels(theirs, nnunet.labelNames())
                : Nifti.readLabels(theirs, nnunet.labelNames());
        assertEquals(java.util.Arrays.toString(expected.sizeXyz()), java.util.Arrays.toString(p.mask().sizeXyz()),
                set + " " + name);
        if (!png) {
            assertNull(expected.geometry().mismatch(p.mask().geometry()), set + " " + name + ": the mask's geometry");
        }
        byte[] a = expected.data();
        byte[] b = p.mask().data();
        long differing = 0;
        long foreground = 0;
        for (int i = 0; i < a.length; i++) {
            differing += a[i] != b[i] ? 1 : 0;
            foreground += a[i] != 0 ? 1 : 0;
        }
        double worst = 0;
        long over = 0;
        long values = 0;
        if (Files.exists(npz)) {
            float[] q = npzArray(npz, "probabilities");
            values = q.length;
            assertEquals(q.length, p.probabilities().length, set + " " + name + ": probability count");
            for (int i = 0; i < q.length; i++) {
                double d = Math.abs(q[i] - p.probabilities()[i]);
                worst = Math.max(worst, d);
                over += d > 1e-5 ? 1 : 0;
            }
        }
        return new Agreement(set.getParent().getFileName() + "/" + set.getFileName(), name, a.length, foreground, differing,
                worst, values, over);
    }

    /** One array of an .npz (a zip of .npy files). */
    static float[] npzArray(Path npz, String key) throws IOException {
        try (ZipFile z = new ZipFile(npz.toFile())) {
            var entry = z.getEntry(key + ".npy");
            Path tmp = Files.createTempFile("npz", ".npy");
            try {
                try (var in = z.getInputStream(entry)) {
                    Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                return Npy.read(tmp).values();
            } finally {
                Files.delete(tmp);
            }
        }
    }
}
