package io.medseg.io.dicom;

import java.io.IOException;

/**
 * Walks a JPEG 2000 codestream's marker structure before jj2000 sees it: main header segments up to
 * the first tile-part, each tile-part's header and extent, and the packet data in between, which
 * (ISO 15444-1, A.1.1 and B.10.1) never holds 0xFF followed by a byte above 0x8F except the SOP and
 * EPH markers. jj2000's packet-header bit reader loops for ever, without reading, on a doubled 0xFF
 * (it keeps taking the second for a stuffed byte), and no time budget can stop a loop that does not
 * read; such data is refused here instead.
 */
final class Jpeg2000Structure {
    private static final int SOT = 0x90;
    private static final int SOP = 0x91;
    private static final int EPH = 0x92;
    private static final int SOD = 0x93;
    private static final int EOC = 0xD9;

    private Jpeg2000Structure() {}

    /** @param b a codestream, bare or after a JP2 header */
    static void check(byte[] b) throws IOException {
        int soc = CodestreamHeader.jpeg2000Start(b);
        int p = segments(b, soc + 2, "main header");
        int tilePart = 0;
        while (p + 2 <= b.length && u8(b, p) == 0xFF && u8(b, p + 1) == SOT) {
            if (p + 12 > b.length) {
                throw new IOException("JPEG 2000 tile-part " + tilePart + " header is truncated at byte " + p);
            }
            long psot = u32(b, p + 6);
            int body = segments(b, p + 2 + u16(b, p + 2), "tile-part " + tilePart + " header");
            if (body + 2 > b.length || u8(b, body) != 0xFF || u8(b, body + 1) != SOD) {
                throw new IOException("JPEG 2000 tile-part " + tilePart + " has no SOD marker after its header (byte "
                        + body + ")");
            }
            // Psot 0: the last tile-part, up to EOC or the end of the data (a truncated stream is legal)
            long end = psot == 0 ? b.length : p + psot;
            if (psot != 0 && (psot < body + 2 - p || end > b.length)) {
                end = b.length; // a truncated tile-part: read what is there
            }
            packets(b, body + 2, (int) end, tilePart);
            if (psot == 0 || end >= b.length) {
                return;
            }
            p = (int) end;
            tilePart++;
        }
    }

    /** Skips marker segments (0xFFxx + 16-bit length) up to SOT, SOD or EOC; returns where that marker starts. */
    private static int segments(byte[] b, int p, String where) throws IOException {
        while (true) {
            if (p + 2 > b.length) {
                return b.length;
            }
            if (u8(b, p) != 0xFF) {
                throw new IOException("JPEG 2000 " + where + ": expected a marker at byte " + p + ", found 0x"
                        + Integer.toHexString(u8(b, p)));
            }
            int marker = u8(b, p + 1);
            if (marker == SOT || marker == SOD || marker == EOC) {
                return p;
            }
            if (p + 4 > b.length) {
                throw new IOException("JPEG 2000 " + where + " is truncated at byte " + p);
            }
            int length = u16(b, p + 2);
            if (length < 2) {
                throw new IOException("JPEG 2000 " + where + ": marker 0xFF" + Integer.toHexString(marker).toUpperCase()
                        + " at byte " + p + " has length " + length);
            }
            p += 2 + length;
        }
    }

    private static void packets(byte[] b, int from, int to, int tilePart) throws IOException {
        for (int i = from; i + 1 < to; i++) {
            if (u8(b, i) == 0xFF) {
                int next = u8(b, i + 1);
                // EOC ends the codestream: last in the data, or followed by one byte of DICOM padding
                boolean eoc = next == EOC && i + 3 >= b.length;
                if (next > 0x8F && next != SOP && next != EPH && !eoc) {
                    throw new IOException(String.format("JPEG 2000 tile-part %d holds 0xFF%02X in its packet data at byte %d"
                            + " (corrupt codestream)", tilePart, next, i));
                }
            }
        }
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int u16(byte[] b, int i) {
        return u8(b, i) << 8 | u8(b, i + 1);
    }

    private static long u32(byte[] b, int i) {
        return (long) u16(b, i) << 16 | u16(b, i + 2);
    }
}
