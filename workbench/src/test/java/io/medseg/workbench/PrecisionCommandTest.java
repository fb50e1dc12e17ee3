package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.medseg.core.engine.CpuFeatures;
import io.medseg.io.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --precision}: the bundled models and an nnU-Net model folder in bf16 keep their float32 masks
 * but for at most 0.1 % of the voxels (the quality bar of docs/precision.md), the choice is printed
 * and recorded, and a bf16 run is reproduced in bf16.
 */
class PrecisionCommandTest {
    private static final String DATA = "../sample-scans/data/";
    /** nnU-Net's own model folder (its code trained the fixture): the nnU-Net pipeline in bf16. */
    private static final String NNUNET_FIXTURES = "nnunet-import/src/test/resources/nnunet/fixtures/";
    private static final double MOST_CHANGED = 0.001;

    @ParameterizedTest
    @CsvSource({"sample-scans/models/tooth-root-unet2d, sample-scans/data/Dataset001_ToothRoot/imagesTs",
            "sample-scans/models/abdomen-ct-unet3d, sample-scans/data/Dataset002_AbdomenCT/imagesTs/ct_004_0000.nii.gz",
            "sample-scans/models/abdomen-ct-vnet, sample-scans/data/Dataset002_AbdomenCT/imagesTs/ct_004_0000.nii.gz",
            NNUNET_FIXTURES + "nnUNet_results/Dataset991_TinyCT/nnUNetTrainer_Fixture__nnUNetPlansTinyLowres__3d_lowres, "
                    + NNUNET_FIXTURES + "test_images/Dataset991_TinyCT/images"})
    void bf16KeepsTheModelsMasks(String model, String input, @TempDir Path tmp) throws Exception {
        String modelPath = "../" + model;
        Path fp32 = tmp.resolve("fp32");
        Path bf16 = tmp.resolve("bf16");
        CommandLineTest.Run a = medseg("segment", "--model", modelPath, "--input", "../" + input, "--output",
                fp32.toString());
        assertEquals(0, a.code(), a.err());
        assertTrue(a.err().contains("precision fp32 (the default)"), a.err());
        CommandLineTest.Run b = medseg("segment", "--model", modelPath, "--input", "../" + input, "--output",
                bf16.toString(), "--precision", "bf16");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.err().contains("precision bf16 (asked for)"), b.err());
        assertEquals(!CpuFeatures.current().nativeBf16(), b.err().contains("libtorch emulates it"), b.err());
        assertEquals("bf16", JsonParser.parseString(Files.readString(bf16.resolve("manifest.json"))).getAsJsonObject()
                .get("precision").getAsString());

        long voxels = 0;
        long changed = 0;
        List<Path> masks;
        try (Stream<Path> s = Files.list(fp32)) {
            masks = s.filter(p -> !p.getFileName().toString().equals("manifest.json")).sorted().toList();
        }
        assertTrue(!masks.isEmpty(), "masks written");
        for (Path mask : masks) {
            byte[] x = ImageFiles.readLabels(mask, Map.of()).data();
            byte[] y = ImageFiles.readLabels(bf16.resolve(mask.getFileName()), Map.of()).data();
            assertEquals(x.length, y.length);
            for (int i = 0; i < x.length; i++) {
                changed += x[i] != y[i] ? 1 : 0;
            }
            voxels += x.length;
        }
        assertTrue(changed <= MOST_CHANGED * voxels, model + ": bf16 changed " + changed + " of " + voxels + " voxels");
        System.out.printf("%s: bf16 changed %d of %d voxels%n", model, changed, voxels);
    }

    /** MEDSEG_CPU_ISA=avx2 pins oneDNN below bf16 (ONEDNN_MAX_CPU_ISA=AVX2): auto is fp32 there, and says why. */
    @Test
    void kernelsPinnedBelowBf16MakeAutoFp32() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Xmx1g", "-cp", System.getProperty("java.class.path"), Medseg.class.getName(),
                "--version");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("ONEDNN_MAX_CPU_ISA", "AVX2");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES));
        assertTrue(out.contains("precision: --precision auto would run fp32 (auto: kernels pinned to AVX2 "
                + "(ONEDNN_MAX_CPU_ISA), no native bf16)"), out);
    }

    @Test
    void aBf16RunIsReproducedInBf16AndUnknownChoicesAreRefused(@TempDir Path tmp) throws Exception {
        String model = "../sample-scans/models/tooth-root-unet2d";
        String images = DATA + "Dataset001_ToothRoot/imagesTs";
        Path out = tmp.resolve("auto");
        CommandLineTest.Run run = medseg("segment", "--model", model, "--input", images, "--output", out.toString(),
                "--precision", "auto");
        assertEquals(0, run.code(), run.err());
        String chosen = CpuFeatures.current().nativeBf16() ? "bf16" : "fp32";
        assertTrue(run.err().contains("precision " + chosen + " (auto: " + CpuFeatures.current().describeBf16() + ")"),
                run.err());
        assertEquals(chosen, JsonParser.parseString(Files.readString(out.resolve("manifest.json"))).getAsJsonObject()
                .get("precision").getAsString());
        CommandLineTest.Run again = medseg("reproduce", out.toString(), "--output", tmp.resolve("again").toString());
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().contains("--precision " + chosen) && again.out().contains("reproduced: 8 of 8"),
                again.out());

        CommandLineTest.Run bad = medseg("segment", "--model", model, "--input", images, "--output",
                tmp.resolve("x").toString(), "--precision", "fp16");
        assertEquals(1, bad.code(), bad.err());
        assertTrue(bad.err().contains("precision must be auto, fp32 or bf16, got 'fp16'"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }
}
