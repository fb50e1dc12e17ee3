package io.medseg.io.dicom;

import io.medseg.io.ImageFileException;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes (7FE0,0010) into stored pixel values: native (8/16/32-bit, signed or unsigned, bits
 * stored below bits allocated, interleaved or planar colour, multi-frame), RLE lossless, JPEG
 * baseline (ImageIO) and JPEG 2000 (jai-imageio). Every other encoding is refused with an error
 * naming the transfer syntax and the file — never decoded into wrong pixels.
 */
public final class PixelDecoder {
    private PixelDecoder() {}

    public static Frames decode(DicomFile f) throws IOException {
        DicomDataset d = f.dataset();
        int rows = d.integer(Tags.ROWS, 0);
        int columns = d.integer(Tags.COLUMNS, 0);
        int frames = Math.max(1, d.integer(Tags.NUMBER_OF_FRAMES, 1));
        int samples = d.integer(Tags.SAMPLES_PER_PIXEL, 1);
        int bitsAllocated = d.integer(Tags.BITS_ALLOCATED, 0);
        DicomDataset.Element pixel = d.element(Tags.PIXEL_DATA);
        if (pixel == null) {
            throw new ImageFileException(f.path(), "has no pixel data (7FE0,0010); it is not an image");
        }
        if (rows < 1 || columns < 1 || (samples != 1 && samples != 3)) {
            throw new ImageFileException(f.path(), "image size " + rows + " x " + columns + " with " + samples
                    + " samples per pixel is not readable");
        }
        if (bitsAllocated != 1 && bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
            throw new ImageFileException(f.path(), "bits allocated " + bitsAllocated + " is not supported (1, 8, 16 or 32)");
        }
        if (bitsAllocated == 1 && f.transferSyntax().pixels != TransferSyntax.Pixels.NATIVE) {
            throw new ImageFileException(f.path(), "1-bit pixels are only read uncompressed");
        }
        long total = (long) rows * columns * frames * samples;
        if (total > Integer.MAX_VALUE - 8) {
            throw new ImageFileException(f.path(), "claims " + total + " pixel values, more than one image can hold");
        }
        String photometric = d.string(Tags.PHOTOMETRIC_INTERPRETATION);
        if (f.transferSyntax().pixels == TransferSyntax.Pixels.NATIVE && photometric != null
                && (photometric.startsWith("YBR_PARTIAL") || photometric.equals("YBR_FULL_422"))) {
            throw new ImageFileException(f.path(), "photometric interpretation " + photometric
                    + " with subsampled chroma is not supported in uncompressed data; convert to RGB first");
        }
        Layout layout = new Layout(rows, columns, frames, samples, bitsAllocated, d.integer(Tags.BITS_STORED, bitsAllocated),
                d.integer(Tags.HIGH_BIT, d.integer(Tags.BITS_STORED, bitsAllocated) - 1),
                d.integer(Tags.PIXEL_REPRESENTATION, 0) == 1, d.integer(Tags.PLANAR_CONFIGURATION, 0) == 1);
        float[] values = switch (f.transferSyntax().pixels) {
            case NATIVE -> Native.decode(pixel.value(), d.order(), layout, f);
            case RLE -> Rle.decode(frameData(pixel.fragments(), frames, f), layout, f);
            case JPEG, JPEG_2000 -> imageIo(frameData(pixel.fragments(), frames, f), layout, f);
            case JPEG_LOSSLESS -> lossless(frameData(pixel.fragments(), frames, f), layout, f);
            case UNSUPPORTED -> throw new ImageFileException(f.path(), "pixel data in "
                    + f.transferSyntax().describe() + " is not supported; convert it first, e.g. with dcmtk:"
                    + " dcmdjpeg / dcmconv +te");
        };
        return new Frames(rows, columns, frames, samples, values);
    }

