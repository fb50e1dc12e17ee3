package io.medseg.samples;

import java.util.Random;

/**
 * One tooth in a radiograph, in its own frame: u runs along the tooth axis from the
 * cemento-enamel junction (u = 0) towards the apex (u = rootLength), v across it. The crown lies
 * at u in [−crownHeight, 0). Shapes follow a lower incisor/premolar (one root) or molar (two).
 */
record Tooth(double centreX, double junctionY, double tiltRadians, double halfWidth, double crownHeight,
        double rootLength, boolean twoRoots, boolean crownUp) {

    static Tooth random(Random r, double centreX, double junctionY, double height, boolean crownUp) {
        double halfWidth = 15 + 7 * r.nextDouble();
        return new Tooth(centreX, junctionY, StrictMath.toRadians(-8 + 16 * r.nextDouble()), halfWidth,
                height * (0.2 + 0.06 * r.nextDouble()), height * (0.42 + 0.14 * r.nextDouble()),
                r.nextDouble() < 0.35, crownUp);
    }

    /** Axial coordinate u of image point (x, y). */
    double u(double x, double y) {
        double dx = x - centreX;
        double dy = (y - junctionY) * (crownUp ? 1 : -1);
        return dx * StrictMath.sin(tiltRadians) + dy * StrictMath.cos(tiltRadians);
    }

    /** Lateral coordinate v of image point (x, y). */
    double v(double x, double y) {
        double dx = x - centreX;
        double dy = (y - junctionY) * (crownUp ? 1 : -1);
        return dx * StrictMath.cos(tiltRadians) - dy * StrictMath.sin(tiltRadians);
    }

    /** Distance outside the root (negative inside), in pixels along v; +∞ off the root's span. */
    double rootMargin(double u, double v) {
        if (u < 0 || u > rootLength) {
            return Double.POSITIVE_INFINITY;
        }
        double t = u / rootLength;
        if (!twoRoots || t < 0.25) {
            double r = halfWidth * (1 - 0.72 * StrictMath.pow(t, 1.6)) * apexRounding(t);
            return Math.abs(v) - r;
        }
        double offset = halfWidth * (0.42 + 0.1 * (t - 0.25));
        double r = halfWidth * 0.58 * (1 - 0.7 * StrictMath.pow(t, 1.4)) * apexRounding(t);
        return Math.min(Math.abs(v - offset), Math.abs(v + offset)) - r;
    }

    private static double apexRounding(double t) {
        return t > 0.9 ? StrictMath.sqrt(Math.max(0, 1 - StrictMath.pow((t - 0.9) / 0.1, 2))) : 1;
    }

    /** Pulp canal inside the root: a thin channel along each root's centre line. */
    boolean inCanal(double u, double v) {
        if (u < 0 || u > 0.9 * rootLength) {
            return false;
        }
        double t = u / rootLength;
        double width = halfWidth * 0.16 * (1 - 0.6 * t);
        if (!twoRoots || t < 0.25) {
            return Math.abs(v) < width;
        }
        double offset = halfWidth * (0.42 + 0.1 * (t - 0.25));
        return Math.min(Math.abs(v - offset), Math.abs(v + offset)) < width * 0.8;
    }

    /** Superellipse of the crown with the given inset; ≤ 1 inside. */
    double crownShape(double u, double v, double inset) {
        double a = halfWidth * 1.15 - inset;
        double b = crownHeight / 2 - inset;
        if (a <= 0 || b <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double cu = u + crownHeight / 2;
        double shape = StrictMath.pow(Math.abs(v) / a, 3) + StrictMath.pow(Math.abs(cu) / b, 3);
        // the crown meets the root at the junction: below its widest point it narrows to the neck
        return cu > 0 ? Math.max(shape, Math.abs(v) / (halfWidth + (a - halfWidth) * (1 - cu / b))) : shape;
    }

    boolean inPulpChamber(double u, double v) {
        double cu = (u + crownHeight * 0.25) / (crownHeight * 0.3);
        return cu * cu + StrictMath.pow(v / (halfWidth * 0.38), 2) < 1;
    }
}
