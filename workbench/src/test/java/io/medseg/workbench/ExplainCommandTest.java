package io.medseg.workbench;

import static io.medseg.workbench.CommandLineTest.medseg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code medseg explain} on the bundled 2D and 3D models: the pages, their pictures, and bad requests. */
class ExplainCommandTest {
    private static final Path RADIOGRAPH = Path.of("../sample-scans/data/Dataset001_ToothRoot/imagesTs/case_024_0000.png");
    private static final Path CT = Path.of("../sample-scans/data/Dataset002_AbdomenCT/imagesTs/ct_002_0000.nii.gz");

    @BeforeAll
    static void home() {
        System.setProperty("medseg.home", Path.of("..").toAbsolutePath().normalize().toString());
    }

    private static boolean grey(int rgb) {
        return (rgb >> 16 & 255) == (rgb >> 8 & 255) && (rgb >> 8 & 255) == (rgb & 255);
    }

    @Test
    void theToothRootModelsPagesShowItsLayersOverTheRadiograph(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("explain");
        CommandLineTest.Run run = medseg("explain", "--model", "tooth-root-unet2d", "--image", RADIOGRAPH.toString(),
                "--maximise", "encoder1:0,5", "--steps", "4", "--output", out.toString());
        assertEquals(0, run.code(), run.err());
        for (String f : List.of("index.html", "filters.png", "activations_encoder0.png", "activations_encoder2.png",
                "activations_bottleneck.png", "activations_decoder0.png", "probabilities.png", "maximised.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("Layer bottleneck") && html.contains("192 channels at 16×14")
                && html.contains("the 16 most active for this image shown"), html);
        // the 256×224 image, then its 12 encoder0 maps beside it, in 4 rows of 4, and the colour bar below
        BufferedImage maps = ImageIO.read(out.resolve("activations_encoder0.png").toFile());
        assertEquals(4 * (256 + 4) + 4, maps.getWidth());
        assertEquals(4 * (224 + 4 + 16) + 4 + 30, maps.getHeight());
        assertTrue(grey(maps.getRGB(10, 10)), "the first panel is the image itself, in grey");
        assertFalse(grey(maps.getRGB(260 + 4 + 10, 10)), "the next is a heat map, not blended with the image");
        assertEquals(3 * (256 + 4) + 4, ImageIO.read(out.resolve("probabilities.png").toFile()).getWidth());
        // 12 first-layer filters of 3×3 in one row, 96 pixels each
        assertEquals(12 * (96 + 4) + 4, ImageIO.read(out.resolve("filters.png").toFile()).getWidth());
        // each excited channel's mean activation rose
        Matcher m = Pattern.compile("encoder1 channel (\\d+): mean activation ([-0-9.]+) -> ([-0-9.]+)").matcher(run.out());
        int found = 0;
        while (m.find()) {
            assertTrue(Double.parseDouble(m.group(3)) > Double.parseDouble(m.group(2)), m.group());
            found++;
        }
        assertEquals(2, found, run.out());

        CommandLineTest.Run again = medseg("explain", "--model", "tooth-root-unet2d", "--image", RADIOGRAPH.toString(),
                "--maximise", "none", "--output", out.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains(out + " exists"), again.err());
        CommandLineTest.Run badLayer = medseg("explain", "--model", "tooth-root-unet2d", "--image", RADIOGRAPH.toString(),
                "--layers", "encoder9", "--output", tmp.resolve("other").toString());
        assertTrue(badLayer.err().contains("no layer 'encoder9'; this network has encoder0, encoder1"), badLayer.err());
        assertTrue(!Files.exists(tmp.resolve("other")), "nothing written for a bad request");
    }

    @Test
    void theCtModelsPagesShowASliceOfItsPatch(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("ct");
        CommandLineTest.Run run = medseg("explain", "--model", "abdomen-ct-unet3d", "--image", CT.toString(),
                "--layers", "encoder0,bottleneck", "--maximise", "bottleneck:0", "--steps", "2", "--output", out.toString());
        assertEquals(0, run.code(), run.err());
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("patch 96×96×32 at 3.00×3.00×4.00 mm") && html.contains("central slice shown"), html);
        // 96×96 patch slices zoomed 3×; probabilities for background, liver, kidney
        BufferedImage p = ImageIO.read(out.resolve("probabilities.png").toFile());
        // the slice and its three maps in one row, and the colour bar
        assertArrayEquals(new int[] {4 * (288 + 4) + 4, 288 + 4 + 16 + 4 + 30}, new int[] {p.getWidth(), p.getHeight()});
        assertTrue(run.out().contains("bottleneck channel 0: mean activation"), run.out());
    }
}