    /** Bit layout of the stored values. */
    record Layout(int rows, int columns, int frames, int samples, int bitsAllocated, int bitsStored, int highBit,
            boolean signed, boolean planar) {
        int pixelsPerFrame() {
            return rows * columns;
        }

        /** The stored value from the raw allocated bits: shift, mask, sign-extend. */
        float value(long raw) {
            int shift = highBit + 1 - bitsStored;
            long v = (raw >>> shift) & ((1L << bitsStored) - 1);
            if (signed && (v & (1L << (bitsStored - 1))) != 0) {
                v -= 1L << bitsStored;
            }
            return v;
        }

        /** Index in the output (sample-major, frame, row, column) of sample s of pixel p of frame k. */
        int index(int sample, int frame, int pixel) {
            return (sample * frames + frame) * pixelsPerFrame() + pixel;
        }
    }

    /** The compressed bytes of each frame: one fragment per frame, or all fragments for a single frame. */
    private static byte[][] frameData(List<byte[]> fragments, int frames, DicomFile f) throws ImageFileException {
        if (fragments == null || fragments.isEmpty()) {
            throw new ImageFileException(f.path(), f.transferSyntax().describe() + " needs encapsulated pixel data,"
                    + " but (7FE0,0010) has a defined length");
        }
        if (fragments.size() == frames) {
            return fragments.toArray(new byte[0][]);
        }
        if (frames == 1) {
            int size = fragments.stream().mapToInt(b -> b.length).sum();
            ByteBuffer all = ByteBuffer.allocate(size);
            fragments.forEach(all::put);
            return new byte[][] {all.array()};
        }
        throw new ImageFileException(f.path(), frames + " frames in " + fragments.size()
                + " fragments: frames spanning several fragments are not supported");
    }

    /** JPEG lossless frames through {@link JpegLossless}. */
    private static float[] lossless(byte[][] data, Layout l, DicomFile f) throws ImageFileException {
        float[] out = new float[l.frames() * l.samples() * l.pixelsPerFrame()];
        for (int k = 0; k < l.frames(); k++) {
            JpegLossless.Image image;
            try {
                image = JpegLossless.decode(data[k]);
            } catch (IOException e) {
                throw new ImageFileException(f.path(), "JPEG lossless frame " + k + ": " + e.getMessage(), e);
            }
            if (image.width() != l.columns() || image.height() != l.rows() || image.components() != l.samples()) {
                throw new ImageFileException(f.path(), "JPEG lossless frame " + k + " is " + image.width() + " x "
                        + image.height() + " x " + image.components() + ", the header says " + l.columns() + " x "
                        + l.rows() + " x " + l.samples());
            }
            int[] v = image.samples();
            for (int s = 0; s < l.samples(); s++) {
                for (int p = 0; p < l.pixelsPerFrame(); p++) {
                    out[l.index(s, k, p)] = l.value(v[s * l.pixelsPerFrame() + p]);
                }
            }
        }
        return out;
    }

    /** JPEG and JPEG 2000 frames through ImageIO readers (the JDK's, jai-imageio's). */
    private static float[] imageIo(byte[][] data, Layout l, DicomFile f) throws IOException {
        String format = f.transferSyntax().pixels == TransferSyntax.Pixels.JPEG ? "jpeg" : "jpeg2000";
        float[] out = new float[l.frames() * l.samples() * l.pixelsPerFrame()];
        for (int k = 0; k < l.frames(); k++) {
            Raster raster = readRaster(data[k], format, f);
            if (raster.getWidth() != l.columns() || raster.getHeight() != l.rows() || raster.getNumBands() != l.samples()) {
                throw new ImageFileException(f.path(), "frame " + k + " decodes to " + raster.getWidth() + " x "
                        + raster.getHeight() + " x " + raster.getNumBands() + ", the header says " + l.columns() + " x "
                        + l.rows() + " x " + l.samples());
            }
            for (int s = 0; s < l.samples(); s++) {
                int[] samples = raster.getSamples(0, 0, l.columns(), l.rows(), s, (int[]) null);
                for (int p = 0; p < samples.length; p++) {
                    long v = samples[p];
                    if (l.signed() && v >= 1L << (l.bitsStored() - 1) && v < 1L << l.bitsStored()) {
                        v -= 1L << l.bitsStored(); // some decoders hand back the bit pattern of signed components
                    }
                    out[l.index(s, k, p)] = v;
                }
            }
        }
        return out;
    }

