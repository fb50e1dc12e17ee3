package io.medseg.samples.ct;

import java.util.Random;

/**
 * An organ-like solid: an ellipsoid (centre and semi-axes in mm, turned about z and tilted about
 * x) whose surface is pushed in and out by a few smooth lobes, so no two organs have the same
 * outline. {@link #signedDistanceMm} is negative inside; it is exact for a sphere and a close,
 * smooth estimate otherwise, which is all partial-volume edges need.
 */
final class Blob implements Solid {
    private final double cx;
    private final double cy;
    private final double cz;
    private final double ax;
    private final double ay;
    private final double az;
    private final double cosYaw;
    private final double sinYaw;
    private final double cosTilt;
    private final double sinTilt;
    /** Lobes: amplitude, frequency around z, frequency along the polar angle, two phases. */
    private final double[][] lobes;

    Blob(double[] centre, double[] semiAxes, double yawRad, double tiltRad, double[][] lobes) {
        cx = centre[0];
        cy = centre[1];
        cz = centre[2];
        ax = semiAxes[0];
        ay = semiAxes[1];
        az = semiAxes[2];
        cosYaw = StrictMath.cos(yawRad);
        sinYaw = StrictMath.sin(yawRad);
        cosTilt = StrictMath.cos(tiltRad);
        sinTilt = StrictMath.sin(tiltRad);
        this.lobes = lobes;
    }

    /** Random lobes of total amplitude up to {@code roughness} (a fraction of the radius). */
    static double[][] randomLobes(Random r, int count, double roughness) {
        double[][] lobes = new double[count][];
        for (int k = 0; k < count; k++) {
            lobes[k] = new double[] {roughness / count * (0.5 + r.nextDouble()), 1 + r.nextInt(3), 1 + r.nextInt(3),
                    2 * Math.PI * r.nextDouble(), 2 * Math.PI * r.nextDouble()};
        }
        return lobes;
    }

    @Override
    public double signedDistanceMm(double x, double y, double z) {
        double dx = x - cx;
        double dy = y - cy;
        double dz = z - cz;
        double u = cosYaw * dx + sinYaw * dy; // into the blob's own frame
        double v = -sinYaw * dx + cosYaw * dy;
        double w = cosTilt * dz - sinTilt * v;
        v = sinTilt * dz + cosTilt * v;
        double nu = u / ax;
        double nv = v / ay;
        double nw = w / az;
        double q = StrictMath.sqrt(nu * nu + nv * nv + nw * nw);
        if (q < 1e-9) {
            return -Math.min(ax, Math.min(ay, az));
        }
        double surface = 1;
        if (lobes.length > 0) {
            double around = StrictMath.atan2(nv, nu);
            double polar = StrictMath.acos(Math.max(-1, Math.min(1, nw / q)));
            for (double[] l : lobes) {
                surface += l[0] * StrictMath.sin(l[1] * around + l[3]) * StrictMath.cos(l[2] * polar + l[4]);
            }
        }
        double radiusMm = StrictMath.sqrt(u * u + v * v + w * w) / q; // distance to the unit surface along this ray
        return (q - surface) * radiusMm;
    }

    @Override
    public double[] boundsMm() {
        double grow = 1.0;
        for (double[] l : lobes) {
            grow += Math.abs(l[0]);
        }
        double r = grow * Math.max(ax, Math.max(ay, az)) + 2;
        return new double[] {cx - r, cx + r, cy - r, cy + r, cz - r, cz + r};
    }

    double[] centre() {
        return new double[] {cx, cy, cz};
    }
}
