package io.medseg.io.nifti;

/** NIfTI qform quaternion ↔ rotation, as nifti1_io's {@code quatern_to_mat44} / {@code mat44_to_quatern}. */
final class Quaternions {
    private Quaternions() {}

    /** Affine from quaternion (b, c, d), offset, voxel sizes and qfac (±1). */
    static double[][] qformAffine(double[] bcd, double[] offset, double[] zooms, double qfac) {
        double b = bcd[0];
        double c = bcd[1];
        double d = bcd[2];
        double a = 1.0 - (b * b + c * c + d * d);
        if (a < 1e-7) {
            // a 180° rotation: renormalise (b, c, d) and use a = 0, as nifti1_io does
            double norm = 1.0 / Math.sqrt(b * b + c * c + d * d);
            b *= norm;
            c *= norm;
            d *= norm;
            a = 0;
        } else {
            a = Math.sqrt(a);
        }
        double[][] r = {
            {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
            {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
            {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}};
        double[][] m = new double[4][4];
        double[] z = {zooms[0], zooms[1], zooms[2] * qfac};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                m[i][j] = r[i][j] * z[j];
            }
            m[i][3] = offset[i];
        }
        m[3][3] = 1;
        return m;
    }

    /**
     * Quaternion (b, c, d) and qfac of a rotation matrix with orthonormal columns (the direction
     * cosines in RAS). A left-handed matrix gets qfac −1 with its third column negated first.
     */
    static double[] fromRotation(double[][] r) {
        double[][] m = {r[0].clone(), r[1].clone(), r[2].clone()};
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        double qfac = 1;
        if (det < 0) {
            qfac = -1;
            for (int i = 0; i < 3; i++) {
                m[i][2] = -m[i][2];
            }
        }
        double a = m[0][0] + m[1][1] + m[2][2] + 1;
        double b;
        double c;
        double d;
        if (a > 0.5) {
            a = 0.5 * Math.sqrt(a);
            b = 0.25 * (m[2][1] - m[1][2]) / a;
            c = 0.25 * (m[0][2] - m[2][0]) / a;
            d = 0.25 * (m[1][0] - m[0][1]) / a;
        } else {
            double xd = 1.0 + m[0][0] - (m[1][1] + m[2][2]);
            double yd = 1.0 + m[1][1] - (m[0][0] + m[2][2]);
            double zd = 1.0 + m[2][2] - (m[0][0] + m[1][1]);
            if (xd > 1.0) {
                b = 0.5 * Math.sqrt(xd);
                c = 0.25 * (m[0][1] + m[1][0]) / b;
                d = 0.25 * (m[0][2] + m[2][0]) / b;
                a = 0.25 * (m[2][1] - m[1][2]) / b;
            } else if (yd > 1.0) {
                c = 0.5 * Math.sqrt(yd);
                b = 0.25 * (m[0][1] + m[1][0]) / c;
                d = 0.25 * (m[1][2] + m[2][1]) / c;
                a = 0.25 * (m[0][2] - m[2][0]) / c;
            } else {
                d = 0.5 * Math.sqrt(zd);
                b = 0.25 * (m[0][2] + m[2][0]) / d;
                c = 0.25 * (m[1][2] + m[2][1]) / d;
                a = 0.25 * (m[1][0] - m[0][1]) / d;
            }
            if (a < 0) {
                b = -b;
                c = -c;
                d = -d;
            }
        }
        return new double[] {b, c, d, qfac};
    }
}
