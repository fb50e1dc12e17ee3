package io.medseg.io.nifti;

import io.medseg.files.AtomicFiles;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.ImageFileException;
import io.medseg.io.ReadLimits;
import io.medseg.io.ScanHeader;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads NIfTI-1/NIfTI-2 images ({@code .nii}, {@code .nii.gz}, {@code .hdr}+{@code .img}, either
 * endianness) into volumes with LPS geometry, and writes volumes and label maps as NIfTI-1
 * ({@code .nii} or gzip-compressed {@code .nii.gz}), atomically.
 *
 * <p>Geometry: the sform is used when its code is set, else the qform, else the voxel sizes
 * (as the NIfTI standard and nibabel do). RAS → LPS negates the first two rows of the affine.
 * Values: {@code scl_slope}/{@code scl_inter} are applied unless the slope is 0 or NaN.
 */
public final class Nifti {
    private Nifti() {}

    /** Whether the name says NIfTI: .nii, .nii.gz or .hdr. */
    public static boolean isNifti(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".nii") || n.endsWith(".nii.gz") || n.endsWith(".hdr");
    }

    /**
     * Reads an image; dimensions beyond the third become channels. Nothing is allocated from the
     * header's claims alone: an uncompressed file must be long enough for the voxels it claims, a
     * compressed one gets its voxel buffer grown as data actually arrives, and both stay within
     * {@link ReadLimits}.
     */
    public static Volume readVolume(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFileException(file, "no such file");
        }
        Path dataFile = file;
        try (InputStream in = open(file)) {
            byte[] head = in.readNBytes(NiftiHeader.NIFTI2_SIZE);
            NiftiHeader h = NiftiHeader.parse(ByteBuffer.wrap(head), file);
            Geometry geometry = geometry(h.affine(), file);
            long[] size = h.sizeXyz();
            ReadLimits.checkVoxels(file, "a NIfTI image of " + size[0] + " x " + size[1] + " x " + size[2]
                    + (h.channels() == 1 ? "" : " x " + h.channels()) + " voxels", size[0], size[1], size[2], h.channels());
            int voxels = (int) (size[0] * size[1] * size[2] * h.channels());
            long headerBytes = head.length;
            InputStream data = in;
            if (!h.singleFile()) {
                dataFile = pairedImage(file);
                data = open(dataFile);
                headerBytes = 0;
            } else if (h.voxOffset() < (h.version() == 1 ? NiftiHeader.NIFTI1_SIZE : NiftiHeader.NIFTI2_SIZE)) {
                throw new ImageFileException(file, "vox_offset " + h.voxOffset() + " lies inside the header");
            }
            checkLength(h, dataFile, voxels);
            if (h.voxOffset() < headerBytes) {
                // NIfTI-1 data can start inside the 540 bytes read for the header
                data = new SequenceInputStream(new ByteArrayInputStream(head, (int) h.voxOffset(),
                        (int) (headerBytes - h.voxOffset())), in);
                headerBytes = h.voxOffset();
            }
            try {
                skip(data, h.voxOffset() - headerBytes, dataFile);
                float[] values = readValues(data, h, voxels, !compressed(dataFile), dataFile);
                return Volume.wrap(values, size, h.channels(), geometry).withNotes(h.notes());
            } finally {
                if (dataFile != file) {
                    data.close();
                }
            }
        } catch (IOException e) {
            throw readError(dataFile, e);
        }
    }

    /** Any I/O failure while reading as the one reader error, naming the file. */
    private static ImageFileException readError(Path file, IOException e) {
        if (e instanceof ImageFileException f) {
            return f;
        }
        String problem = e instanceof ZipException ? "corrupt gzip data: " + e.getMessage()
                : e instanceof EOFException ? "ends early" + (compressed(file) ? " (truncated gzip stream)" : "")
                : "cannot be read: " + e;
        return new ImageFileException(file, problem, e);
    }

    /**
     * The size, channels and geometry of an image from its header alone: no voxel is read, so a small
     * file claiming a huge image costs nothing here.
     */
    public static ScanHeader readHeader(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFileException(file, "no such file");
        }
        try (InputStream in = open(file)) {
            NiftiHeader h = NiftiHeader.parse(ByteBuffer.wrap(in.readNBytes(NiftiHeader.NIFTI2_SIZE)), file);
            long[] size = h.sizeXyz();
            checkLength(h, h.singleFile() ? file : pairedImage(file), size[0] * size[1] * size[2] * h.channels());
            return new ScanHeader(size, h.channels(), geometry(h.affine(), file), h.notes());
        } catch (IOException e) {
            throw readError(file, e);
        }
    }

    /** An uncompressed file must be long enough for the voxels its header claims (checked without reading them). */
    private static void checkLength(NiftiHeader h, Path dataFile, long voxels) throws IOException {
        long dataBytes = voxels * h.dataType().bytes;
        if (!compressed(dataFile) && Files.size(dataFile) - h.voxOffset() < dataBytes) {
            throw new ImageFileException(dataFile, "has " + Math.max(0, Files.size(dataFile) - h.voxOffset())
                    + " bytes of voxel data after vox_offset " + h.voxOffset() + ", the header claims " + dataBytes
                    + " (" + voxels + " voxels of " + h.dataType().name().toLowerCase(Locale.ROOT)
                    + "): truncated file or a corrupt header");
        }
    }

    /**
     * Reads a label image: one channel of whole numbers in 0..255.
     *
     * @throws ImageFileException naming the first voxel that is not a label
     */
    public static LabelMap readLabels(Path file, Map<Integer, String> labelNames) throws IOException {
        Volume v = readVolume(file);
        if (v.channels() != 1) {
            throw new ImageFileException(file, "a label image must have one channel, found " + v.channels());
        }
        float[] d = v.data();
        byte[] labels = new byte[d.length];
        for (int i = 0; i < d.length; i++) {
            float f = d[i];
            if (f < 0 || f > 255 || f != Math.rint(f)) {
                throw new ImageFileException(file, "voxel " + i + " has value " + f + ", not a label in 0..255");
            }
            labels[i] = (byte) f;
        }
        return LabelMap.wrap(labels, v.sizeXyz(), v.geometry(), labelNames);
    }

    /** The file's bytes, decompressed when named .gz; a name that says otherwise than the bytes is refused. */
    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        boolean gzip = in.read() == 0x1F && in.read() == 0x8B;
        in.reset();
        if (gzip != compressed(file)) {
            in.close();
            throw new ImageFileException(file, gzip ? "is gzip-compressed but named without .gz: name it .nii.gz"
                    : "is named .gz but is not gzip-compressed (an uncompressed NIfTI? name it .nii)");
        }
        return gzip ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static boolean compressed(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    private static Path pairedImage(Path header) throws ImageFileException {
        String name = header.getFileName().toString();
        String stem = name.substring(0, name.length() - 4);
        for (String ext : new String[] {".img", ".IMG", ".img.gz"}) {
            Path p = header.resolveSibling(stem + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new ImageFileException(header, "is a two-file NIfTI header but " + stem + ".img is missing");
    }

    private static void skip(InputStream in, long n, Path file) throws IOException {
        if (n < 0) {
            throw new ImageFileException(file, "negative data offset");
        }
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new ImageFileException(file, "ends before vox_offset " + n);
                }
                s = 1;
            }
            left -= s;
        }
    }

    /**
     * The voxel values, scaled. {@code sizeKnown}: the file was checked to hold them all, so the
     * buffer is allocated at once; otherwise it grows (doubling from 16 MB) as values arrive, so
     * a small compressed file claiming a huge image fails before it takes the memory.
     */
    private static float[] readValues(InputStream in, NiftiHeader h, int voxels, boolean sizeKnown, Path file)
            throws IOException {
        NiftiDataType type = h.dataType();
        long bytes = (long) voxels * type.bytes;
        float[] out = new float[sizeKnown ? voxels : Math.min(voxels, 1 << 22)];
        byte[] chunk = new byte[1 << 20]; // a multiple of every type size
        boolean scaled = h.sclSlope() != 0 && !Double.isNaN(h.sclSlope());
        if (scaled && !(Double.isFinite(h.sclSlope()) && Double.isFinite(h.sclInter()))) {
            throw new ImageFileException(file, "scl_slope " + h.sclSlope() + " and scl_inter " + h.sclInter()
                    + " would make the voxel values infinite or NaN");
        }
        int done = 0;
        while (done < voxels) {
            int count = Math.min(voxels - done, chunk.length / type.bytes);
            int got = in.readNBytes(chunk, 0, count * type.bytes);
            if (got < count * type.bytes) {
                throw new ImageFileException(file, "ends inside the voxel data: " + ((long) done * type.bytes + got)
                        + " of " + bytes + " bytes after vox_offset" + (compressed(file) ? " (truncated gzip stream?)" : ""));
            }
            if (done + count > out.length) {
                out = Arrays.copyOf(out, (int) Math.min(voxels, 2L * out.length));
            }
            ByteBuffer b = ByteBuffer.wrap(chunk, 0, count * type.bytes).order(h.order());
            for (int i = 0; i < count; i++) {
                double v = switch (type) {
                    case UINT8 -> b.get() & 0xff;
                    case INT8 -> b.get();
                    case INT16 -> b.getShort();
                    case UINT16 -> b.getShort() & 0xffff;
                    case INT32 -> b.getInt();
                    case UINT32 -> b.getInt() & 0xffffffffL;
                    case INT64 -> b.getLong();
                    case UINT64 -> unsigned(b.getLong());
                    case FLOAT32 -> b.getFloat();
                    case FLOAT64 -> b.getDouble();
                };
                out[done + i] = (float) (scaled ? v * h.sclSlope() + h.sclInter() : v);
            }
            done += count;
        }
        return out;
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2 + (v & 1);
    }

    /** LPS geometry of a RAS affine. */
    static Geometry geometry(double[][] ras, Path file) throws ImageFileException {
        double[] spacing = new double[3];
        double[] direction = new double[9];
        double[] origin = new double[3];
        for (int r = 0; r < 3; r++) {
            double flip = r < 2 ? -1 : 1;
            origin[r] = flip * ras[r][3];
            if (!Double.isFinite(origin[r])) {
                throw new ImageFileException(file, "the affine's offset (origin) is " + ras[r][3] + " on axis " + r
                        + ", not a finite position in mm");
            }
            for (int c = 0; c < 3; c++) {
                direction[r * 3 + c] = flip * ras[r][c];
            }
        }
        for (int c = 0; c < 3; c++) {
            double norm = Math.sqrt(sq(direction[c]) + sq(direction[3 + c]) + sq(direction[6 + c]));
            if (!(norm > 0) || Double.isInfinite(norm)) {
                throw new ImageFileException(file, "the affine's column " + c + " is zero or not finite");
            }
            spacing[c] = norm;
            for (int r = 0; r < 3; r++) {
                direction[r * 3 + c] /= norm;
            }
        }
        return new Geometry(spacing, origin, direction);
    }

    /** The RAS affine (4×4) of a 2D or 3D geometry; a 2D geometry gets unit z spacing. */
    static double[][] rasAffine(Geometry g) {
        int n = g.numDimensions();
        double[] s = g.spacingMm();
        double[] o = g.originMm();
        double[] d = g.direction();
        double[][] a = new double[4][4];
        for (int r = 0; r < 3; r++) {
            double flip = r < 2 ? -1 : 1;
            for (int c = 0; c < 3; c++) {
                double dir = r < n && c < n ? d[r * n + c] : (r == c ? 1 : 0);
                double sp = c < n ? s[c] : 1;
                a[r][c] = flip * dir * sp;
            }
            a[r][3] = flip * (r < n ? o[r] : 0);
        }
        a[3][3] = 1;
        return a;
    }

    private static double sq(double v) {
        return v * v;
    }

    /** Writes a volume as float32 NIfTI-1; {@code .nii.gz} is gzip-compressed. */
    public static void write(Volume volume, Path file, boolean overwrite) throws IOException {
        float[] d = volume.data();
        write(file, overwrite, volume.sizeXyz(), volume.channels(), volume.geometry(), NiftiDataType.FLOAT32, out -> {
            ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : d) {
                if (!b.hasRemaining()) {
                    out.write(b.array(), 0, b.position());
                    b.clear();
                }
                b.putFloat(v);
            }
            out.write(b.array(), 0, b.position());
        });
    }

    /**
     * Writes a one-channel volume of whole numbers (a CT in Hounsfield units) as int16 NIfTI-1, as
     * scanners and dcm2niix store CT: half the size of float32 and far better compressed.
     *
     * @throws IllegalArgumentException naming the first voxel that is not a whole number in −32768…32767
     */
    public static void writeInt16(Volume volume, Path file, boolean overwrite) throws IOException {
        float[] d = volume.data();
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i]) || d[i] < Short.MIN_VALUE || d[i] > Short.MAX_VALUE) {
                throw new IllegalArgumentException(file + ": voxel " + i + " is " + d[i]
                        + ", not a whole number in the int16 range");
            }
        }
        write(file, overwrite, volume.sizeXyz(), volume.channels(), volume.geometry(), NiftiDataType.INT16, out -> {
            ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : d) {
                if (!b.hasRemaining()) {
                    out.write(b.array(), 0, b.position());
                    b.clear();
                }
                b.putShort((short) v);
            }
            out.write(b.array(), 0, b.position());
        });
    }

    /** Writes a label map as uint8 NIfTI-1 with its scan's geometry. */
    public static void write(LabelMap labels, Path file, boolean overwrite) throws IOException {
        byte[] d = labels.data();
        write(file, overwrite, labels.sizeXyz(), 1, labels.geometry(), NiftiDataType.UINT8, out -> out.write(d));
    }

    private interface DataWriter {
        void write(OutputStream out) throws IOException;
    }

    private static void write(Path file, boolean overwrite, long[] sizeXyz, int channels, Geometry g, NiftiDataType type,
            DataWriter data) throws IOException {
        if (!isNifti(file) || file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".hdr")) {
            throw new IllegalArgumentException(file + ": NIfTI output names must end in .nii or .nii.gz");
        }
        boolean gzip = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
        byte[] header = NiftiHeaderWriter.nifti1(sizeXyz, channels, g, type);
        AtomicFiles.writeStream(file, overwrite, raw -> {
            OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : new BufferedOutputStream(raw, 1 << 16);
            out.write(header);
            data.write(out);
            out.flush();
            if (out instanceof GZIPOutputStream z) {
                z.finish();
            }
        });
    }
}
