package io.medseg.io;

import io.medseg.files.AtomicFiles;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * 2D radiographs and masks as PNG or TIFF (the JDK's ImageIO): 8- or 16-bit grey, or RGB.
 * Plain images carry no geometry, so they get unit spacing and the identity orientation.
 */
public final class PlainImages {
    private PlainImages() {}

    /** File endings read here. */
    public static boolean isPlainImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".tif") || name.endsWith(".tiff");
    }

    /**
     * Reads an image: grey → 1 channel; RGB whose channels are all equal → 1 channel; other RGB →
     * 3 channels (alpha dropped). Values are the stored integers (0..255 or 0..65535).
     */
    public static Volume readVolume(Path file) throws IOException {
        Raster raster = raster(file);
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = Math.min(raster.getNumBands(), 3);
        if (bands == 2) {
            bands = 1; // grey + alpha
        }
        float[] data = new float[w * h * bands];
        for (int b = 0; b < bands; b++) {
            int[] samples = raster.getSamples(0, 0, w, h, b, (int[]) null);
            for (int i = 0; i < samples.length; i++) {
                data[b * w * h + i] = samples[i];
            }
        }
        if (bands == 3 && allChannelsEqual(data, w * h)) {
            data = Arrays.copyOf(data, w * h);
            bands = 1;
        }
        return Volume.wrap(data, new long[] {w, h}, bands, Geometry.identity(2));
    }

    /**
     * Reads a mask: one grey channel whose values are labels (0..255).
     *
     * @throws ImageFileException if the file is colour or has values above 255
     */
    public static LabelMap readLabels(Path file, Map<Integer, String> labelNames) throws IOException {
        Raster raster = raster(file);
        if (raster.getNumBands() != 1) {
            throw new ImageFileException(file, "a label image must have one grey channel, found "
                    + raster.getNumBands() + " channels");
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] samples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
        byte[] labels = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            if (samples[i] > 255) {
                throw new ImageFileException(file, "label value " + samples[i] + " at x=" + i % w + " y=" + i / w
                        + " does not fit 0..255");
            }
            labels[i] = (byte) samples[i];
        }
        return LabelMap.wrap(labels, new long[] {w, h}, Geometry.identity(2), labelNames);
    }

    /** The decoded pixels, after the header's width and height were checked against {@link ReadLimits}. */
    private static Raster raster(Path file) throws IOException {
        return withReader(file, reader -> {
            long width = reader.getWidth(0);
            long height = reader.getHeight(0);
            // a small compressed file can declare a huge canvas, or a TIFF thousands of samples per pixel:
            // refuse them before the decoder allocates its raster
            int bands = bands(file, reader);
            ReadLimits.checkVoxels(file, "a " + width + " x " + height + " image of " + bands + " channel(s)", width, height,
                    bands);
            return reader.read(0).getRaster();
        });
    }

    /**
     * Size and channels from the image's header, nothing decoded: grey (with or without alpha) is 1
     * channel, colour 3 (an RGB image whose channels are all equal reads as 1 channel in full).
     */
    public static ScanHeader readHeader(Path file) throws IOException {
        return withReader(file, reader -> {
            int channels = bands(file, reader) <= 2 ? 1 : 3;
            return new ScanHeader(new long[] {reader.getWidth(0), reader.getHeight(0)}, channels, Geometry.identity(2),
                    List.of());
        });
    }

    /** Samples per pixel the decoder will make: grey, grey + alpha, RGB or RGBA; anything else is refused. */
    private static int bands(Path file, ImageReader reader) throws IOException {
        ImageTypeSpecifier type = reader.getRawImageType(0);
        int bands = type == null ? 0 : type.getNumBands();
        if (bands < 1 || bands > 4) {
            throw new ImageFileException(file, "has " + (type == null ? "an unknown number of" : bands) + " samples per"
                    + " pixel; grey, grey + alpha, RGB and RGBA images are read");
        }
        return bands;
    }

    /**
     * The JDK's own reader for the format. jai-imageio (on the class path for JPEG 2000) registers a
     * TIFF reader of its own that allocates what a tag's count claims while reading the header — 1.2 GB
     * for a 4.5 kB fuzzed file, before any size check could run — so only the JDK's readers are used.
     */
    private static ImageReader jdkReader(Iterator<ImageReader> readers) {
        ImageReader chosen = null;
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            if (chosen == null && r.getClass().getName().startsWith("com.sun.imageio.plugins.")) {
                chosen = r;
            } else {
                r.dispose();
            }
        }
        return chosen;
    }

    private interface ReaderTask<T> {
        T run(ImageReader reader) throws IOException;
    }

    /**
     * Runs a task with an ImageIO reader on the file. The bytes come through the file system's own
     * path, not a {@code java.io.File} made from its name, so names the locale cannot spell still open.
     */
    private static <T> T withReader(Path file, ReaderTask<T> task) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFileException(file, "no such file");
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(
                new BufferedInputStream(Files.newInputStream(file)))) {
            ImageReader reader = jdkReader(ImageIO.getImageReaders(in));
            if (reader == null) {
                throw new ImageFileException(file, "not a PNG or TIFF image that ImageIO can decode");
            }
            try {
                reader.setInput(in, true, true);
                return task.run(reader);
            } catch (ImageFileException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new ImageFileException(file, "not a readable PNG/TIFF image (" + e.getMessage() + ")", e);
            } finally {
                reader.dispose();
            }
        }
    }

    private static boolean allChannelsEqual(float[] data, int voxels) {
        for (int i = 0; i < voxels; i++) {
            if (data[i] != data[voxels + i] || data[i] != data[2 * voxels + i]) {
                return false;
            }
        }
        return true;
    }

    /** Writes labels as an 8-bit grey PNG or TIFF (by the name), atomically; refuses to replace a file unless asked. */
    public static void writeLabels(LabelMap labels, Path file, boolean overwrite) throws IOException {
        requireTwoD(labels.numDimensions(), file);
        long[] size = labels.sizeXyz();
        BufferedImage image = new BufferedImage((int) size[0], (int) size[1], BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, (int) size[0], (int) size[1], labels.data());
        write(image, file, overwrite);
    }

    /** Writes a one-channel image as 8-bit (values 0..255) or 16-bit grey PNG or TIFF, clamped and rounded. */
    public static void writeGrey(Volume volume, Path file, boolean sixteenBit, boolean overwrite) throws IOException {
        requireTwoD(volume.numDimensions(), file);
        if (volume.channels() != 1) {
            throw new IllegalArgumentException(file + ": grey PNG needs 1 channel, the image has " + volume.channels());
        }
        long[] size = volume.sizeXyz();
        int w = (int) size[0];
        int h = (int) size[1];
        BufferedImage image = new BufferedImage(w, h, sixteenBit ? BufferedImage.TYPE_USHORT_GRAY : BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        int max = raster.getDataBuffer().getDataType() == DataBuffer.TYPE_USHORT ? 65535 : 255;
        float[] data = volume.data();
        int[] samples = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            samples[i] = Math.max(0, Math.min(max, Math.round(data[i])));
        }
        raster.setSamples(0, 0, w, h, 0, samples);
        write(image, file, overwrite);
    }

    /** Encodes and writes the image atomically in the format its name says: TIFF for .tif/.tiff, else PNG. */
    public static void write(BufferedImage image, Path file, boolean overwrite) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String format = name.endsWith(".tif") || name.endsWith(".tiff") ? "tiff" : "png";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, bytes)) {
            throw new ImageFileException(file, "no " + format.toUpperCase(Locale.ROOT) + " writer available");
        }
        AtomicFiles.write(file, bytes.toByteArray(), overwrite);
    }

    private static void requireTwoD(int dims, Path file) {
        if (dims != 2) {
            throw new IllegalArgumentException(file + ": PNG holds 2D images, this one is " + dims + "D");
        }
    }
}
