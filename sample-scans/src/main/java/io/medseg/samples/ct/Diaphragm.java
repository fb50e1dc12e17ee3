package io.medseg.samples.ct;

/**
 * The diaphragm as a height field z(x, y) in patient space (LPS, mm): two domes, the right one
 * (over the liver, patient's right = −x) higher than the left (under the heart and over the
 * stomach and spleen), each falling off laterally and more steeply towards the back, where the
 * lungs' posterior recesses reach down behind the upper abdomen.
 */
final class Diaphragm {
    private static final double LATERAL = 220; // mm² per mm of fall: (x − centre)² / LATERAL
    private static final double SAGITTAL = 300;
    private final double rightTop;
    private final double leftTop;

    /** @param rightTopMm z of the right dome's top; @param leftTopMm z of the left one's */
    Diaphragm(double rightTopMm, double leftTopMm) {
        this.rightTop = rightTopMm;
        this.leftTop = leftTopMm;
    }

    double rightTopMm() {
        return rightTop;
    }

    /** The diaphragm's height at (x, y): the higher of the two domes there. */
    double heightMm(double x, double y) {
        return Math.max(dome(rightTop, x + 65, y + 10), dome(leftTop, x - 70, y + 10));
    }

    private static double dome(double top, double dx, double dy) {
        return top - dx * dx / LATERAL - dy * dy / SAGITTAL;
    }

    /** Steepness correction: the height difference to the surface over this is about the distance to it. */
    private double slopeNorm(double x, double y) {
        double right = dome(rightTop, x + 65, y + 10);
        double left = dome(leftTop, x - 70, y + 10);
        double cx = right >= left ? x + 65 : x - 70;
        double gx = 2 * cx / LATERAL;
        double gy = 2 * (y + 10) / SAGITTAL;
        return StrictMath.sqrt(1 + gx * gx + gy * gy);
    }

    /** Everything more than {@code offsetMm} above the diaphragm (negative offset: reaching below it). */
    Solid above(double offsetMm) {
        return side(offsetMm, 1);
    }

    /** Everything more than {@code offsetMm} below the diaphragm. */
    Solid below(double offsetMm) {
        return side(offsetMm, -1);
    }

    private Solid side(double offsetMm, double sign) {
        return new Solid() {
            @Override
            public double signedDistanceMm(double x, double y, double z) {
                double h = heightMm(x, y) + sign * offsetMm;
                return sign * (h - z) / slopeNorm(x, y);
            }

            @Override
            public double[] boundsMm() {
                double big = 1e6;
                double top = Math.max(rightTop, leftTop) + Math.abs(offsetMm) + 1;
                return sign > 0 ? new double[] {-big, big, -big, big, -big, big} : new double[] {-big, big, -big, big, -big, top};
            }
        };
    }
}
