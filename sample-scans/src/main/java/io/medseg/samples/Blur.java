package io.medseg.samples;

/** Separable Gaussian blur with edge clamping, for the synthetic images' optical blur. */
final class Blur {
    private Blur() {}

    static double[] gaussian(double[] in, int w, int h, double sigma) {
        int radius = (int) StrictMath.ceil(3 * sigma);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = StrictMath.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        double[] tmp = new double[in.length];
        double[] out = new double[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int j = -radius; j <= radius; j++) {
                    s += k[j + radius] * in[y * w + Math.min(w - 1, Math.max(0, x + j))];
                }
                tmp[y * w + x] = s;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int j = -radius; j <= radius; j++) {
                    s += k[j + radius] * tmp[Math.min(h - 1, Math.max(0, y + j)) * w + x];
                }
                out[y * w + x] = s;
            }
        }
        return out;
    }
}
