package io.medseg.io.nifti;

import io.medseg.io.ImageFileException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The fields of a NIfTI-1 (348-byte) or NIfTI-2 (540-byte) header that decide the voxel values and
 * their geometry. Endianness is detected from {@code sizeof_hdr}.
 */
record NiftiHeader(int version, ByteOrder order, long[] dim, NiftiDataType dataType, double[] pixdim,
        long voxOffset, double sclSlope, double sclInter, int qformCode, int sformCode, double[] quatern,
        double[] qoffset, double[][] srow, boolean singleFile) {

    static final int NIFTI1_SIZE = 348;
    static final int NIFTI2_SIZE = 540;

    /**
     * Parses a header from the first bytes of a file (at least 540 available, or 348 for NIfTI-1).
     *
     * @throws ImageFileException for a wrong magic, unknown data type or absurd dimensions
     */
    static NiftiHeader parse(ByteBuffer raw, Path file) throws ImageFileException {
        if (raw.remaining() < NIFTI1_SIZE) {
            throw new ImageFileException(file, "too short for a NIfTI header (" + raw.remaining() + " bytes)");
        }
        ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int size = b.getInt(0);
        if (size != NIFTI1_SIZE && size != NIFTI2_SIZE) {
            b.order(ByteOrder.BIG_ENDIAN);
            size = b.getInt(0);
        }
        if (size == NIFTI1_SIZE) {
            return parse1(b, file);
        }
        if (size == NIFTI2_SIZE) {
            if (raw.remaining() < NIFTI2_SIZE) {
                throw new ImageFileException(file, "truncated NIfTI-2 header (" + raw.remaining() + " of 540 bytes)");
            }
            return parse2(b, file);
        }
        throw new ImageFileException(file, "not a NIfTI file: sizeof_hdr is " + b.order(ByteOrder.LITTLE_ENDIAN).getInt(0)
                + ", expected 348 (NIfTI-1) or 540 (NIfTI-2)");
    }

    private static NiftiHeader parse1(ByteBuffer b, Path file) throws ImageFileException {
        String magic = ascii(b, 344, 4);
        boolean single = magic.equals("n+1");
        if (!single && !magic.equals("ni1")) {
            throw new ImageFileException(file, "NIfTI-1 magic is '" + magic + "', expected 'n+1' or 'ni1'"
                    + " (ANALYZE 7.5 files without orientation are not read)");
        }
        long[] dim = new long[8];
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getShort(40 + 2 * i);
        }
        double[] pixdim = new double[8];
        for (int i = 0; i < 8; i++) {
            pixdim[i] = b.getFloat(76 + 4 * i);
        }
        double[][] srow = new double[3][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                srow[r][c] = b.getFloat(280 + 16 * r + 4 * c);
            }
        }
        return new NiftiHeader(1, b.order(), dims(dim, file), dataType(b.getShort(70), file), pixdim,
                voxOffset(b.getFloat(108), file), b.getFloat(112), b.getFloat(116), b.getShort(252), b.getShort(254),
                new double[] {b.getFloat(256), b.getFloat(260), b.getFloat(264)},
                new double[] {b.getFloat(268), b.getFloat(272), b.getFloat(276)}, srow, single);
    }

    private static NiftiHeader parse2(ByteBuffer b, Path file) throws ImageFileException {
        String magic = ascii(b, 4, 3);
        boolean single = magic.equals("n+2");
        if (!single && !magic.equals("ni2")) {
            throw new ImageFileException(file, "NIfTI-2 magic is '" + magic + "', expected 'n+2' or 'ni2'");
        }
        long[] dim = new long[8];
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getLong(16 + 8 * i);
        }
        double[] pixdim = new double[8];
        for (int i = 0; i < 8; i++) {
            pixdim[i] = b.getDouble(104 + 8 * i);
        }
        double[][] srow = new double[3][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                srow[r][c] = b.getDouble(400 + 32 * r + 8 * c);
            }
        }
        return new NiftiHeader(2, b.order(), dims(dim, file), dataType(b.getShort(12), file), pixdim,
                voxOffset(b.getLong(168), file),
                b.getDouble(176), b.getDouble(184), b.getInt(344), b.getInt(348),
                new double[] {b.getDouble(352), b.getDouble(360), b.getDouble(368)},
                new double[] {b.getDouble(376), b.getDouble(384), b.getDouble(392)}, srow, single);
    }

    private static NiftiDataType dataType(int code, Path file) throws ImageFileException {
        NiftiDataType t = NiftiDataType.of(code);
        if (t == null) {
            throw new ImageFileException(file, "NIfTI datatype " + code + " is not supported (read: uint8, int8, int16,"
                    + " uint16, int32, uint32, int64, uint64, float32, float64)");
        }
        return t;
    }

    /** Checks dim[0] in 1..7 and every used dim ≥ 1 (the voxel count is checked against {@code ReadLimits} by the reader). */
    private static long[] dims(long[] dim, Path file) throws ImageFileException {
        if (dim[0] < 1 || dim[0] > 7) {
            throw new ImageFileException(file, "dim[0] is " + dim[0] + ", expected 1 to 7");
        }
        double count = 1;
        for (int i = 1; i <= dim[0]; i++) {
            if (dim[i] < 1) {
                throw new ImageFileException(file, "dim[" + i + "] is " + dim[i] + ", must be >= 1");
            }
            count *= dim[i];
        }
        if (count > Integer.MAX_VALUE - 8) {
            String claimed = count < 9e18 ? Long.toString((long) count) : String.format(Locale.ROOT, "%.4g", count);
            throw new ImageFileException(file, "the header claims " + claimed
                    + " voxels (dim " + Arrays.toString(Arrays.copyOfRange(dim, 1, (int) dim[0] + 1))
                    + "), more than one image can hold (2^31)");
        }
        return dim;
    }

    private static long voxOffset(double offset, Path file) throws ImageFileException {
        if (!(offset >= 0) || offset > Long.MAX_VALUE / 2) {
            throw new ImageFileException(file, "vox_offset is " + offset + ", expected a byte offset >= 0");
        }
        return (long) offset;
    }

    private static String ascii(ByteBuffer b, int offset, int length) {
        byte[] s = new byte[length];
        for (int i = 0; i < length; i++) {
            s[i] = b.get(offset + i);
        }
        int end = 0;
        while (end < length && s[end] != 0) {
            end++;
        }
        return new String(s, 0, end, StandardCharsets.US_ASCII);
    }

    /** Spatial sizes (up to 3) and the number of channels (the product of dims 4..7). */
    long[] sizeXyz() {
        int n = (int) Math.min(dim[0], 3);
        long[] s = new long[3];
        for (int i = 0; i < 3; i++) {
            s[i] = i < n ? dim[i + 1] : 1;
        }
        return s;
    }

    int channels() {
        long c = 1;
        for (int i = 4; i <= dim[0]; i++) {
            c *= dim[i];
        }
        return (int) c;
    }

    /**
     * The voxel sizes as nibabel reads them: |pixdim[1..3]|, a zero taken as 1 (nibabel warns for
     * both, and so do {@link #notes()}).
     */
    double[] zooms() {
        double[] z = new double[3];
        for (int i = 0; i < 3; i++) {
            double p = Math.abs(pixdim[i + 1]);
            z[i] = p > 0 && Double.isFinite(p) ? p : 1;
        }
        return z;
    }

    /** What reading repairs in this header, in nibabel's words where nibabel warns too. */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        boolean negative = false;
        boolean zero = false;
        for (int i = 1; i <= 3; i++) {
            negative |= pixdim[i] < 0;
            zero |= pixdim[i] == 0 || !Double.isFinite(pixdim[i]);
        }
        String values = String.format(Locale.ROOT, "(%s, %s, %s)", (float) pixdim[1], (float) pixdim[2],
                (float) pixdim[3]);
        if (negative) {
            notes.add("pixdim[1,2,3] " + values + " should be positive; setting to abs of pixdim values (as nibabel)");
        }
        if (zero) {
            notes.add("pixdim[1,2,3] " + values + " should be non-zero; setting 0 dims to 1 (as nibabel)");
        }
        if (sformCode <= 0 && qformCode <= 0) {
            notes.add("neither sform nor qform is set: orientation unknown, voxel sizes only (NIfTI method 1:"
                    + " the identity orientation at the origin)");
        }
        return notes;
    }

    /** The 4×4 RAS affine (index → mm): sform if set, else qform, else pixdim scaling (NIfTI "method 1"). */
    double[][] affine() {
        if (sformCode > 0) {
            return new double[][] {srow[0].clone(), srow[1].clone(), srow[2].clone(), {0, 0, 0, 1}};
        }
        double[] zooms = zooms();
        if (qformCode > 0) {
            return Quaternions.qformAffine(quatern, qoffset, zooms, pixdim[0] < 0 ? -1 : 1);
        }
        return new double[][] {{zooms[0], 0, 0, 0}, {0, zooms[1], 0, 0}, {0, 0, zooms[2], 0}, {0, 0, 0, 1}};
    }
}
