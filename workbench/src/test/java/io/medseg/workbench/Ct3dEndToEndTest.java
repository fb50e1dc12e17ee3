package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medseg.core.bundle.ModelBundle;
import io.medseg.core.nn.NetworkParts;
import io.medseg.core.train.Freeze;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.dicom.DicomSeries;
import io.medseg.io.nifti.Nifti;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 3D end to end through the command line: a tiny synthetic CT set (varied spacing, one case stored
 * with flipped axes) → plan → train a tiny unet3d and V-Net → segment NIfTI and a DICOM CT series;
 * every mask lands on its scan's grid.
 */
class Ct3dEndToEndTest {
    static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "liver", 2, "kidney");
    @TempDir
    static Path shared;
    static Path dataset;

    @BeforeAll
    static void makeDataset() throws Exception {
        dataset = shared.resolve("Dataset910_TinyCT");
        double[][] spacings = {{2.0, 2.0, 4.0}, {1.8, 1.8, 5.0}, {2.2, 2.2, 4.0}, {2.0, 2.0, 3.0}, {1.9, 1.9, 4.5},
                {2.1, 2.1, 4.0}};
        for (int c = 0; c < spacings.length; c++) {
            boolean flipped = c == 2;
            String split = c < 5 ? "Tr" : "Ts";
            writeCase(dataset, split, "ct_" + c, spacings[c], flipped, c);
        }
        Files.writeString(dataset.resolve("dataset.json"), "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0,"
                + " \"liver\": 1, \"kidney\": 2}, \"numTraining\": 5, \"file_ending\": \".nii.gz\"}");
    }

    /** Air around a body of soft tissue with a bright liver and a brighter, small kidney, plus noise. */
    static void writeCase(Path root, String split, String id, double[] spacing, boolean flipped, long seed) throws Exception {
        long[] size = {(long) Math.round(80 / spacing[0]), (long) Math.round(72 / spacing[1]), (long) Math.round(48 / spacing[2])};
        int n = (int) (size[0] * size[1] * size[2]);
        float[] hu = new float[n];
        byte[] labels = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        double shift = r.nextDouble() * 6 - 3;
        int i = 0;
        for (int z = 0; z < size[2]; z++) {
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++, i++) {
                    double px = x * spacing[0] - 40;
                    double py = y * spacing[1] - 36;
                    double pz = z * spacing[2] - 24;
                    double value = -1000;
                    if (sq(px / 36) + sq(py / 30) < 1) {
                        value = 20;
                        if (sq((px + 12 - shift) / 16) + sq((py + 4) / 14) + sq(pz / 18) < 1) {
                            value = 70;
                            labels[i] = 1;
                        } else if (sq((px - 18) / 6) + sq((py - 12) / 6) + sq((pz - shift) / 9) < 1) {
                            value = 160;
                            labels[i] = 2;
                        }
                    }
                    hu[i] = (float) (value + 12 * r.nextGaussian());
                }
            }
        }
        double[] direction = flipped ? new double[] {-1, 0, 0, 0, 1, 0, 0, 0, -1} : new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
        Geometry g = new Geometry(spacing, new double[] {10, -20, 30}, direction);
        Nifti.write(Volume.wrap(hu, size, 1, g), root.resolve("images" + split).resolve(id + "_0000.nii.gz"), false);
        Nifti.write(LabelMap.wrap(labels, size, g, LABELS), root.resolve("labels" + split).resolve(id + ".nii.gz"), false);
    }

    static void copyTree(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    private static double sq(double v) {
        return v * v;
    }

    /**
     * Transfer learning in 3D, the case: kidney only, from a liver + kidney model. The child
     * keeps the parent's plan, normalisation and network; its head has 2 channels, the kidney one the
     * parent's kidney filter; the frozen encoder is bit-identical to the parent's after training.
     */
    @Test
    void aKidneyOnlyDatasetFineTunesTheUnet3dWithItsPlanAndAFrozenEncoder(@TempDir Path tmp) throws Exception {
        Path parent = tmp.resolve("parent");
        assertEquals(0, medseg("train", "--data", dataset.toString(), "--output", parent.toString(), "--arch", "unet3d",
                "--epochs", "1", "--iterations", "2", "--filters", "4", "--max-filters", "8", "--memory-budget", "0.02",
                "--device", "cpu").code());
        Path kidney = tmp.resolve("Dataset911_TinyKidney");
        Map<Integer, String> kidneyLabels = Map.of(0, "background", 1, "kidney");
        for (String split : List.of("Tr", "Ts")) {
            Files.createDirectories(kidney.resolve("images" + split));
            Files.createDirectories(kidney.resolve("labels" + split));
            try (Stream<Path> s = Files.list(dataset.resolve("labels" + split))) {
                for (Path label : s.toList()) {
                    String name = label.getFileName().toString();
                    Files.copy(dataset.resolve("images" + split).resolve(name.replace(".nii.gz", "_0000.nii.gz")),
                            kidney.resolve("images" + split).resolve(name.replace(".nii.gz", "_0000.nii.gz")));
                    LabelMap both = Nifti.readLabels(label, LABELS);
                    byte[] only = both.data().clone();
                    for (int i = 0; i < only.length; i++) {
                        only[i] = (byte) (only[i] == 2 ? 1 : 0);
                    }
                    Nifti.write(LabelMap.wrap(only, both.sizeXyz(), both.geometry(), kidneyLabels),
                            kidney.resolve("labels" + split).resolve(name), false);
                }
            }
        }
        Files.writeString(kidney.resolve("dataset.json"), "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": "
                + "{\"background\": 0, \"kidney\": 1}, \"numTraining\": 5, \"file_ending\": \".nii.gz\"}");
        Path child = tmp.resolve("child");
        CommandLineTest.Run run = medseg("train", "--data", kidney.toString(), "--output", child.toString(), "--init-from",
                parent.toString(), "--freeze", "encoder", "--epochs", "1", "--iterations", "2", "--device", "cpu");
        assertEquals(0, run.code(), run.err());
        JsonObject p = JsonParser.parseString(Files.readString(parent.resolve("model.json"))).getAsJsonObject();
        JsonObject c = JsonParser.parseString(Files.readString(child.resolve("model.json"))).getAsJsonObject();
        for (String key : List.of("architecture", "arguments", "plan", "intensity", "patchSize", "spacingMm")) {
            assertEquals(p.get(key), c.get(key), key + " is the parent's");
        }
        assertEquals("head replaced: 2 labels, all from the parent (channels {0=0, 1=2})",
                c.getAsJsonObject("provenance").get("parent_head").getAsString());
        try (var pb = ModelBundle.load(parent, Device.cpu());
                var cb = ModelBundle.load(child, Device.cpu())) {
            Set<String> encoder = new HashSet<>();
            for (var b : Freeze.parse("encoder").blocks(cb.block())) {
                b.getParameters().forEach(e -> encoder.add(e.getValue().getId()));
            }
            int checked = 0;
            for (var e : cb.block().getParameters()) {
                if (encoder.contains(e.getValue().getId())) {
                    assertArrayEquals(pb.block().getParameters().get(e.getKey()).getArray().toFloatArray(),
                            e.getValue().getArray().toFloatArray(), e.getKey());
                    checked++;
                }
            }
            assertTrue(checked > 10, checked + " encoder arrays compared");
            var head = NetworkParts.of(cb.block()).head().getParameters().get(0).getValue().getArray();
            assertEquals(2, head.getShape().get(0), "background and kidney");
        }
        assertTrue(medseg("info", child.toString()).out().contains("fine-tuned from parent (sha256 "), "lineage in info");
    }

    @Test
    void unet3dPlansTrainsAndSegmentsOnTheScansOwnGrid(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("ct-unet3d");
        CommandLineTest.Run train = medseg("train", "--data", dataset.toString(), "--output", model.toString(), "--arch",
                "unet3d", "--epochs", "2", "--iterations", "2", "--filters", "4", "--max-filters", "8", "--memory-budget", "0.02",
                "--device", "cpu");
        assertEquals(0, train.code(), train.err());
        JsonObject json = JsonParser.parseString(Files.readString(model.resolve("model.json"))).getAsJsonObject();
        JsonObject plan = json.getAsJsonObject("plan");
        assertTrue(plan != null && plan.has("targetSpacingMm") && plan.has("strides"), json.toString());
        assertEquals("CT", json.getAsJsonObject("intensity").get("scheme").getAsString());
        assertEquals(8, json.getAsJsonObject("arguments").get("maxFilters").getAsInt(), "--max-filters caps the widths");
        double clipLow = json.getAsJsonObject("intensity").get("clipLow").getAsDouble();
        assertTrue(clipLow > 0 && clipLow < 70, "0.5th percentile of liver and kidney HU, got " + clipLow);
        assertEquals(json.getAsJsonArray("patchSize"), plan.getAsJsonArray("patchSize"));
        assertTrue(Files.readString(tmp.resolve("ct-unet3d.training/history.csv")).lines().count() == 3, "header + 2 epochs");
        assertTrue(Files.readString(tmp.resolve("ct-unet3d.training/train.log")).contains("plan: spacing"));

        Path masks = tmp.resolve("masks");
        CommandLineTest.Run seg = medseg("segment", "--model", model.toString(), "--input",
                dataset.resolve("imagesTs").toString(), "--output", masks.toString(), "--tta", "--largest-component", "--keep-components", "kidney=2");
        assertEquals(0, seg.code(), seg.err());
        Volume scan = Nifti.readVolume(dataset.resolve("imagesTs/ct_5_0000.nii.gz"));
        LabelMap mask = Nifti.readLabels(masks.resolve("ct_5.nii.gz"), LABELS);
        assertArrayEquals(scan.sizeXyz(), mask.sizeXyz());
        assertNull(scan.geometry().mismatch(mask.geometry()), "the mask overlays its scan");
        // probabilities: one channel per class on the scan's grid, summing to 1, the mask their argmax
        Path withProbabilities = tmp.resolve("masks-p");
        assertEquals(0, medseg("segment", "--model", model.toString(), "--input", dataset.resolve("imagesTs").toString(),
                "--output", withProbabilities.toString(), "--save-probabilities").code());
        Volume probabilities = Nifti.readVolume(withProbabilities.resolve("ct_5_probabilities.nii.gz"));
        assertArrayEquals(scan.sizeXyz(), probabilities.sizeXyz());
        assertEquals(3, probabilities.channels());
        assertNull(scan.geometry().mismatch(probabilities.geometry()));
        byte[] labels = Nifti.readLabels(withProbabilities.resolve("ct_5.nii.gz"), LABELS).data();
        int voxels = labels.length;
        for (int v = 0; v < voxels; v += 7) {
            float a = probabilities.data()[v];
            float b = probabilities.data()[voxels + v];
            float c = probabilities.data()[2 * voxels + v];
            assertEquals(1.0, a + b + c, 1e-4, "voxel " + v);
            int best = b > a && b >= c ? 1 : c > a && c > b ? 2 : 0;
            assertEquals(best, labels[v], "voxel " + v + " is the argmax of its probabilities");
        }

        // a DICOM CT series (another grid, spacing and orientation) segments onto the series' grid
        Path dicom = Files.createDirectories(tmp.resolve("dicom/oblique"));
        try (Stream<Path> s = Files.list(Path.of("../io-dicom/src/test/resources/series/oblique"))) {
            for (Path p : s.toList()) {
                Files.copy(p, dicom.resolve(p.getFileName()));
            }
        }
        Path dicomMasks = tmp.resolve("dicom-masks");

        // NIfTI scans and DICOM series in one folder: every case is segmented. A scan whose grid at the
        // model's spacing is absurd (10 m voxels) fails alone; the case after it is still done.
        Path mixed = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(dataset.resolve("imagesTs/ct_5_0000.nii.gz"), mixed.resolve("ct_5_0000.nii.gz"));
        Volume absurd = Volume.wrap(scan.data(), scan.sizeXyz(), 1, new Geometry(new double[] {1e4, 1e4, 1e4},
                new double[3], new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}));
        Nifti.write(absurd, mixed.resolve("a_huge_0000.nii.gz"), false);
        copyTree(dicom, mixed.resolve("series"));
        Path mixedMasks = tmp.resolve("mixed-masks");

        // a few hundred NaN and infinite voxels: replaced and said, the mask as for the clean scan
        float[] holes = scan.data().clone();
        for (int i = 0; i < 340; i++) {
            holes[(i * 7919) % holes.length] = i < 300 ? Float.NaN : i < 320 ? Float.POSITIVE_INFINITY
                    : Float.NEGATIVE_INFINITY;
        }
        Path nanDir = Files.createDirectories(tmp.resolve("nan"));
        Nifti.write(Volume.wrap(holes, scan.sizeXyz(), 1, scan.geometry()), nanDir.resolve("ct_5_0000.nii.gz"), false);
        CommandLineTest.Run nseg = medseg("segment", "--model", model.toString(), "--input", nanDir.toString(), "--output",
                tmp.resolve("nan-masks").toString());
        assertEquals(0, nseg.code(), nseg.err());
        assertTrue(nseg.err().contains("warning: ct_5: 300 NaN, 20 +infinite and 20 -infinite voxel(s) (of "), nseg.err());
        // the same scan with the holes filled by hand (lowest finite HU for NaN and -inf, highest for +inf)
        float low = Float.POSITIVE_INFINITY;
        float high = Float.NEGATIVE_INFINITY;
        for (float v : holes) {
            if (Float.isFinite(v)) {
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        float[] filled = holes.clone();
        for (int i = 0; i < filled.length; i++) {
            filled[i] = Float.isNaN(filled[i]) || filled[i] == Float.NEGATIVE_INFINITY ? low
                    : filled[i] == Float.POSITIVE_INFINITY ? high : filled[i];
        }
        Path filledDir = Files.createDirectories(tmp.resolve("filled"));
        Nifti.write(Volume.wrap(filled, scan.sizeXyz(), 1, scan.geometry()), filledDir.resolve("ct_5_0000.nii.gz"), false);
        assertEquals(0, medseg("segment", "--model", model.toString(), "--input", filledDir.toString(), "--output",
                tmp.resolve("filled-masks").toString()).code());
        byte[] expected = Nifti.readLabels(tmp.resolve("filled-masks/ct_5.nii.gz"), LABELS).data();
        byte[] withHoles = Nifti.readLabels(tmp.resolve("nan-masks/ct_5.nii.gz"), LABELS).data();
        assertArrayEquals(expected, withHoles, "NaN and infinities segmented as their replacements");
        int labelled = 0;
        for (byte b : withHoles) {
            labelled += b != 0 ? 1 : 0;
        }
        assertTrue(labelled > 0, "not an empty mask");

        CommandLineTest.Run mseg = medseg("segment", "--model", model.toString(), "--input", mixed.toString(), "--output",
                mixedMasks.toString());
        assertEquals(4, mseg.code(), mseg.err());
        assertTrue(mseg.err().contains("failed a_huge: " + mixed.resolve("a_huge_0000.nii.gz") + ": the scan of "),
                mseg.err());
        assertTrue(mseg.err().contains("more than one Java array holds"), mseg.err());
        assertTrue(mseg.out().contains("3 case(s); wrote 2 mask(s)") && mseg.out().contains("1 case(s) failed"), mseg.out());
        assertTrue(Files.isRegularFile(mixedMasks.resolve("ct_5.nii.gz")));
        assertEquals(2, Files.readAllLines(mixedMasks.resolve("series.csv")).size(), "header + the one series");

        CommandLineTest.Run dseg = medseg("segment", "--model", model.toString(), "--input", dicom.getParent().toString(),
                "--output", dicomMasks.toString());
        assertEquals(0, dseg.code(), dseg.err());
        List<String> csv = Files.readAllLines(dicomMasks.resolve("series.csv"));
        String maskFile = csv.get(1).split(",")[1]; // series_instance_uid,mask_file,…
        assertEquals("oblique.nii.gz", maskFile, "named after the series' folder");
        LabelMap dicomMask = Nifti.readLabels(dicomMasks.resolve(maskFile), LABELS);
        Volume series = DicomSeries.scan(dicom).series().get(0).load();
        assertArrayEquals(series.sizeXyz(), dicomMask.sizeXyz());
        assertNull(series.geometry().mismatch(dicomMask.geometry()));
    }

    /** A 2D NIfTI (one slice) among 3D cases is refused by a 3D network, naming the case and its file. */
    @Test
    void aSingleSliceCaseIsRefusedByA3dNetwork(@TempDir Path tmp) throws Exception {
        Path copy = tmp.resolve("ds");
        copyTree(dataset.resolve("imagesTr"), copy.resolve("imagesTr"));
        copyTree(dataset.resolve("labelsTr"), copy.resolve("labelsTr"));
        Files.copy(dataset.resolve("dataset.json"), copy.resolve("dataset.json"));
        Volume one = Nifti.readVolume(copy.resolve("imagesTr/ct_0_0000.nii.gz"));
        LabelMap oneLabels = Nifti.readLabels(copy.resolve("labelsTr/ct_0.nii.gz"), LABELS);
        long[] size = {one.sizeXyz()[0], one.sizeXyz()[1], 1};
        int plane = (int) (size[0] * size[1]);
        Nifti.write(Volume.wrap(Arrays.copyOf(one.data(), plane), size, 1, one.geometry()),
                copy.resolve("imagesTr/flat_0000.nii.gz"), false);
        Nifti.write(LabelMap.wrap(Arrays.copyOf(oneLabels.data(), plane), size, one.geometry(), LABELS),
                copy.resolve("labelsTr/flat.nii.gz"), false);
        CommandLineTest.Run train = medseg("train", "--data", copy.toString(), "--output", tmp.resolve("m").toString(),
                "--arch", "unet3d", "--epochs", "1", "--iterations", "1", "--device", "cpu");
        assertEquals(1, train.code(), train.err());
        assertTrue(train.err().contains(copy.resolve("imagesTr/flat_0000.nii.gz") + ": case flat is 2D (["
                + size[0] + ", " + size[1] + ", 1] voxels), but the network is 3D"), train.err());
    }

    @Test
    void vnetTrainsWithAGivenSpacingAndPatch(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("ct-vnet");
        CommandLineTest.Run train = medseg("train", "--data", dataset.toString(), "--output", model.toString(), "--arch",
                "vnet", "--epochs", "1", "--iterations", "2", "--filters", "4", "--spacing", "4x4x6", "--patch-size",
                "32x16x16", "--device", "cpu");
        assertEquals(0, train.code(), train.err());
        JsonObject json = JsonParser.parseString(Files.readString(model.resolve("model.json"))).getAsJsonObject();
        assertEquals("[4.0,4.0,6.0]", json.get("spacingMm").toString());
        assertEquals("[16,16,32]", json.get("patchSize").toString(), "x×y×z typed, ([D,] H, W) stored");
        assertEquals("INSTANCE", json.getAsJsonObject("arguments").get("norm").getAsString(), "the default V-Net");
        // instance normalisation at a deepest level of one voxel: said before training, not mid-run by libtorch
        CommandLineTest.Run single = medseg("train", "--data", dataset.toString(), "--output", tmp.resolve("w").toString(),
                "--arch", "vnet", "--filters", "4", "--spacing", "4x4x6", "--patch", "16x16x16");
        assertEquals(1, single.code(), single.err());
        assertTrue(single.err().contains("patch 16x16x16 (x×y×z): instance normalisation needs 2 or more voxels at the"
                + " deepest level"), single.err());
        assertEquals(16, json.getAsJsonObject("arguments").getAsJsonArray("downConvs").size() * 4, "the paper's 4 stages");
        CommandLineTest.Run both = medseg("train", "--data", dataset.toString(), "--output", tmp.resolve("v").toString(),
                "--arch", "vnet", "--patch", "16x16x32", "--patch-size", "32x16x16");
        assertEquals(1, both.code());
        assertTrue(both.err().contains("--patch-size and --patch give the same thing"), both.err());
        CommandLineTest.Run bad = medseg("train", "--data", dataset.toString(), "--output", tmp.resolve("x").toString(),
                "--arch", "vnet", "--patch", "24x16x16");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("multiple of 16x16x16 (x×y×z)"), bad.err());
        CommandLineTest.Run depth = medseg("train", "--data", dataset.toString(), "--output", tmp.resolve("y").toString(),
                "--arch", "unet3d", "--depth", "3");
        assertEquals(1, depth.code());
        assertTrue(depth.err().contains("error: depth applies to unet2d"), depth.err());
        CommandLineTest.Run cap = medseg("train", "--data", dataset.toString(), "--output", tmp.resolve("z").toString(),
                "--arch", "vnet", "--max-filters", "64");
        assertEquals(1, cap.code());
        assertTrue(cap.err().contains("error: max filters apply to unet3d"), cap.err());
    }

    /** The V-Net's stage counts, kernel and normalisation are settings by name, checked for their kind. */
    @Test
    void networkSettingsByNameShapeTheVnetAndAreCheckedAgainstThePlan(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("ct-vnet-small");
        CommandLineTest.Run train = medseg("train", "--data", dataset.toString(), "--output", model.toString(), "--arch",
                "vnet", "--epochs", "1", "--iterations", "1", "--filters", "4", "--spacing", "4x4x6", "--patch", "8x8x8",
                "--network", "downConvs=1,2", "--network", "upConvs=2,1", "--network", "kernel=3", "--network", "norm=BATCH",
                "--device", "cpu");
        assertEquals(0, train.code(), train.err());
        JsonObject args = JsonParser.parseString(Files.readString(model.resolve("model.json"))).getAsJsonObject()
                .getAsJsonObject("arguments");
        assertEquals("[1,2]", args.get("downConvs").toString());
        assertEquals("[2,1]", args.get("upConvs").toString());
        assertEquals(3, args.get("kernel").getAsInt());
        assertEquals("BATCH", args.get("norm").getAsString());
        CommandLineTest.Run unknown = medseg("train", "--data", dataset.toString(), "--output", tmp.resolve("a").toString(),
                "--arch", "vnet", "--network", "kernal=3");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("error: network setting 'kernal' is not one of vnet's: baseFilters, downConvs, "
                + "dropout, kernel, norm, spatialDims, upConvs"), unknown.err());
        CommandLineTest.Run uneven = medseg("train", "--data", dataset.toString(), "--output", tmp.resolve("b").toString(),
                "--arch", "vnet", "--network", "downConvs=1,2,2");
        assertEquals(1, uneven.code());
        assertTrue(uneven.err().contains("downConvs and upConvs need one entry per down stage"), uneven.err());
        CommandLineTest.Run planned = medseg("train", "--data", dataset.toString(), "--output", tmp.resolve("c").toString(),
                "--arch", "unet3d", "--filters", "4", "--network", "strides=1,1,1", "--device", "cpu");
        assertEquals(1, planned.code());
        assertTrue(planned.err().contains("error: network setting 'strides' of unet3d is a list of lists (set per stage by "
                + "the plan, not by name)"), planned.err());
        CommandLineTest.Run word = medseg("train", "--data", dataset.toString(), "--output", tmp.resolve("d").toString(),
                "--arch", "vnet", "--network", "kernel=five");
        assertEquals(1, word.code());
        assertTrue(word.err().contains("error: network setting 'kernel' of vnet is a number (default 5), got 'five'"),
                word.err());
    }
}
