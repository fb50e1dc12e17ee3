package io.medseg.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medseg.evaluation.report.ErrorOverlay;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The plugin in Debian's ImageJ under Xvfb ({@code scripts/imagej-gui-test.sh}, which installs the
 * packages when missing): the menu, Open Scan → Segment Image → Evaluate Segmentation, the recorder.
 * Runs after package (the integration-test phase), when the plugin jar and its libraries exist.
 */
class ImageJGuiTest {
    private static final Path OUT = Path.of("target", "gui-test").toAbsolutePath();

    @Test
    void menuSegmentEvaluateAndRecordInARealImageJ() throws Exception {
        Path log = Files.createDirectories(OUT.getParent()).resolve("gui-test.log");
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("..", "scripts", "imagej-gui-test.sh").toString(),
                OUT.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MEDSEG_NO_BUILD", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "the GUI session finished");
        List<String> session = Files.readAllLines(OUT.resolve("session.txt"));
        assertEquals(0, p.exitValue(), String.join("\n", session) + "\n" + Files.readString(log));
        assertEquals("OK", session.get(session.size() - 1));
        assertTrue(session.contains("replayed: same labels"), String.join("\n", session));
        assertTrue(session.contains("saved ct_003.seg.dcm: 2 segments"), "Save Mask wrote a DICOM SEG: "
                + String.join("\n", session));
        String console = Files.readString(OUT.resolve("imagej.log"));
        assertFalse(console.contains("SLF4J"), "no SLF4J lines on ImageJ's console: " + console);

        // the pictures show what they claim: the open submenu's five entries, the outlines' colours
        BufferedImage menu = ImageIO.read(OUT.resolve("imagej-menu.png").toFile());
        assertTrue(menu.getWidth() > 500 && distinctColours(menu) > 20, "menu screenshot has content");
        BufferedImage overlay = ImageIO.read(OUT.resolve("imagej-overlay.png").toFile());
        assertTrue(count(overlay, ScanImages.labelColour(1).getRGB()) > 50, "liver outline (red) visible");
        assertTrue(count(overlay, ScanImages.labelColour(2).getRGB()) > 50, "kidney outline (green) visible");
        BufferedImage evaluation = ImageIO.read(OUT.resolve("imagej-evaluation.png").toFile());
        assertTrue(count(evaluation, ErrorOverlay.FALSE_POSITIVE.getRGB()) > 0
                || count(evaluation, ErrorOverlay.FALSE_NEGATIVE.getRGB()) > 0,
                "error colours visible");
    }

    private static long count(BufferedImage img, int argb) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += (img.getRGB(x, y) & 0xffffff) == (argb & 0xffffff) ? 1 : 0;
            }
        }
        return n;
    }

    private static int distinctColours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
