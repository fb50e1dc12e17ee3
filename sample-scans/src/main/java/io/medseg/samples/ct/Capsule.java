package io.medseg.samples.ct;

/** A tube piece: all points within {@code radius} of the segment a–b (vessels, bowel, ribs). */
final class Capsule implements Solid {
    private final double[] a;
    private final double[] b;
    private final double radiusA;
    private final double radiusB;

    /** The radius changes linearly from a to b (a vessel tapering towards its branches). */
    Capsule(double[] a, double[] b, double radiusA, double radiusB) {
        this.a = a.clone();
        this.b = b.clone();
        this.radiusA = radiusA;
        this.radiusB = radiusB;
    }

    @Override
    public double signedDistanceMm(double x, double y, double z) {
        double ux = b[0] - a[0];
        double uy = b[1] - a[1];
        double uz = b[2] - a[2];
        double len2 = ux * ux + uy * uy + uz * uz;
        double px = x - a[0];
        double py = y - a[1];
        double pz = z - a[2];
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, (px * ux + py * uy + pz * uz) / len2));
        double dx = px - t * ux;
        double dy = py - t * uy;
        double dz = pz - t * uz;
        return StrictMath.sqrt(dx * dx + dy * dy + dz * dz) - (radiusA + t * (radiusB - radiusA));
    }

    @Override
    public double[] boundsMm() {
        double r = Math.max(radiusA, radiusB) + 2;
        return new double[] {Math.min(a[0], b[0]) - r, Math.max(a[0], b[0]) + r, Math.min(a[1], b[1]) - r,
                Math.max(a[1], b[1]) + r, Math.min(a[2], b[2]) - r, Math.max(a[2], b[2]) + r};
    }
}