    private static Raster readRaster(byte[] data, String format, DicomFile f) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
            if (!readers.hasNext()) {
                throw new ImageFileException(f.path(), "no ImageIO decoder for " + format + " on the class path");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return reader.readRaster(0, null);
            } catch (IOException | RuntimeException e) {
                throw new ImageFileException(f.path(), f.transferSyntax().describe() + " frame could not be decoded: "
                        + e.getMessage() + (f.transferSyntax() == TransferSyntax.JPEG_EXTENDED
                                ? " (the JDK's JPEG decoder reads 8-bit JPEG only, not 12-bit)" : ""), e);
            } finally {
                reader.dispose();
            }
        }
    }

    /** Native (uncompressed) pixel data. */
    static final class Native {
        private Native() {}

        static float[] decode(byte[] raw, ByteOrder order, Layout l, DicomFile f) throws ImageFileException {
            if (l.bitsAllocated() == 1) {
                return bits(raw, l, f);
            }
            int bytes = l.bitsAllocated() / 8;
            long needed = (long) l.frames() * l.samples() * l.pixelsPerFrame() * bytes;
            if (raw == null || raw.length < needed) {
                throw new ImageFileException(f.path(), "pixel data has " + (raw == null ? 0 : raw.length)
                        + " bytes, the header needs " + needed + " (" + l.frames() + " frames of " + l.rows() + " x "
                        + l.columns() + " x " + l.samples() + " x " + l.bitsAllocated() + " bits)");
            }
            float[] out = new float[l.frames() * l.samples() * l.pixelsPerFrame()];
            if (bytes == 2 && l.samples() == 1) {
                return grey16(raw, order, l, out);
            }
            ByteBuffer b = ByteBuffer.wrap(raw).order(order);
            int i = 0;
            for (int k = 0; k < l.frames(); k++) {
                for (int outer = 0; outer < l.samples() * l.pixelsPerFrame(); outer++) {
                    // planar: sample planes one after the other; otherwise samples interleaved per pixel
                    int s = l.planar() ? outer / l.pixelsPerFrame() : outer % l.samples();
                    int p = l.planar() ? outer % l.pixelsPerFrame() : outer / l.samples();
                    long rawValue = switch (bytes) {
                        case 1 -> b.get(i) & 0xFFL;
                        case 2 -> b.getShort(i) & 0xFFFFL;
                        default -> b.getInt(i) & 0xFFFFFFFFL;
                    };
                    i += bytes;
                    out[l.index(s, k, p)] = l.value(rawValue);
                }
            }
            return out;
        }

        /** The common case (CT, MR): one 16-bit sample per pixel, read in bulk. */
        private static float[] grey16(byte[] raw, ByteOrder order, Layout l, float[] out) {
            short[] words = new short[out.length];
            ByteBuffer.wrap(raw).order(order).asShortBuffer().get(words);
            boolean plain = l.bitsStored() == 16 && l.highBit() == 15;
            for (int i = 0; i < out.length; i++) {
                out[i] = plain ? (l.signed() ? words[i] : words[i] & 0xFFFF) : l.value(words[i] & 0xFFFFL);
            }
            return out;
        }

        /** 1-bit pixels (e.g. segmentation objects): packed 8 to a byte, first pixel in the lowest bit. */
        private static float[] bits(byte[] raw, Layout l, DicomFile f) throws ImageFileException {
            long count = (long) l.frames() * l.samples() * l.pixelsPerFrame();
            if (raw == null || raw.length * 8L < count) {
                throw new ImageFileException(f.path(), "pixel data has " + (raw == null ? 0 : raw.length)
                        + " bytes, the header needs " + (count + 7) / 8 + " for " + count + " 1-bit pixels");
            }
            float[] out = new float[(int) count];
            for (int i = 0; i < out.length; i++) {
                out[i] = (raw[i >>> 3] >>> (i & 7)) & 1;
            }
            return out;
        }
    }
}
