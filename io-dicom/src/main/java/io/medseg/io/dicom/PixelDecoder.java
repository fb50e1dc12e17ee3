package io.medseg.io.dicom;

import io.medseg.io.ImageFileException;
import io.medseg.io.ReadLimits;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Decodes pixel data into stored pixel values: (7FE0,0010) native (8/16/32-bit, signed or
 * unsigned, bits stored below bits allocated, interleaved or planar colour, YBR_FULL_422 with its
 * chroma pairs expanded, multi-frame), RLE lossless, JPEG baseline and lossless (ImageIO and
 * {@link JpegLossless}) and JPEG 2000 (jai-imageio), with frames spanning several fragments
 * ({@link EncapsulatedFrames}); Float and Double Float Pixel Data (7FE0,0008 / 0009) as they are.
 * Every other encoding is refused with an error naming the transfer syntax and the file — never
 * decoded into wrong pixels. Colour models (palette, YBR) are turned into RGB by {@link Photometric}.
 */
public final class PixelDecoder {
    private PixelDecoder() {}

    /** The element holding the pixels: integer, float or double float pixel data; null when none. */
    static DicomDataset.Element pixelElement(DicomDataset d) {
        for (int tag : Tags.PIXEL_DATA_ELEMENTS) {
            if (d.element(tag) != null) {
                return d.element(tag);
            }
        }
        return null;
    }

    public static Frames decode(DicomFile f) throws IOException {
        DicomDataset d = f.dataset();
        DicomDataset.Element pixel = pixelElement(d);
        if (pixel == null) {
            throw new ImageFileException(f.path(), "has no pixel data (7FE0,0010, 0008 or 0009); it is not an image");
        }
        Layout layout = check(f);
        int frames = layout.frames();
        if (layout.floating()) {
            return new Frames(layout.rows(), layout.columns(), frames, layout.samples(),
                    Native.floats(pixel.value(), d.order(), layout, f));
        }
        float[] values = switch (f.transferSyntax().pixels) {
            case NATIVE -> Native.decode(pixel.value(), d.order(), layout, f);
            case RLE -> Rle.decode(EncapsulatedFrames.split(f, frames), layout, f);
            case JPEG, JPEG_2000 -> imageIo(EncapsulatedFrames.split(f, frames), layout, f);
            case JPEG_LOSSLESS -> lossless(EncapsulatedFrames.split(f, frames), layout, f);
            case UNSUPPORTED -> throw new ImageFileException(f.path(), "pixel data in "
                    + f.transferSyntax().describe() + " is not supported; convert it first, e.g. with dcmtk:"
                    + " dcmdjpeg / dcmconv +te");
        };
        return new Frames(layout.rows(), layout.columns(), frames, layout.samples(), values);
    }

    /** The checked pixel layout of a file's header. */
    private static Layout layout(DicomFile f) throws ImageFileException {
        ImageHeader.Size h = ImageHeader.size(f);
        if (h.samples() != 1 && h.samples() != 3) {
            throw new ImageFileException(f.path(), Tags.describe(Tags.SAMPLES_PER_PIXEL) + " is " + h.samples()
                    + ", expected 1 or 3");
        }
        Path file = f.path();
        DicomDataset d = f.dataset();
        int bitsAllocated = (int) ImageHeader.scalar(file, d, Tags.BITS_ALLOCATED, 0);
        boolean floating = d.element(Tags.PIXEL_DATA) == null;
        if (floating) {
            // Float Pixel Data is 32-bit, Double Float Pixel Data 64-bit, one sample, no bits stored or sign
            int expected = d.element(Tags.FLOAT_PIXEL_DATA) != null ? 32 : 64;
            if (bitsAllocated != expected || h.samples() != 1) {
                throw new ImageFileException(file, (expected == 32 ? "Float" : "Double Float") + " Pixel Data needs "
                        + Tags.describe(Tags.BITS_ALLOCATED) + " " + expected + " and one sample, got " + bitsAllocated
                        + " and " + h.samples());
            }
            if (f.transferSyntax().pixels != TransferSyntax.Pixels.NATIVE) {
                throw new ImageFileException(file, "float pixel data in " + f.transferSyntax().describe()
                        + ": only uncompressed transfer syntaxes can hold it");
            }
            return new Layout(h.rows(), h.columns(), h.frames(), 1, bitsAllocated, bitsAllocated, bitsAllocated - 1, true,
                    false, true, false);
        }
        if (bitsAllocated != 1 && bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
            throw new ImageFileException(file, "bits allocated " + bitsAllocated + " is not supported (1, 8, 16 or 32)");
        }
        if (bitsAllocated == 1 && f.transferSyntax().pixels != TransferSyntax.Pixels.NATIVE) {
            throw new ImageFileException(file, "1-bit pixels are only read uncompressed");
        }
        double bitsStored = ImageHeader.scalar(file, d, Tags.BITS_STORED, bitsAllocated);
        if (!(bitsStored >= 1 && bitsStored <= bitsAllocated) || bitsStored != Math.rint(bitsStored)) {
            throw new ImageFileException(file, Tags.describe(Tags.BITS_STORED) + " is " + bitsStored
                    + ", expected 1.." + bitsAllocated + " (Bits Allocated)");
        }
        double highBit = ImageHeader.scalar(file, d, Tags.HIGH_BIT, bitsStored - 1);
        if (!(highBit >= bitsStored - 1 && highBit <= bitsAllocated - 1) || highBit != Math.rint(highBit)) {
            throw new ImageFileException(file, Tags.describe(Tags.HIGH_BIT) + " is " + highBit + ", expected "
                    + (int) (bitsStored - 1) + ".." + (bitsAllocated - 1));
        }
        boolean subsampled = "YBR_FULL_422".equals(d.string(Tags.PHOTOMETRIC_INTERPRETATION))
                && f.transferSyntax().pixels == TransferSyntax.Pixels.NATIVE;
        if (subsampled && (h.samples() != 3 || bitsAllocated != 8 || h.columns() % 2 != 0)) {
            throw new ImageFileException(file, "uncompressed YBR_FULL_422 needs 3 samples of 8 bits and an even number of"
                    + " columns, got " + h.samples() + " of " + bitsAllocated + " bits and " + h.columns() + " columns");
        }
        return new Layout(h.rows(), h.columns(), h.frames(), h.samples(), bitsAllocated, (int) bitsStored, (int) highBit,
                ImageHeader.scalar(file, d, Tags.PIXEL_REPRESENTATION, 0) == 1,
                ImageHeader.scalar(file, d, Tags.PLANAR_CONFIGURATION, 0) == 1, false, subsampled);
    }

