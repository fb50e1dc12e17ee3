package io.medseg.nnunet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** numpy's .npy files (version 1–3, little-endian float32/float64/int, C order): golden arrays of the fixture script. */
record Npy(long[] shape, float[] values) {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=])([fiub])(\\d)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    static Npy read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        b.get(magic);
        if (!new String(magic, StandardCharsets.ISO_8859_1).equals("\u0093NUMPY")) {
            throw new IOException(file + ": not a .npy file");
        }
        int major = b.get();
        b.get();
        int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        byte[] h = new byte[headerLength];
        b.get(h);
        String header = new String(h, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find() || f.group(1).equals("True") || d.group(1).equals(">")) {
            throw new IOException(file + ": a .npy layout this reader does not take: " + header.trim());
        }
        long[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(t -> !t.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        int n = (int) Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        char kind = d.group(2).charAt(0);
        int size = Integer.parseInt(d.group(3));
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = switch (kind + "" + size) {
                case "f4" -> b.getFloat();
                case "f8" -> (float) b.getDouble();
                case "i1", "u1", "b1" -> kind == 'i' ? b.get() : b.get() & 0xff;
                case "i2" -> b.getShort();
                case "u2" -> b.getShort() & 0xffff;
                case "i4" -> b.getInt();
                case "i8" -> b.getLong();
                default -> throw new IOException(file + ": dtype " + d.group(0) + " is not read here");
            };
        }
        return new Npy(shape, values);
    }
}
