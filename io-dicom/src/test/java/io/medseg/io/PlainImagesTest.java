package io.medseg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainImagesTest {
    static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "root");

    @Test
    void greyRoundTripsIn8And16BitAndKeepsOrientation(@TempDir Path dir) throws Exception {
        float[] data = {0, 1, 2, 300, 4, 65535};
        Volume v = Volume.wrap(data, new long[] {3, 2}, 1, Geometry.identity(2));
        PlainImages.writeGrey(v, dir.resolve("a16.png"), true, false);
        assertArrayEquals(data, PlainImages.readVolume(dir.resolve("a16.png")).data());
        PlainImages.writeGrey(v, dir.resolve("a8.png"), false, false);
        assertArrayEquals(new float[] {0, 1, 2, 255, 4, 255}, PlainImages.readVolume(dir.resolve("a8.png")).data());
        // (x=2, y=0) is the top-right pixel for other tools too
        BufferedImage written = ImageIO.read(dir.resolve("a16.png").toFile());
        assertEquals(2, written.getRaster().getSample(2, 0, 0));
        assertEquals(300, written.getRaster().getSample(0, 1, 0));
    }

    @Test
    void rgbWithEqualChannelsIsGreyOtherwiseThreeChannels(@TempDir Path dir) throws Exception {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0x101010);
        rgb.setRGB(1, 0, 0x202020);
        ImageIO.write(rgb, "png", dir.resolve("grey.png").toFile());
        Volume grey = PlainImages.readVolume(dir.resolve("grey.png"));
        assertEquals(1, grey.channels());
        assertArrayEquals(new float[] {16, 32}, grey.data());
        rgb.setRGB(1, 0, 0x203040);
        ImageIO.write(rgb, "tiff", dir.resolve("colour.tif").toFile());
        Volume colour = PlainImages.readVolume(dir.resolve("colour.tif"));
        assertEquals(3, colour.channels());
        assertArrayEquals(new float[] {16, 32, 16, 48, 16, 64}, colour.data());
    }

    @Test
    void aTiffNameGetsTiffBytes(@TempDir Path dir) throws Exception {
        LabelMap m = LabelMap.wrap(new byte[] {0, 1, 2, 0, 1, 1}, new long[] {3, 2}, Geometry.identity(2),
                Map.of(0, "background", 1, "a", 2, "b"));
        for (String name : new String[] {"m.tif", "m.TIFF", "m.png"}) {
            PlainImages.writeLabels(m, dir.resolve(name), false);
            byte[] head = Arrays.copyOf(Files.readAllBytes(dir.resolve(name)), 4);
            boolean tiff = name.toLowerCase(Locale.ROOT).contains(".tif");
            // TIFF starts with II*\0 or MM\0*, PNG with \x89PNG
            assertEquals(tiff, (head[0] == 'I' && head[1] == 'I') || (head[0] == 'M' && head[1] == 'M'), name);
            assertEquals(!tiff, head[1] == 'P' && head[2] == 'N' && head[3] == 'G', name);
            assertArrayEquals(m.data(), PlainImages.readLabels(dir.resolve(name), m.labelNames()).data(), name);
        }
        Volume sixteen = Volume.wrap(new float[] {0, 1000, 65535, 7}, new long[] {2, 2}, 1, Geometry.identity(2));
        PlainImages.writeGrey(sixteen, dir.resolve("g.tif"), true, false);
        assertArrayEquals(sixteen.data(), PlainImages.readVolume(dir.resolve("g.tif")).data());
    }

    @Test
    void labelsRoundTripAndBadFilesNameTheFile(@TempDir Path dir) throws Exception {
        LabelMap m = LabelMap.wrap(new byte[] {0, 1, 1, 0}, new long[] {2, 2}, Geometry.identity(2), LABELS);
        PlainImages.writeLabels(m, dir.resolve("m.png"), false);
        assertArrayEquals(m.data(), PlainImages.readLabels(dir.resolve("m.png"), LABELS).data());
        var exists = assertThrows(FileAlreadyExistsException.class,
                () -> PlainImages.writeLabels(m, dir.resolve("m.png"), false));
        assertTrue(exists.getMessage().contains("m.png"));
        Files.writeString(dir.resolve("junk.png"), "not an image");
        var junk = assertThrows(ImageFileException.class, () -> PlainImages.readVolume(dir.resolve("junk.png")));
        assertTrue(junk.getMessage().startsWith(dir.resolve("junk.png").toString()), junk.getMessage());
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("rgb.png").toFile());
        var rgb = assertThrows(ImageFileException.class, () -> PlainImages.readLabels(dir.resolve("rgb.png"), LABELS));
        assertTrue(rgb.getMessage().contains("one grey channel"), rgb.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().contains("partial")).count(), "no temporary files left");
        }
    }

    @Test
    void aPngDeclaringAHugeCanvasIsRefusedBeforeItIsDecoded(@TempDir Path dir) throws Exception {
        // a valid 1x1 PNG whose header (IHDR, CRC fixed) then claims 100000 x 100000 pixels: 10^10 in 70 bytes
        Path small = dir.resolve("small.png");
        PlainImages.writeGrey(Volume.wrap(new float[] {7}, new long[] {1, 1}, 1, Geometry.identity(2)),
                small, false, false);
        byte[] b = Files.readAllBytes(small);
        ByteBuffer header = ByteBuffer.wrap(b);
        header.putInt(16, 100_000).putInt(20, 100_000);
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17); // "IHDR" and its 13 bytes
        header.putInt(29, (int) crc.getValue());
        Path bomb = Files.write(dir.resolve("bomb.png"), b);
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        var e = assertThrows(ImageFileException.class, () -> PlainImages.readVolume(bomb));
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(e.getMessage().startsWith(bomb + ": a 100000 x 100000 image of 1 channel(s) would need 40.00 GB"
                + " of memory, more than the "), e.getMessage());
        assertTrue(allocated < 50_000_000, "allocated " + allocated);
    }
}
