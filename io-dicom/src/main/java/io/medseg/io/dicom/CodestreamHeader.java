package io.medseg.io.dicom;

import java.io.IOException;

/**
 * The frame size a JPEG (SOF marker) or JPEG 2000 (SIZ marker) codestream declares, read without
 * decoding, so that a frame claiming another size than the DICOM header, or a size no decoder
 * should try (a J2K width of 268 million, 65535² lossless JPEG), is refused before a third-party
 * decoder allocates it.
 *
 * @param tiles the number of JPEG 2000 tiles (1 for JPEG)
 */
record CodestreamHeader(long width, long height, int components, long tiles) {

    /** At most 65535 tiles: the J2K tile index (Isot) is 16 bits. */
    static final long MAX_TILES = 65535;

    /** The SOF of a JPEG stream (baseline, extended, lossless). */
    static CodestreamHeader jpeg(byte[] b) throws IOException {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            throw new IOException("not a JPEG stream (no SOI marker at the start)");
        }
        int pos = 2;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                throw new IOException("broken JPEG marker structure at byte " + pos);
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++; // fill byte
                continue;
            }
            int length = u16(b, pos + 2);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (length < 8 || pos + 2 + length > b.length) {
                    throw new IOException("truncated JPEG frame header (SOF) at byte " + pos);
                }
                return new CodestreamHeader(u16(b, pos + 7), u16(b, pos + 5), b[pos + 9] & 0xFF, 1);
            }
            if (marker == 0xDA || marker == 0xD9) {
                throw new IOException("JPEG stream has no frame header (SOF) before its scan");
            }
            if (length < 2) {
                throw new IOException("JPEG marker segment at byte " + pos + " has length " + length);
            }
            pos += 2 + length;
        }
        throw new IOException("JPEG stream ends before its frame header (SOF)");
    }

    /** The SIZ of a JPEG 2000 codestream, bare (SOC first) or inside a JP2 file's contiguous codestream box. */
    static CodestreamHeader jpeg2000(byte[] b) throws IOException {
        int soc = jpeg2000Start(b);
        int p = soc + 4; // Lsiz
        if (p + 38 > b.length) {
            throw new IOException("truncated JPEG 2000 image header (SIZ)");
        }
        long xsiz = u32(b, p + 4);
        long ysiz = u32(b, p + 8);
        long xo = u32(b, p + 12);
        long yo = u32(b, p + 16);
        long xt = u32(b, p + 20);
        long yt = u32(b, p + 24);
        long xto = u32(b, p + 28);
        long yto = u32(b, p + 32);
        int components = u16(b, p + 36);
        if (xo >= xsiz || yo >= ysiz || xt == 0 || yt == 0 || xto > xo || yto > yo || xto + xt <= xo || yto + yt <= yo) {
            throw new IOException("JPEG 2000 image header (SIZ) is inconsistent: image " + xsiz + " x " + ysiz + " from "
                    + xo + "," + yo + ", tiles " + xt + " x " + yt + " from " + xto + "," + yto);
        }
        long tiles = ceilDiv(xsiz - xto, xt) * ceilDiv(ysiz - yto, yt);
        return new CodestreamHeader(xsiz - xo, ysiz - yo, components, tiles);
    }

    /** Where the codestream starts: its SOC marker, followed by SIZ, within the first 64 kB (after a JP2 header). */
    static int jpeg2000Start(byte[] b) throws IOException {
        for (int i = 0; i + 3 < b.length && i < 1 << 16; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0x4F && (b[i + 2] & 0xFF) == 0xFF && (b[i + 3] & 0xFF) == 0x51) {
                return i;
            }
        }
        throw new IOException("not a JPEG 2000 codestream (no SOC and SIZ markers)");
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    private static long u32(byte[] b, int i) {
        return (long) u16(b, i) << 16 | u16(b, i + 2);
    }
}
