package io.medseg.samples;

import java.util.Random;

/** Trabecular-looking bone texture in [−1, 1]: a sum of random oriented cosine waves. */
final class Texture {
    private final double[] kx;
    private final double[] ky;
    private final double[] phase;

    private Texture(double[] kx, double[] ky, double[] phase) {
        this.kx = kx;
        this.ky = ky;
        this.phase = phase;
    }

    static Texture random(Random r, int waves) {
        double[] kx = new double[waves];
        double[] ky = new double[waves];
        double[] phase = new double[waves];
        for (int i = 0; i < waves; i++) {
            double angle = r.nextDouble() * StrictMath.PI;
            double frequency = 0.15 + 0.35 * r.nextDouble(); // periods of 12 to 40 pixels
            kx[i] = frequency * StrictMath.cos(angle);
            ky[i] = frequency * StrictMath.sin(angle);
            phase[i] = r.nextDouble() * 2 * StrictMath.PI;
        }
        return new Texture(kx, ky, phase);
    }

    double at(double x, double y) {
        double s = 0;
        for (int i = 0; i < kx.length; i++) {
            s += StrictMath.cos(kx[i] * x + ky[i] * y + phase[i]);
        }
        return s / kx.length;
    }
}
