package io.medseg.io.dicomweb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** multipart/related bodies (RFC 2387) as WADO-RS answers and STOW-RS requests carry DICOM files. */
final class Multipart {
    private Multipart() {}

    /** The boundary parameter of a Content-Type header, or null. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring(9).trim();
                return b.startsWith("\"") && b.endsWith("\"") && b.length() >= 2 ? b.substring(1, b.length() - 1) : b;
            }
        }
        return null;
    }

    /**
     * The bodies of the parts, in order, without their headers.
     *
     * @throws IllegalArgumentException when the body does not have the boundary's structure
     */
    static List<byte[]> parts(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<byte[]> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw new IllegalArgumentException("no part delimiter --" + boundary + " in " + body.length + " bytes");
        }
        while (true) {
            int after = at + delimiter.length;
            if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') {
                return parts; // the close delimiter
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), after);
            if (headersEnd < 0) {
                throw new IllegalArgumentException("a part without the blank line after its headers");
            }
            int start = headersEnd + 4;
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII), start);
            if (next < 0) {
                throw new IllegalArgumentException("the body ends inside a part (" + (body.length - start) + " bytes"
                        + " after its headers, no closing delimiter): truncated");
            }
            byte[] part = new byte[next - start];
            System.arraycopy(body, start, part, 0, part.length);
            parts.add(part);
            at = next + 2;
        }
    }

    /** A multipart/related body of DICOM files with this boundary. */
    static byte[] of(List<byte[]> files, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : files) {
            out.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(f);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