    /**
     * Everything about a file's pixels that can be checked before decoding, so that nothing is
     * allocated from a header's claims: the layout attributes, a supported photometric
     * interpretation, pixel data long enough for the image claimed, and the size within
     * {@link ReadLimits}.
     *
     * @throws ImageFileException naming the file and the first problem
     */
    static Layout check(DicomFile f) throws ImageFileException {
        if (pixelElement(f.dataset()) == null) {
            throw new ImageFileException(f.path(), "has no pixel data (7FE0,0010, 0008 or 0009); it is not an image");
        }
        Layout l = layout(f);
        String photometric = f.dataset().string(Tags.PHOTOMETRIC_INTERPRETATION);
        if (f.transferSyntax().pixels == TransferSyntax.Pixels.NATIVE && photometric != null
                && photometric.startsWith("YBR_PARTIAL")) {
            throw new ImageFileException(f.path(), "photometric interpretation " + photometric
                    + " (partial-range, subsampled chroma) is not supported in uncompressed data; convert to RGB first");
        }
        Photometric.check(f, l);
        checkEncodedSize(f, l);
        ReadLimits.checkVoxels(f.path(), l.frames() + " frame(s) of " + l.columns() + " x " + l.rows()
                + (l.samples() == 1 ? "" : " x " + l.samples()), l.frames(), l.rows(), l.columns(), l.samples());
        return l;
    }

    /**
     * Refuses pixel data too short for the image its header claims: uncompressed data must hold
     * every pixel; compressed data at least what the densest encoding of the syntax needs (RLE
     * 2 bytes per 128, lossless JPEG 1 bit per sample, JPEG 2 bits per 8×8 block). JPEG 2000 has
     * no such floor; its SIZ marker is checked per frame.
     */
    private static void checkEncodedSize(DicomFile f, Layout l) throws ImageFileException {
        DicomDataset.Element pixel = pixelElement(f.dataset());
        long samples = (long) l.frames() * l.samples() * l.rows() * l.columns();
        long have = pixel.value() != null ? pixel.value().length
                : pixel.fragments() == null ? 0 : pixel.fragments().stream().mapToLong(b -> b.length).sum();
        long floor = switch (f.transferSyntax().pixels) {
            // 4:2:2 stores two luma and one chroma pair per two pixels: 2 bytes per pixel instead of 3
            case NATIVE -> l.bitsAllocated() == 1 ? (samples + 7) / 8 : l.subsampled() ? samples / 3 * 2
                    : samples * (l.bitsAllocated() / 8);
            case RLE -> samples * (l.bitsAllocated() / 8) / 64;
            case JPEG_LOSSLESS -> samples / 8;
            case JPEG -> samples / 256;
            case JPEG_2000, UNSUPPORTED -> 0;
        };
        if (have < floor) {
            throw new ImageFileException(f.path(), "pixel data has " + have + " bytes, but " + l.frames() + " frame(s) of "
                    + l.rows() + " x " + l.columns() + " x " + l.samples() + " at " + l.bitsAllocated() + " bits need "
                    + (f.transferSyntax().pixels == TransferSyntax.Pixels.NATIVE ? "" : "at least ") + floor + " in "
                    + f.transferSyntax().describe() + " (truncated file, or a header claiming a larger image)");
        }
    }

