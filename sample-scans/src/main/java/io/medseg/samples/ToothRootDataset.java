package io.medseg.samples;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.medseg.files.AtomicFiles;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.PlainImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the synthetic tooth-root dataset in the nnU-Net v2 layout: {@code dataset.json},
 * {@code imagesTr/case_NNN_0000.png}, {@code labelsTr/case_NNN.png}, {@code imagesTs/},
 * {@code labelsTs/}. Case k uses seed {@code seed + k}, so any case can be regenerated alone.
 *
 * <p>Usage: {@code ToothRootDataset OUT_DIR [seed] [train] [test] [width] [height]}
 */
public final class ToothRootDataset {
    public static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "tooth root");

    /** Which structure the masks mark: the roots (the bundled model's task) or the root canals inside them. */
    public enum Structure {
        TOOTH_ROOT("tooth root"), ROOT_CANAL("root canal");

        private final String label;

        Structure(String label) {
            this.label = label;
        }

        public Map<Integer, String> labels() {
            return Map.of(0, "background", 1, label);
        }

        byte[] mask(DentalRadiographs.Radiograph r) {
            return this == TOOTH_ROOT ? r.rootMask() : r.canalMask();
        }
    }

    private ToothRootDataset() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ToothRootDataset OUT_DIR [seed=2015] [train=24] [test=8] [width=256] [height=224]");
            System.exit(2);
        }
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 2015;
        int train = args.length > 2 ? Integer.parseInt(args[2]) : 24;
        int test = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int width = args.length > 4 ? Integer.parseInt(args[4]) : 256;
        int height = args.length > 5 ? Integer.parseInt(args[5]) : 224;
        write(Path.of(args[0]), seed, train, test, width, height);
        System.out.println("wrote " + train + " training and " + test + " test cases to " + args[0]);
    }

    /** Writes the whole dataset into {@code dir} (which must not exist) via a temporary folder. */
    public static void write(Path dir, long seed, int train, int test, int width, int height) throws IOException {
        write(dir, seed, train, test, width, height, Structure.TOOTH_ROOT, 0);
    }

    /**
     * @param testSeedOffset test case j uses seed {@code seed + testSeedOffset + j} when positive (so the
     *     test set stays the same whatever the number of training cases), else {@code seed + train + j}
     */
    public static void write(Path dir, long seed, int train, int test, int width, int height, Structure structure,
            long testSeedOffset) throws IOException {
        if (Files.exists(dir)) {
            throw new IOException(dir + " exists; remove it first (nothing is overwritten)");
        }
        Path tmp = AtomicFiles.temporaryDirectory(dir);
        try {
            for (int k = 0; k < train + test; k++) {
                boolean training = k < train;
                String id = String.format("case_%03d", k);
                long caseSeed = training || testSeedOffset <= 0 ? seed + k : seed + testSeedOffset + (k - train);
                DentalRadiographs.Radiograph r = DentalRadiographs.generate(caseSeed, width, height);
                Geometry g = Geometry.identity(2);
                long[] size = {width, height};
                PlainImages.writeGrey(Volume.wrap(r.image(), size, 1, g),
                        tmp.resolve(training ? "imagesTr" : "imagesTs").resolve(id + "_0000.png"), false, false);
                PlainImages.writeLabels(LabelMap.wrap(structure.mask(r), size, g, structure.labels()),
                        tmp.resolve(training ? "labelsTr" : "labelsTs").resolve(id + ".png"), false);
            }
            String name = dir.toAbsolutePath().normalize().getFileName().toString();
            Files.writeString(tmp.resolve("dataset.json"), datasetJson(name, seed, train, width, height, structure),
                    StandardCharsets.UTF_8);
            AtomicFiles.moveAtomically(tmp, dir);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteRecursively(tmp);
            throw e;
        }
    }

    /** nnU-Net's dataset.json; its name is the folder's, as nnU-Net's DatasetXXX_Name folders have it (and generate-ct). */
    private static String datasetJson(String name, long seed, int train, int width, int height, Structure structure) {
        JsonObject channels = new JsonObject();
        channels.addProperty("0", "radiograph");
        JsonObject labels = new JsonObject();
        labels.addProperty("background", 0);
        labels.addProperty(structure.label, 1);
        JsonObject d = new JsonObject();
        d.add("channel_names", channels);
        d.add("labels", labels);
        d.addProperty("numTraining", train);
        d.addProperty("file_ending", ".png");
        d.addProperty("name", name);
        d.addProperty("description", "Synthetic periapical dental radiographs (" + width + "x" + height
                + ", 8-bit) with " + structure.label.replace(' ', '-') + " masks, generated by io.medseg.samples.ToothRootDataset with seed "
                + seed);
        d.addProperty("licence", "CC0-1.0");
        return new GsonBuilder().setPrettyPrinting().create().toJson(d) + "\n";
    }
}
