package io.medseg.samples.ct;

/** Combinations of solids and the simple ones the abdomen is built from. */
final class Solids {
    private Solids() {}

    /** Points inside both (signed distance: the larger of the two, a close estimate near edges). */
    static Solid intersection(Solid a, Solid b) {
        return new Solid() {
            @Override
            public double signedDistanceMm(double x, double y, double z) {
                return Math.max(a.signedDistanceMm(x, y, z), b.signedDistanceMm(x, y, z));
            }

            @Override
            public double[] boundsMm() {
                double[] p = a.boundsMm();
                double[] q = b.boundsMm();
                return new double[] {Math.max(p[0], q[0]), Math.min(p[1], q[1]), Math.max(p[2], q[2]),
                        Math.min(p[3], q[3]), Math.max(p[4], q[4]), Math.min(p[5], q[5])};
            }
        };
    }

    /** The part of patient space with y below {@code level} (anterior of it, in LPS). */
    static Solid anteriorOf(double level) {
        return halfSpace(level, -1);
    }

    /** The part of patient space with y above {@code level} (posterior of it, in LPS). */
    static Solid posteriorOf(double level) {
        return halfSpace(level, 1);
    }

    private static Solid halfSpace(double level, double side) {
        return new Solid() {
            @Override
            public double signedDistanceMm(double x, double y, double z) {
                return side * (level - y);
            }

            @Override
            public double[] boundsMm() {
                double big = 1e6;
                return side > 0 ? new double[] {-big, big, level, big, -big, big}
                        : new double[] {-big, big, -big, level, -big, big};
            }
        };
    }

    /**
     * The body's cross-section: an ellipse centred on x = 0, y = 0, with a flatter back (the
     * patient lies on it), shrunk by {@code insetMm}, its width changing slowly along z.
     */
    static Solid body(double halfWidth, double halfDepthFront, double halfDepthBack, double insetMm,
            double zMin, double zMax, double widthWave) {
        return new Solid() {
            @Override
            public double signedDistanceMm(double x, double y, double z) {
                double t = (z - zMin) / Math.max(1, zMax - zMin);
                double a = halfWidth * (1 + widthWave * StrictMath.sin(2.5 * t + 0.7)) - insetMm;
                double b = (y < 0 ? halfDepthFront : halfDepthBack) - insetMm;
                double nu = x / a;
                double nv = y / b;
                double q = StrictMath.sqrt(nu * nu + nv * nv);
                if (q < 1e-9) {
                    return -Math.min(a, b);
                }
                return (q - 1) * StrictMath.sqrt(x * x + y * y) / q;
            }

            @Override
            public double[] boundsMm() {
                double a = halfWidth * (1 + Math.abs(widthWave)) + 2;
                double b = Math.max(halfDepthFront, halfDepthBack) + 2;
                return new double[] {-a, a, -b, b, zMin - 1e3, zMax + 1e3};
            }
        };
    }
}
