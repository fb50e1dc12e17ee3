package io.medseg.io.dicom;

import java.io.IOException;

/**
 * JPEG lossless (ITU-T T.81 process 14, Huffman coded; DICOM 1.2.840.10008.1.2.4.57 and .70):
 * the seven predictors, point transform, restart intervals and interleaved components. The JDK's
 * JPEG decoder does not read this process.
 */
final class JpegLossless {
    private final byte[] data;
    private int pos;
    private int precision;
    private int width;
    private int height;
    private int[] componentIds;
    private final HuffmanTable[] tables = new HuffmanTable[4];
    private int restartInterval;

    private JpegLossless(byte[] data) {
        this.data = data;
    }

    /** Decoded samples, component-major (all of component 0, then 1, …), row by row. */
    record Image(int width, int height, int components, int precision, int[] samples) {}

    static Image decode(byte[] jpeg) throws IOException {
        return new JpegLossless(jpeg).run();
    }

    private Image run() throws IOException {
        if (u8() != 0xFF || u8() != 0xD8) {
            throw new IOException("not a JPEG stream (no SOI marker)");
        }
        while (pos < data.length) {
            int marker = nextMarker();
            int length = marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) ? 0 : u16();
            int end = pos + length - 2;
            switch (marker) {
                case 0xC3 -> frameHeader();
                case 0xC4 -> huffmanTables(end);
                case 0xDD -> restartInterval = u16();
                case 0xDA -> {
                    return scan();
                }
                case 0xC0, 0xC1, 0xC2, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF ->
                    throw new IOException(String.format("JPEG process SOF%d is not lossless Huffman (SOF3)", marker - 0xC0));
                default -> { }
            }
            pos = Math.max(pos, end);
        }
        throw new IOException("JPEG stream ends without a scan");
    }

    private int nextMarker() throws IOException {
        while (pos < data.length && (data[pos] & 0xFF) != 0xFF) {
            pos++;
        }
        while (pos < data.length && (data[pos] & 0xFF) == 0xFF) {
            pos++;
        }
        if (pos >= data.length) {
            throw new IOException("JPEG stream ends inside a marker");
        }
        return u8();
    }

    private void frameHeader() throws IOException {
        precision = u8();
        height = u16();
        width = u16();
        int n = u8();
        if (precision < 2 || precision > 16 || width < 1 || height < 1 || n < 1 || n > 4) {
            throw new IOException("bad lossless JPEG frame header: " + width + "x" + height + ", " + n + " components, "
                    + precision + " bits");
        }
        componentIds = new int[n];
        for (int i = 0; i < n; i++) {
            componentIds[i] = u8();
            int sampling = u8();
            u8();
            if (sampling != 0x11) {
                throw new IOException("subsampled lossless JPEG components are not supported");
            }
        }
    }

    private void huffmanTables(int end) throws IOException {
        while (pos < end) {
            int classAndId = u8();
            int[] counts = new int[17];
            int total = 0;
            for (int i = 1; i <= 16; i++) {
                counts[i] = u8();
                total += counts[i];
            }
            int[] symbols = new int[total];
            for (int i = 0; i < total; i++) {
                symbols[i] = u8();
            }
            tables[classAndId & 3] = new HuffmanTable(counts, symbols);
        }
    }

    private Image scan() throws IOException {
        if (componentIds == null) {
            throw new IOException("lossless JPEG scan before its frame header (SOF3)");
        }
        int n = u8();
        int[] tableOf = new int[n];
        int[] componentOf = new int[n];
        for (int i = 0; i < n; i++) {
            int id = u8();
            tableOf[i] = (u8() >> 4) & 3;
            componentOf[i] = indexOf(id);
        }
        int predictor = u8();
        u8(); // Se
        int pointTransform = u8() & 0x0F;
        if (predictor < 1 || predictor > 7) {
            throw new IOException("lossless JPEG predictor " + predictor + " is not 1..7");
        }
        for (int t : tableOf) {
            if (tables[t] == null) {
                throw new IOException("lossless JPEG scan uses undefined Huffman table " + t);
            }
        }
        if (restartInterval % width != 0) {
            throw new IOException("lossless JPEG restart interval " + restartInterval
                    + " is not a whole number of rows (" + width + " samples); not supported");
        }
        int[] out = new int[n * width * height];
        BitReader bits = new BitReader(data, pos);
        int initial = 1 << (precision - pointTransform - 1);
        int firstRowOfInterval = 0;
        for (int m = 0; m < width * height; m++) {
            int x = m % width;
            int y = m / width;
            if (restartInterval > 0 && m > 0 && m % restartInterval == 0) {
                bits.restart();
                firstRowOfInterval = y;
            }
            for (int c = 0; c < n; c++) {
                int[] plane = out;
                int i = componentOf[c] * width * height + m;
                int prediction;
                if (y == firstRowOfInterval) {
                    // first line of the scan or after a restart: default value, then the left neighbour
                    prediction = x == 0 ? initial : plane[i - 1];
                } else if (x == 0) {
                    prediction = plane[i - width];
                } else {
                    int a = plane[i - 1];
                    int b = plane[i - width];
                    int cc = plane[i - width - 1];
                    prediction = switch (predictor) {
                        case 1 -> a;
                        case 2 -> b;
                        case 3 -> cc;
                        case 4 -> a + b - cc;
                        case 5 -> a + ((b - cc) >> 1);
                        case 6 -> b + ((a - cc) >> 1);
                        default -> (a + b) >> 1;
                    };
                }
                out[i] = (prediction + bits.difference(tables[tableOf[c]])) & 0xFFFF; // modulo 2^16 (T.81 H.2.1)
            }
        }
        int mask = (1 << precision) - 1;
        for (int i = 0; i < out.length; i++) {
            out[i] = (out[i] << pointTransform) & mask;
        }
        return new Image(width, height, n, precision, out);
    }

    private int indexOf(int componentId) throws IOException {
        for (int i = 0; i < componentIds.length; i++) {
            if (componentIds[i] == componentId) {
                return i;
            }
        }
        throw new IOException("lossless JPEG scan names unknown component " + componentId);
    }

    private int u8() throws IOException {
        if (pos >= data.length) {
            throw new IOException("JPEG stream ends early");
        }
        return data[pos++] & 0xFF;
    }

    private int u16() throws IOException {
        return u8() << 8 | u8();
    }

    /** A Huffman table in canonical form: per code length the largest code and the first symbol index. */
    static final class HuffmanTable {
        final int[] maxCode = new int[18];
        final int[] valOffset = new int[18];
        final int[] symbols;

        HuffmanTable(int[] counts, int[] symbols) {
            this.symbols = symbols;
            int code = 0;
            int k = 0;
            for (int len = 1; len <= 16; len++) {
                valOffset[len] = k - code;
                code += counts[len];
                k += counts[len];
                maxCode[len] = counts[len] > 0 ? code - 1 : -1;
                code <<= 1;
            }
            maxCode[17] = Integer.MAX_VALUE;
        }
    }

    /** Reads entropy-coded bits, removing stuffed zero bytes and stepping over restart markers. */
    static final class BitReader {
        private final byte[] data;
        private int pos;
        private int buffer;
        private int count;

        BitReader(byte[] data, int pos) {
            this.data = data;
            this.pos = pos;
        }

        private int bit() throws IOException {
            if (count == 0) {
                if (pos >= data.length) {
                    throw new IOException("JPEG entropy-coded data ends early");
                }
                int b = data[pos++] & 0xFF;
                if (b == 0xFF) {
                    int next = pos < data.length ? data[pos] & 0xFF : 0;
                    if (next == 0) {
                        pos++;
                    } else {
                        throw new IOException(String.format("unexpected JPEG marker FF%02X inside entropy-coded data", next));
                    }
                }
                buffer = b;
                count = 8;
            }
            count--;
            return (buffer >> count) & 1;
        }

        int bits(int n) throws IOException {
            int v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 1 | bit();
            }
            return v;
        }

        /** One Huffman-coded category and its extra bits → the signed difference. */
        int difference(HuffmanTable t) throws IOException {
            int code = bit();
            int len = 1;
            while (code > t.maxCode[len]) {
                code = code << 1 | bit();
                if (++len > 16) {
                    throw new IOException("invalid Huffman code in lossless JPEG data");
                }
            }
            int category = t.symbols[code + t.valOffset[len]];
            if (category == 0) {
                return 0;
            }
            if (category == 16) {
                return 32768;
            }
            int v = bits(category);
            return v < 1 << (category - 1) ? v - (1 << category) + 1 : v;
        }

        /** Skips to the byte after the next RSTn marker and forgets buffered bits. */
        void restart() throws IOException {
            count = 0;
            while (pos + 1 < data.length && !((data[pos] & 0xFF) == 0xFF && (data[pos + 1] & 0xF8) == 0xD0)) {
                pos++;
            }
            if (pos + 1 >= data.length) {
                throw new IOException("missing JPEG restart marker");
            }
            pos += 2;
        }
    }
}