    /** Refuses a compressed frame whose own header declares another size than the DICOM header. */
    private static void checkFrameSize(byte[] data, int k, Layout l, DicomFile f) throws ImageFileException {
        CodestreamHeader c;
        try {
            boolean j2k = f.transferSyntax().pixels == TransferSyntax.Pixels.JPEG_2000;
            c = j2k ? CodestreamHeader.jpeg2000(data) : CodestreamHeader.jpeg(data);
            if (j2k) {
                Jpeg2000Structure.check(data);
            }
        } catch (IOException e) {
            throw new ImageFileException(f.path(), f.transferSyntax().describe() + " frame " + k + ": " + e.getMessage(), e);
        }
        if (c.width() != l.columns() || c.height() != l.rows() || c.components() != l.samples()) {
            throw new ImageFileException(f.path(), f.transferSyntax().describe() + " frame " + k + " declares "
                    + c.width() + " x " + c.height() + " x " + c.components() + ", the DICOM header says " + l.columns()
                    + " x " + l.rows() + " x " + l.samples());
        }
        if (c.tiles() > CodestreamHeader.MAX_TILES) {
            throw new ImageFileException(f.path(), "JPEG 2000 frame " + k + " declares " + c.tiles() + " tiles, more than"
                    + " the " + CodestreamHeader.MAX_TILES + " a codestream can index");
        }
    }

    /**
     * Bit layout of the stored values.
     *
     * @param floating Float or Double Float Pixel Data: IEEE values, no bits stored or sign
     * @param subsampled uncompressed YBR_FULL_422: chroma stored once per two pixels
     */
    record Layout(int rows, int columns, int frames, int samples, int bitsAllocated, int bitsStored, int highBit,
            boolean signed, boolean planar, boolean floating, boolean subsampled) {
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

    /** JPEG lossless frames through {@link JpegLossless}. */
    private static float[] lossless(byte[][] data, Layout l, DicomFile f) throws ImageFileException {
        float[] out = new float[l.frames() * l.samples() * l.pixelsPerFrame()];
        for (int k = 0; k < l.frames(); k++) {
            checkFrameSize(data[k], k, l, f);
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
            checkFrameSize(data[k], k, l, f);
            Raster raster = BoundedDecoder.readRaster(data[k], format, (long) l.rows() * l.columns(), f);
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

    /** Native (uncompressed) pixel data. */
    static final class Native {
        private Native() {}

        static float[] decode(byte[] raw, ByteOrder order, Layout l, DicomFile f) throws ImageFileException {
            if (l.bitsAllocated() == 1) {
                return bits(raw, l, f);
            }
            int bytes = l.bitsAllocated() / 8;
            long needed = (long) l.frames() * l.samples() * l.pixelsPerFrame() * bytes / (l.subsampled() ? 3 : 1)
                    * (l.subsampled() ? 2 : 1);
            if (raw == null || raw.length < needed) {
                throw new ImageFileException(f.path(), "pixel data has " + (raw == null ? 0 : raw.length)
                        + " bytes, the header needs " + needed + " (" + l.frames() + " frames of " + l.rows() + " x "
                        + l.columns() + " x " + l.samples() + " x " + l.bitsAllocated() + " bits)");
            }
            float[] out = new float[l.frames() * l.samples() * l.pixelsPerFrame()];
            if (bytes == 2 && l.samples() == 1) {
                return grey16(raw, order, l, out);
            }
            if (l.subsampled()) {
                return expand422(raw, l, out);
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

        /**
         * Uncompressed YBR_FULL_422 (PS3.3 C.7.6.3.1.2): each pair of pixels is stored Y1 Y2 Cb Cr; both
         * pixels get the pair's chroma (as pydicom and dcmtk expand it), giving YBR_FULL samples.
         */
        private static float[] expand422(byte[] raw, Layout l, float[] out) {
            int pixels = l.pixelsPerFrame();
            int i = 0;
            for (int k = 0; k < l.frames(); k++) {
                for (int p = 0; p < pixels; p += 2) {
                    float y1 = raw[i] & 0xFF;
                    float y2 = raw[i + 1] & 0xFF;
                    float cb = raw[i + 2] & 0xFF;
                    float cr = raw[i + 3] & 0xFF;
                    i += 4;
                    out[l.index(0, k, p)] = y1;
                    out[l.index(0, k, p + 1)] = y2;
                    out[l.index(1, k, p)] = cb;
                    out[l.index(1, k, p + 1)] = cb;
                    out[l.index(2, k, p)] = cr;
                    out[l.index(2, k, p + 1)] = cr;
                }
            }
            return out;
        }

        /** Float (32-bit) or Double Float (64-bit) Pixel Data, values as stored, in the data set's byte order. */
        static float[] floats(byte[] raw, ByteOrder order, Layout l, DicomFile f) throws ImageFileException {
            int bytes = l.bitsAllocated() / 8;
            long count = (long) l.frames() * l.pixelsPerFrame();
            if (raw == null || raw.length < count * bytes) {
                throw new ImageFileException(f.path(), "float pixel data has " + (raw == null ? 0 : raw.length)
                        + " bytes, the header needs " + count * bytes);
            }
            float[] out = new float[(int) count];
            ByteBuffer b = ByteBuffer.wrap(raw).order(order);
            for (int i = 0; i < out.length; i++) {
                out[i] = bytes == 4 ? b.getFloat(4 * i) : (float) b.getDouble(8 * i);
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
