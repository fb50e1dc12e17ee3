package io.medseg.io.dicom;

import io.medseg.io.ImageFileException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * DICOM RLE lossless (PS3.5 Annex G): per frame a 64-byte header with up to 15 segment offsets,
 * one PackBits segment per byte of each sample, most significant byte first.
 */
final class Rle {
    private Rle() {}

    static float[] decode(byte[][] frames, PixelDecoder.Layout l, DicomFile f) throws ImageFileException {
        int bytesPerSample = l.bitsAllocated() / 8;
        int pixels = l.pixelsPerFrame();
        float[] out = new float[l.frames() * l.samples() * pixels];
        for (int k = 0; k < l.frames(); k++) {
            byte[] data = frames[k];
            if (data.length < 64) {
                throw new ImageFileException(f.path(), "RLE frame " + k + " is shorter than its 64-byte header");
            }
            ByteBuffer header = ByteBuffer.wrap(data, 0, 64).order(ByteOrder.LITTLE_ENDIAN);
            int segments = header.getInt(0);
            if (segments != l.samples() * bytesPerSample) {
                throw new ImageFileException(f.path(), "RLE frame " + k + " has " + segments + " segments, expected "
                        + l.samples() * bytesPerSample);
            }
            long[] values = new long[l.samples() * pixels];
            for (int seg = 0; seg < segments; seg++) {
                int start = header.getInt(4 + 4 * seg);
                int end = seg + 1 < segments ? header.getInt(8 + 4 * seg) : data.length;
                if (start < 64 || end > data.length || start > end) {
                    throw new ImageFileException(f.path(), "RLE frame " + k + " segment " + seg + " offsets " + start
                            + ".." + end + " lie outside the " + data.length + "-byte frame");
                }
                byte[] plane = unpack(data, start, end, pixels, f, k, seg);
                int sample = seg / bytesPerSample;
                int shift = 8 * (bytesPerSample - 1 - seg % bytesPerSample);
                for (int p = 0; p < pixels; p++) {
                    values[sample * pixels + p] |= (plane[p] & 0xFFL) << shift;
                }
            }
            for (int s = 0; s < l.samples(); s++) {
                for (int p = 0; p < pixels; p++) {
                    out[l.index(s, k, p)] = l.value(values[s * pixels + p]);
                }
            }
        }
        return out;
    }

    /** PackBits: n ≥ 0 copies n + 1 bytes, −127 ≤ n ≤ −1 repeats the next byte 1 − n times, −128 is a no-op. */
    private static byte[] unpack(byte[] in, int from, int to, int size, DicomFile f, int frame, int segment)
            throws ImageFileException {
        byte[] out = new byte[size];
        int o = 0;
        int i = from;
        while (o < size && i < to) {
            int n = in[i++];
            if (n >= 0) {
                int count = Math.min(n + 1, Math.min(size - o, to - i));
                System.arraycopy(in, i, out, o, count);
                i += n + 1;
                o += count;
            } else if (n != -128 && i < to) {
                int count = Math.min(1 - n, size - o);
                Arrays.fill(out, o, o + count, in[i++]);
                o += count;
            }
        }
        if (o < size) {
            throw new ImageFileException(f.path(), "RLE frame " + frame + " segment " + segment + " decodes to " + o
                    + " bytes, expected " + size);
        }
        return out;
    }
}
