package io.medseg.io.dicom;

import io.medseg.io.ImageFileException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The compressed bytes of each frame of encapsulated pixel data (PS3.5 A.4), whose frames may span
 * several fragments. Frame boundaries come from, in this order: the Extended Offset Table
 * (7FE0,0001); the Basic Offset Table (the first item), whose offsets count from the first
 * fragment's item tag; one fragment per frame when the counts agree; all fragments for a single
 * frame; and for JPEG and JPEG 2000 the start-of-image marker (FFD8, FF4F, or a JP2 signature box)
 * that opens each frame and cannot occur inside a compressed stream. Anything else is refused:
 * RLE frames without an offset table cannot be told apart.
 */
final class EncapsulatedFrames {
    private EncapsulatedFrames() {}

    static byte[][] split(DicomFile f, int frames) throws ImageFileException {
        DicomDataset.Element pixel = f.dataset().element(Tags.PIXEL_DATA);
        DicomDataset.Encapsulated e = pixel == null ? null : pixel.encapsulated();
        if (e == null || e.fragments().isEmpty()) {
            throw new ImageFileException(f.path(), f.transferSyntax().describe() + " needs encapsulated pixel data"
                    + " with at least one fragment, but (7FE0,0010) " + (e == null ? "has a defined length" : "has none"));
        }
        List<byte[]> fragments = e.fragments();
        long[] itemStarts = new long[fragments.size() + 1]; // offset of each fragment's item tag; the last = total
        for (int i = 0; i < fragments.size(); i++) {
            itemStarts[i + 1] = itemStarts[i] + 8 + fragments.get(i).length;
        }
        DicomDataset.Element extended = f.dataset().element(Tags.EXTENDED_OFFSET_TABLE);
        if (extended != null && extended.value() != null && extended.value().length > 0) {
            return byOffsets(f, fragments, itemStarts, longs(extended.value(), 8), frames, "Extended Offset Table");
        }
        if (e.offsetTable().length > 0) {
            return byOffsets(f, fragments, itemStarts, longs(e.offsetTable(), 4), frames, "Basic Offset Table");
        }
        if (fragments.size() == frames) {
            return fragments.toArray(new byte[0][]);
        }
        if (frames == 1) {
            return new byte[][] {concatenate(fragments, 0, fragments.size())};
        }
        TransferSyntax.Pixels kind = f.transferSyntax().pixels;
        if (kind == TransferSyntax.Pixels.JPEG || kind == TransferSyntax.Pixels.JPEG_LOSSLESS
                || kind == TransferSyntax.Pixels.JPEG_2000) {
            List<Integer> starts = new ArrayList<>();
            for (int i = 0; i < fragments.size(); i++) {
                if (startsAFrame(fragments.get(i), kind)) {
                    starts.add(i);
                }
            }
            if (starts.size() == frames && starts.get(0) == 0) {
                byte[][] out = new byte[frames][];
                for (int k = 0; k < frames; k++) {
                    out[k] = concatenate(fragments, starts.get(k), k + 1 < frames ? starts.get(k + 1) : fragments.size());
                }
                return out;
            }
            throw new ImageFileException(f.path(), frames + " frames in " + fragments.size() + " fragments without an"
                    + " offset table, and " + starts.size() + " fragments open a " + kind.name().toLowerCase(Locale.ROOT)
                    .replace('_', ' ') + " stream: the frames cannot be told apart");
        }
        throw new ImageFileException(f.path(), frames + " frames in " + fragments.size() + " fragments of "
                + f.transferSyntax().describe() + " without an offset table: the frames cannot be told apart");
    }

    /** Frames from offsets of their first item (relative to the first fragment's item tag). */
    private static byte[][] byOffsets(DicomFile f, List<byte[]> fragments, long[] itemStarts, long[] offsets, int frames,
            String table) throws ImageFileException {
        if (offsets.length != frames) {
            throw new ImageFileException(f.path(), "the " + table + " has " + offsets.length + " entries for " + frames
                    + " frames");
        }
        byte[][] out = new byte[frames][];
        int next = 0;
        for (int k = 0; k < frames; k++) {
            int first = Arrays.binarySearch(itemStarts, 0, fragments.size(), offsets[k]);
            if (first < 0 || first < next) {
                throw new ImageFileException(f.path(), "the " + table + " puts frame " + (k + 1) + " at byte "
                        + offsets[k] + ", which is not the start of a fragment after the previous frame's");
            }
            int end = fragments.size();
            if (k + 1 < frames) {
                end = Arrays.binarySearch(itemStarts, 0, fragments.size(), offsets[k + 1]);
                if (end <= first) {
                    throw new ImageFileException(f.path(), "the " + table + " puts frame " + (k + 2) + " at byte "
                            + offsets[k + 1] + ", which is not the start of a fragment after frame " + (k + 1) + "'s");
                }
            }
            out[k] = concatenate(fragments, first, end);
            next = end;
        }
        return out;
    }

    private static boolean startsAFrame(byte[] b, TransferSyntax.Pixels kind) {
        if (b.length < 2) {
            return false;
        }
        int a = b[0] & 0xFF;
        int c = b[1] & 0xFF;
        if (kind == TransferSyntax.Pixels.JPEG_2000) {
            boolean jp2 = b.length >= 12 && b[4] == 'j' && b[5] == 'P' && b[6] == ' ' && b[7] == ' ';
            return a == 0xFF && c == 0x4F || jp2;
        }
        return a == 0xFF && c == 0xD8;
    }

    private static long[] longs(byte[] table, int width) {
        ByteBuffer b = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        long[] v = new long[table.length / width];
        for (int i = 0; i < v.length; i++) {
            v[i] = width == 4 ? b.getInt(4 * i) & 0xFFFFFFFFL : b.getLong(8 * i);
        }
        return v;
    }

    private static byte[] concatenate(List<byte[]> fragments, int from, int to) {
        int size = 0;
        for (int i = from; i < to; i++) {
            size += fragments.get(i).length;
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (int i = from; i < to; i++) {
            all.put(fragments.get(i));
        }
        return all.array();
    }
}
