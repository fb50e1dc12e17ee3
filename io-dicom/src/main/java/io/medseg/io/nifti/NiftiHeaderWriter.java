package io.medseg.io.nifti;

import io.medseg.image.Geometry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds a little-endian NIfTI-1 single-file header (348 bytes + 4-byte empty extension flag). */
final class NiftiHeaderWriter {
    private NiftiHeaderWriter() {}

    static byte[] nifti1(long[] sizeXyz, int channels, Geometry g, NiftiDataType type) {
        ByteBuffer b = ByteBuffer.allocate(352).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, NiftiHeader.NIFTI1_SIZE);
        b.put(38, (byte) 'r'); // regular = 'r', as ANALYZE readers expect
        int n = sizeXyz.length;
        short dims = (short) (channels > 1 ? 4 : n);
        b.putShort(40, dims);
        for (int i = 0; i < 7; i++) {
            long v = i < n ? sizeXyz[i] : i == 3 ? channels : 1;
            if (v > Short.MAX_VALUE) {
                throw new IllegalArgumentException("NIfTI-1 sizes must be <= 32767, got " + v);
            }
            b.putShort(42 + 2 * i, (short) v);
        }
        b.putShort(70, (short) type.code);
        b.putShort(72, (short) (8 * type.bytes));
        double[][] a = Nifti.rasAffine(g);
        double[] spacing = new double[3];
        double[][] rotation = new double[3][3];
        for (int c = 0; c < 3; c++) {
            spacing[c] = Math.sqrt(a[0][c] * a[0][c] + a[1][c] * a[1][c] + a[2][c] * a[2][c]);
            for (int r = 0; r < 3; r++) {
                rotation[r][c] = a[r][c] / spacing[c];
            }
        }
        double[] q = Quaternions.fromRotation(rotation);
        b.putFloat(76, (float) q[3]); // pixdim[0] = qfac
        for (int c = 0; c < 3; c++) {
            b.putFloat(80 + 4 * c, (float) spacing[c]);
        }
        b.putFloat(92, 1f);
        b.putFloat(108, 352f); // vox_offset
        b.putFloat(112, 0f); // scl_slope 0: values are stored unscaled
        b.put(123, (byte) (2 | 8)); // xyzt_units: mm and s
        byte[] descrip = "medseg".getBytes(StandardCharsets.US_ASCII);
        b.put(148, descrip, 0, descrip.length);
        b.putShort(252, (short) 1); // qform_code: scanner anatomical
        b.putShort(254, (short) 1); // sform_code: scanner anatomical
        for (int i = 0; i < 3; i++) {
            b.putFloat(256 + 4 * i, (float) q[i]);
            b.putFloat(268 + 4 * i, (float) a[i][3]);
        }
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                b.putFloat(280 + 16 * r + 4 * c, (float) a[r][c]);
            }
        }
        b.put(344, "n+1".getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }
}
