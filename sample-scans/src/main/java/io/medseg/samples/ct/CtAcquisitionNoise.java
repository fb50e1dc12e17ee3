package io.medseg.samples.ct;

import java.util.Random;

/**
 * What the scanner adds to the painted anatomy: streaks radiating from the spine (bone and
 * contrast harden the beam), in-plane correlated Gaussian noise of a chosen standard deviation
 * (white noise smoothed by [1 2 1]/4 along x and y, as a reconstruction kernel correlates CT
 * noise), and whole Hounsfield units clamped to a 12-bit scanner's −1024…3071.
 */
final class CtAcquisitionNoise {
    /** [1 2 1]/4 along x then y keeps (6/16)² of white noise's variance: 0.375 of its deviation. */
    private static final double SMOOTHED_STD = 0.375;

    private CtAcquisitionNoise() {}

    static void apply(CtCanvas c, Random r, double noiseHu, double spineY) {
        int plane = c.nx * c.ny;
        float[] white = new float[plane];
        float[] tmp = new float[plane];
        int streaks = 2 + r.nextInt(3);
        double[] angle = new double[streaks];
        double[] amplitude = new double[streaks];
        for (int s = 0; s < streaks; s++) {
            angle[s] = Math.PI * r.nextDouble();
            amplitude[s] = (r.nextBoolean() ? 1 : -1) * (10 + 30 * r.nextDouble());
        }
        double width = 1.5 * c.spacing[0];
        for (int k = 0; k < c.nz; k++) {
            int base = k * plane;
            for (int v = 0; v < plane; v++) {
                white[v] = (float) (r.nextGaussian() * noiseHu / SMOOTHED_STD);
            }
            smoothX(white, tmp, c.nx, c.ny);
            smoothY(tmp, white, c.nx, c.ny);
            double wobble = 0.05 * r.nextGaussian();
            double[] sin = new double[streaks];
            double[] cos = new double[streaks];
            for (int s = 0; s < streaks; s++) {
                sin[s] = StrictMath.sin(angle[s] + wobble);
                cos[s] = StrictMath.cos(angle[s] + wobble);
            }
            for (int j = 0; j < c.ny; j++) {
                double y = c.y(j) - spineY;
                for (int i = 0; i < c.nx; i++) {
                    int v = base + j * c.nx + i;
                    double value = c.hu[v];
                    if (value > -500) { // streaks show inside the body, not in the air around it
                        double x = c.x(i);
                        for (int s = 0; s < streaks; s++) {
                            double across = Math.abs(-sin[s] * x + cos[s] * y);
                            if (across < 4 * width) {
                                double rr = StrictMath.sqrt(x * x + y * y);
                                value += amplitude[s] * StrictMath.exp(-across * across / (width * width) - rr / 150);
                            }
                        }
                    }
                    value += white[j * c.nx + i];
                    c.hu[v] = (float) Math.max(-1024, Math.min(3071, Math.rint(value))) + 0f; // no −0
                }
            }
        }
    }

    private static void smoothX(float[] in, float[] out, int nx, int ny) {
        for (int j = 0; j < ny; j++) {
            int row = j * nx;
            for (int i = 0; i < nx; i++) {
                float left = in[row + Math.max(0, i - 1)];
                float right = in[row + Math.min(nx - 1, i + 1)];
                out[row + i] = 0.25f * left + 0.5f * in[row + i] + 0.25f * right;
            }
        }
    }

    private static void smoothY(float[] in, float[] out, int nx, int ny) {
        for (int j = 0; j < ny; j++) {
            int up = Math.max(0, j - 1) * nx;
            int down = Math.min(ny - 1, j + 1) * nx;
            int row = j * nx;
            for (int i = 0; i < nx; i++) {
                out[row + i] = 0.25f * in[up + i] + 0.5f * in[row + i] + 0.25f * in[down + i];
            }
        }
    }
}
