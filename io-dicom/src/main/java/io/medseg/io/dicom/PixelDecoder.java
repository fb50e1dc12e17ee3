package io.medseg.io.dicom;

import io.medseg.io.ImageFileException;
import io.medseg.io.ReadLimits;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

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
        DicomDataset.Element pixel = d.element(Tags.PIXEL_DATA);
        if (pixel == null) {
            throw new ImageFileException(f.path(), "has no pixel data (7FE0,0010); it is not an image");
        }
        Layout layout = check(f);
        int frames = layout.frames();
        float[] values = switch (f.transferSyntax().pixels) {
            case NATIVE -> Native.decode(pixel.value(), d.order(), layout, f);
            case RLE -> Rle.decode(frameData(pixel.fragments(), frames, f), layout, f);
            case JPEG, JPEG_2000 -> imageIo(frameData(pixel.fragments(), frames, f), layout, f);
            case JPEG_LOSSLESS -> lossless(frameData(pixel.fragments(), frames, f), layout, f);
            case UNSUPPORTED -> throw new ImageFileException(f.path(), "pixel data in "
                    + f.transferSyntax().describe() + " is not supported; convert it first, e.g. with dcmtk:"
                    + " dcmdjpeg / dcmconv +te");
        };
        return new Frames(layout.rows(), layout.columns(), frames, layout.samples(), values);
    }

    /** The checked pixel layout of a file's header. */
    private static Layout layout(DicomFile f) throws ImageFileException {
        ImageHeader h = ImageHeader.of(f);
        if (h.samples() != 1 && h.samples() != 3) {
            throw new ImageFileException(f.path(), Tags.describe(Tags.SAMPLES_PER_PIXEL) + " is " + h.samples()
                    + ", expected 1 or 3");
        }
        Path file = f.path();
        DicomDataset d = f.dataset();
        int bitsAllocated = (int) ImageHeader.scalar(file, d, Tags.BITS_ALLOCATED, 0);
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
        return new Layout(h.rows(), h.columns(), h.frames(), h.samples(), bitsAllocated, (int) bitsStored, (int) highBit,
                ImageHeader.scalar(file, d, Tags.PIXEL_REPRESENTATION, 0) == 1,
                ImageHeader.scalar(file, d, Tags.PLANAR_CONFIGURATION, 0) == 1);
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
        if (f.dataset().element(Tags.PIXEL_DATA) == null) {
            throw new ImageFileException(f.path(), "has no pixel data (7FE0,0010); it is not an image");
        }
        Layout l = layout(f);
        String photometric = f.dataset().string(Tags.PHOTOMETRIC_INTERPRETATION);
        if (f.transferSyntax().pixels == TransferSyntax.Pixels.NATIVE && photometric != null
                && (photometric.startsWith("YBR_PARTIAL") || photometric.equals("YBR_FULL_422"))) {
            throw new ImageFileException(f.path(), "photometric interpretation " + photometric
                    + " with subsampled chroma is not supported in uncompressed data; convert to RGB first");
        }
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
        DicomDataset.Element pixel = f.dataset().element(Tags.PIXEL_DATA);
        long samples = (long) l.frames() * l.samples() * l.rows() * l.columns();
        long have = pixel.value() != null ? pixel.value().length
                : pixel.fragments() == null ? 0 : pixel.fragments().stream().mapToLong(b -> b.length).sum();
        long floor = switch (f.transferSyntax().pixels) {
            case NATIVE -> l.bitsAllocated() == 1 ? (samples + 7) / 8 : samples * (l.bitsAllocated() / 8);
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
