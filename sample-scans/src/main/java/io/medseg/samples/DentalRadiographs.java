package io.medseg.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic periapical radiographs with tooth-root masks, bit-for-bit deterministic from a seed
 * ({@link Random} and {@link StrictMath} are specified to the bit).
 *
 * <p>Each image shows 3–4 neighbouring teeth (crowns up for the lower jaw, down for the upper),
 * some tilted or cut by the border, with enamel, dentin, pulp and canal, the dark periodontal
 * ligament and bright lamina dura around each root, trabecular bone below the alveolar crest;
 * then overlapping projection, blur, an intensity gradient, gamma and noise, quantised to 8 bits.
 * The root mask is 1 on the roots (dentin and canal beyond the cemento-enamel junction); the canal
 * mask is 1 on the root canals alone (the dark channel inside each root), a second, harder task.
 */
public final class DentalRadiographs {
    /** An 8-bit image (0..255, x fastest) and its 0/1 masks. */
    public record Radiograph(int width, int height, float[] image, byte[] rootMask, byte[] canalMask) {}

    private DentalRadiographs() {}

    public static Radiograph generate(long seed, int width, int height) {
        Random r = new Random(Seeds.scramble(seed));
        boolean crownUp = r.nextBoolean();
        double junction = height * (0.3 + 0.08 * r.nextDouble());
        double junctionY = crownUp ? junction : height - junction;
        List<Tooth> teeth = new ArrayList<>();
        double x = -10 + 25 * r.nextDouble();
        while (x < width + 10) {
            Tooth t = Tooth.random(r, x, junctionY + (r.nextDouble() - 0.5) * 12, height, crownUp);
            teeth.add(t);
            x += 2 * t.halfWidth() * 1.2 + 4 + 10 * r.nextDouble();
        }
        double[] attenuation = new double[width * height];
        byte[] mask = new byte[width * height];
        byte[] canal = new byte[width * height];
        double crest = junction + 6 + 6 * r.nextDouble();
        Texture bone = Texture.random(r, 6);
        for (int py = 0; py < height; py++) {
            for (int px = 0; px < width; px++) {
                int i = py * width + px;
                double depth = crownUp ? py : height - 1 - py; // distance from the occlusal side
                double wave = 5 * StrictMath.sin(px / 23.0 + seed % 7);
                double a = 0.12; // soft tissue
                if (depth > crest + wave) {
                    a += 0.38 + 0.12 * bone.at(px, py) + 0.04 * Math.min(1, (depth - crest - wave) / 12);
                }
                for (Tooth t : teeth) {
                    a += toothAttenuation(t, px + 0.5, py + 0.5, mask, canal, i);
                }
                attenuation[i] = a;
            }
        }
        return new Radiograph(width, height, expose(attenuation, width, height, r), mask, canal);
    }

    /** What one tooth adds at a point (and marks its root and canal in the masks). */
    private static double toothAttenuation(Tooth t, double x, double y, byte[] mask, byte[] canal, int i) {
        double u = t.u(x, y);
        double v = t.v(x, y);
        if (u < 0) {
            if (t.crownShape(u, v, 0) > 1) {
                return 0;
            }
            if (t.inPulpChamber(u, v)) {
                return 0.2;
            }
            return t.crownShape(u, v, 3.5) > 1 ? 0.75 : 0.5; // enamel shell, dentin core
        }
        double margin = t.rootMargin(u, v);
        if (margin <= 0) {
            mask[i] = 1;
            if (t.inCanal(u, v)) {
                canal[i] = 1;
                return 0.12;
            }
            return 0.3;
        }
        if (margin < 2.2) {
            return -0.14; // periodontal ligament space: darker than bone
        }
        if (margin < 4.5) {
            return 0.1; // lamina dura
        }
        return 0;
    }

    /** Film response, blur, gradient, gamma, noise, 8-bit quantisation. */
    private static float[] expose(double[] attenuation, int w, int h, Random r) {
        double sigma = 0.8 + 1.0 * r.nextDouble();
        double[] blurred = Blur.gaussian(attenuation, w, h, sigma);
        double gx = (r.nextDouble() - 0.5) * 0.3;
        double gy = (r.nextDouble() - 0.5) * 0.3;
        double gamma = 0.8 + 0.4 * r.nextDouble();
        double noise = 0.015 + 0.02 * r.nextDouble();
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double a = blurred[y * w + x] * (1 + gx * (x / (double) w - 0.5) + gy * (y / (double) h - 0.5));
                double v = 1 - StrictMath.exp(-1.6 * Math.max(a, 0));
                v = StrictMath.pow(Math.max(v, 0), gamma) + noise * r.nextGaussian();
                out[y * w + x] = (float) Math.max(0, Math.min(255, Math.round(v * 255 * 1.15)));
            }
        }
        return out;
    }
}
