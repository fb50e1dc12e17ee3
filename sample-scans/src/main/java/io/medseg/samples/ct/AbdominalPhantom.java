package io.medseg.samples.ct;

import io.medseg.image.Geometry;
import io.medseg.samples.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Synthetic abdominal CT in Hounsfield units with liver (1) and kidney (2) labels, bit-for-bit
 * deterministic from a seed ({@link Random} and {@link StrictMath} are specified to the bit).
 *
 * <p>Each case draws its own body (width, depth, fat), field of view, in-plane spacing (field of
 * view / matrix), slice thickness, z coverage (the liver dome or the kidneys' lower poles may be
 * cut off) and contrast phase, then paints, each over the last with partial-volume edges: table,
 * skin, subcutaneous fat, abdominal wall, paraspinal and psoas muscles, vertebrae with discs and
 * posterior arches, ribs, aorta and vena cava, bowel loops (gas, fluid or oral contrast), stomach
 * with an air–fluid level, spleen, a liver of two or three lobes with portal and hepatic veins
 * and sometimes a lesion, a gallbladder cut out of it, the vena cava through it, both kidneys
 * (cortex, medulla, sinus fat, pelvis, sometimes a cyst, the right one touching the liver) with
 * their vessels; then parenchymal texture, correlated noise and streaks from the spine.
 *
 * <p>With {@link Acquisition#lowerChest()} (the default of {@link Acquisition#clinical()}) the
 * abdomen ends at a domed diaphragm (the right dome higher) with the liver, stomach and spleen
 * beneath it, lung bases with their vessels and the heart resting on the left dome just above the
 * liver — its wall as grey as liver in most phases, which a model that never saw a heart takes for
 * liver — and the scan starts anywhere from below the dome's top to the mid-chest. Without it
 * (abdomen only, the generator's first form, kept bit for bit) the organs end in fat.
 */
public final class AbdominalPhantom {
    /** One generated case: HU and labels in LPS order on {@code geometry}, and what was drawn. */
    public record CtCase(float[] hu, byte[] labels, long[] sizeXyz, Geometry geometry, String phase,
            boolean oralContrast, int kidneyCysts, boolean liverLesion, double diaphragmTopMm) {
        /** Whether the anatomy has the lower chest (then {@link #diaphragmTopMm()} is the right dome's top, else NaN). */
        public boolean lowerChest() {
            return !Double.isNaN(diaphragmTopMm);
        }

        /** How far the centre of the top slice lies above the right dome's top (negative: the scan starts below it). */
        public double scanTopAboveDomeMm() {
            return geometry.originMm()[2] + (sizeXyz[2] - 1) * geometry.spacingMm()[2] - diaphragmTopMm;
        }
    }

    /**
     * What the generator may choose from: the in-plane matrix (spacing = field of view / matrix),
     * the slice thicknesses in mm, and whether the anatomy has the lower chest (where the scan starts is drawn per case).
     */
    public record Acquisition(int matrix, double[] sliceThicknessesMm, boolean lowerChest) {
        /** An acquisition with the lower chest in the anatomy. */
        public Acquisition(int matrix, double[] sliceThicknessesMm) {
            this(matrix, sliceThicknessesMm, true);
        }

        public Acquisition withLowerChest(boolean chest) {
            return new Acquisition(matrix, sliceThicknessesMm, chest);
        }

        /** A clinical abdominal CT: 512², 0.6–0.9 mm in-plane (field of view 310–460 mm), 1–5 mm slices, the lower chest. */
        public static Acquisition clinical() {
            return new Acquisition(512, new double[] {1, 1.25, 1.5, 2, 2.5, 3, 5});
        }
    }

    private final Random r;
    /**
     * The lower chest's draws come from a stream of their own, so a case's body, field of view,
     * spacing and phase stay those of its abdomen-only twin (the organs do not: the skin's per-voxel
     * noise draws from the main stream as many numbers as the taller or shorter scan has skin voxels).
     */
    private final Random chest;
    private final Acquisition acquisition;

    private AbdominalPhantom(long seed, Acquisition acquisition) {
        this.r = new Random(Seeds.scramble(seed));
        this.chest = acquisition.lowerChest() ? new Random(Seeds.scramble(seed) ^ 0x9E3779B97F4A7C15L) : null;
        this.acquisition = acquisition;
    }

    public static CtCase generate(long seed, Acquisition acquisition) {
        return new AbdominalPhantom(seed, acquisition).build();
    }

    private double uniform(double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    private double jitter(double hu, double spread) {
        return hu + spread * r.nextGaussian();
    }

    private CtCase build() {
        ContrastPhase phase = ContrastPhase.random(r);
        // body and field of view
        double halfWidth = uniform(135, 175);
        double halfFront = uniform(100, 130);
        double halfBack = halfFront * uniform(0.78, 0.88);
        double fat = uniform(8, 35);
        double wall = uniform(8, 14);
        double fov = uniform(310, 460); // 0.6–0.9 mm at 512²
        double inPlane = fov / acquisition.matrix();
        double thickness = acquisition.sliceThicknessesMm()[r.nextInt(acquisition.sliceThicknessesMm().length)];
        // anatomy heights relative to the kidneys' centre at z = 0; coverage from below the kidneys
        // to above the liver dome, sometimes cutting either off
        double zLow = uniform(-95, -55);
        double zHigh = uniform(150, 200);
        Diaphragm diaphragm = null;
        if (chest != null) {
            double rightTop = 118 + 32 * chest.nextDouble();
            diaphragm = new Diaphragm(rightTop, rightTop - 8 - 17 * chest.nextDouble());
            // where the scan starts varies as in clinical abdominal CTs: in a quarter of the cases up
            // to 30 mm below the dome's top (the liver's dome cut off, only the lungs' posterior
            // recesses and the heart's underside in view), otherwise 5–100 mm above it, up to mid-chest
            zHigh = chest.nextDouble() < 0.25 ? rightTop - 30 * chest.nextDouble() : rightTop + 5 + 95 * chest.nextDouble();
        }
        int nz = Math.max(8, (int) Math.round((zHigh - zLow) / thickness));
        int n = acquisition.matrix();
        double offsetX = uniform(-15, 15);
        double offsetY = uniform(-10, 20);
        double[] spacing = {inPlane, inPlane, thickness};
        double[] origin = {-n * inPlane / 2 + offsetX, -n * inPlane / 2 + offsetY, zLow};
        CtCanvas c = new CtCanvas(n, n, nz, spacing, origin);
        double zMin = zLow - 20;
        double zMax = zLow + nz * thickness + 20;

        // table, skin, fat, wall, abdominal cavity
        c.paint(new Blob(new double[] {0, halfBack + uniform(12, 22), 0}, new double[] {230, 7, 2000}, 0, 0,
                new double[0][]), (x, y, z) -> 120, 0);
        c.paint(Solids.body(halfWidth, halfFront, halfBack, 0, zMin, zMax, 0.05), (x, y, z) -> jitter(30, 3), 0);
        double fatHu = jitter(-100, 8);
        c.paint(Solids.body(halfWidth, halfFront, halfBack, 2, zMin, zMax, 0.05), (x, y, z) -> fatHu, 0);
        double muscle = jitter(phase.muscle, 5);
        c.paint(Solids.body(halfWidth, halfFront, halfBack, 2 + fat, zMin, zMax, 0.05), (x, y, z) -> muscle, 0);
        double visceralFat = jitter(-95, 8);
        Solid cavity = Solids.body(halfWidth, halfFront, halfBack, 2 + fat + wall, zMin, zMax, 0.05);
        c.paint(cavity, (x, y, z) -> visceralFat, 0);
        // where the abdominal organs may lie: below the diaphragm's 4 mm of muscle
        Solid abdomen = cavity;
        if (diaphragm != null) {
            abdomen = Solids.intersection(cavity, diaphragm.below(4));
            paintLungBases(c, cavity, diaphragm, muscle, phase, halfWidth, halfFront, halfBack, zLow + nz * thickness);
        }

        // spine: vertebral bodies with discs, posterior arches, canal; muscles around it
        double backInner = halfBack - 2 - fat - wall;
        double vertebraR = uniform(16, 21);
        double vy = backInner - uniform(38, 50);
        c.paint(new Blob(new double[] {-28, vy + vertebraR + 28, 0}, new double[] {24, 22, 2000}, 0, 0,
                new double[0][]), (x, y, z) -> muscle, 0);
        c.paint(new Blob(new double[] {28, vy + vertebraR + 28, 0}, new double[] {24, 22, 2000}, 0, 0,
                new double[0][]), (x, y, z) -> muscle, 0);
        for (int side = -1; side <= 1; side += 2) {
            c.paint(Solids.intersection(new Capsule(new double[] {side * (vertebraR + 8), vy, 90},
                    new double[] {side * (vertebraR + 24), vy - 8, zLow - 40}, 6, uniform(17, 24)), cavity),
                    (x, y, z) -> muscle, 0);
        }
        double disc = jitter(85, 8);
        c.paint(new Capsule(new double[] {0, vy, zMin - 50}, new double[] {0, vy, zMax + 50}, vertebraR, vertebraR),
                (x, y, z) -> disc, 0);
        double level = uniform(30, 36);
        double cancellous = jitter(230, 30);
        for (double zc = zMin - 40 + uniform(0, level); zc < zMax + 40; zc += level) {
            double half = (level - uniform(7, 9)) / 2 - vertebraR * 0.15;
            c.paint(new Capsule(new double[] {0, vy, zc - half}, new double[] {0, vy, zc + half}, vertebraR, vertebraR),
                    (x, y, z) -> 650, 0);
            c.paint(new Capsule(new double[] {0, vy, zc - half}, new double[] {0, vy, zc + half}, vertebraR - 2.5,
                    vertebraR - 2.5), (x, y, z) -> cancellous, 0);
            double back = vy + vertebraR;
            for (int side = -1; side <= 1; side += 2) {
                c.paint(new Capsule(new double[] {side * 11, back + 2, zc}, new double[] {0, back + 22, zc - 4}, 4, 4),
                        (x, y, z) -> 500, 0);
                c.paint(new Capsule(new double[] {side * 9, back + 4, zc}, new double[] {side * 30, back + 8, zc}, 4, 3),
                        (x, y, z) -> 480, 0);
            }
            c.paint(new Capsule(new double[] {0, back + 22, zc - 4}, new double[] {0, back + 42, zc - 12}, 5, 4),
                    (x, y, z) -> 500, 0);
            c.paint(new Capsule(new double[] {0, back + 11, zc - half}, new double[] {0, back + 11, zc + half}, 7, 7),
                    (x, y, z) -> 15, 0);
        }

        // ribs from the spine round the body wall, descending towards the front, in the upper part
        double ribR = halfWidth - 2 - fat - wall / 2;
        for (int m = 0; m < 7; m++) {
            double zr = uniform(25, 40) + m * uniform(22, 27);
            for (int side = -1; side <= 1; side += 2) {
                double[] previous = null;
                for (int s = 0; s <= 10; s++) {
                    double t = s / 10.0;
                    double angle = Math.PI * (0.42 - 0.85 * t); // from behind (≈ +y) round to the front
                    double[] p = {side * ribR * StrictMath.cos(angle) * (0.95 + 0.05 * t),
                            (halfBack - 2 - fat - wall / 2) * StrictMath.sin(angle) * (angle > 0 ? 1 : halfFront / halfBack),
                            zr - 55 * t * t};
                    if (previous != null) {
                        double ribHu = s > 8 ? 130 : 420; // costal cartilage at the front
                        c.paint(new Capsule(previous, p, 4.5, 4.5), (x, y, z) -> ribHu, 0);
                    }
                    previous = p;
                }
            }
        }

        // great vessels
        double aortaX = uniform(8, 18);
        double aortaY = vy - vertebraR - uniform(10, 16);
        double aortaHu = jitter(phase.aorta, 20);
        c.paint(new Capsule(new double[] {aortaX, aortaY, zMin - 50}, new double[] {aortaX - 5, aortaY + 3, zMax + 50},
                uniform(10, 13), uniform(11, 14)), (x, y, z) -> aortaHu, 0);
        double cavaX = -uniform(18, 28);
        double cavaY = vy - vertebraR - uniform(10, 16);
        double cavaHu = jitter(phase.venaCava, 12);
        Solid cava = new Blob(new double[] {cavaX, cavaY, 60}, new double[] {uniform(12, 15), uniform(8, 11), 2000},
                0, 0, new double[0][]);
        c.paint(cava, (x, y, z) -> cavaHu, 0);
        if (diaphragm != null) {
            paintHeart(c, cavity, diaphragm, phase, visceralFat, aortaHu, cavaHu);
        }

        // bowel loops (painted before the organs, which sit over them)
        boolean oralContrast = r.nextDouble() < 0.3;
        int loops = 6 + r.nextInt(6);
        for (int l = 0; l < loops; l++) {
            double radius = uniform(9, 16);
            double kind = r.nextDouble();
            double lumen = kind < 0.35 ? jitter(-850, 60) : oralContrast && kind > 0.6 ? uniform(220, 400) : jitter(15, 8);
            double[] p = {uniform(-halfWidth * 0.6, halfWidth * 0.6), uniform(-halfFront * 0.65, aortaY - 25),
                    uniform(zLow - 10, 35)};
            double heading = uniform(0, 2 * Math.PI);
            for (int s = 0; s < 6; s++) {
                heading += uniform(-1.2, 1.2);
                double[] q = {p[0] + 24 * StrictMath.cos(heading), p[1] + 24 * StrictMath.sin(heading), p[2] + uniform(-12, 12)};
                c.paint(Solids.intersection(new Capsule(p, q, radius, radius), cavity), (x, y, z) -> 40, 0);
                double lumenHu = lumen;
                c.paint(Solids.intersection(new Capsule(p, q, radius - 3, radius - 3), cavity), (x, y, z) -> lumenHu, 0);
                p = q;
            }
        }

        // stomach: wall, then gas in front of an air–fluid level and fluid or food behind it
        double[] stomachCentre = {uniform(40, 70), -uniform(20, 50), uniform(60, 95)};
        double[] stomachAxes = {uniform(35, 50), uniform(28, 40), uniform(40, 55)};
        double[][] stomachLobes = Blob.randomLobes(r, 3, 0.15);
        double stomachYaw = uniform(-0.5, 0.5);
        Solid stomach = Solids.intersection(new Blob(stomachCentre, stomachAxes, stomachYaw, 0, stomachLobes), abdomen);
        c.paint(stomach, (x, y, z) -> 45, 0);
        Solid lumen = new Blob(stomachCentre, new double[] {stomachAxes[0] - 5, stomachAxes[1] - 5, stomachAxes[2] - 5},
                stomachYaw, 0, stomachLobes);
        double fluidLevel = stomachCentre[1] - uniform(-10, 20);
        double contents = r.nextBoolean() ? jitter(12, 5) : jitter(35, 10);
        c.paint(Solids.intersection(Solids.intersection(lumen, Solids.anteriorOf(fluidLevel)), abdomen),
                (x, y, z) -> -900, 0);
        c.paint(Solids.intersection(Solids.intersection(lumen, Solids.posteriorOf(fluidLevel)), abdomen),
                (x, y, z) -> contents + 8 * texture(x, y, z, 6), 0);

        // spleen, left and behind
        double spleenHu = jitter(phase.spleen, 8);
        boolean zebra = phase == ContrastPhase.ARTERIAL;
        c.paint(Solids.intersection(new Blob(new double[] {uniform(80, 100), uniform(10, 40), uniform(50, 80)},
                new double[] {uniform(22, 30), uniform(40, 55), uniform(40, 55)}, uniform(-0.9, -0.5), 0,
                Blob.randomLobes(r, 3, 0.15)), abdomen),
                (x, y, z) -> spleenHu + (zebra ? 25 * StrictMath.sin(x / 6 + y / 9) : 0) + 5 * texture(x, y, z, 10), 0);

        // liver: right lobe, left lobe across the midline, sometimes a caudate lobe
        double liverHu = jitter(phase.liver, 8);
        double liverZ = uniform(70, 95);
        double liverScale = uniform(0.85, 1.15);
        List<Blob> lobes = new ArrayList<>();
        lobes.add(new Blob(new double[] {-uniform(60, 80), -uniform(5, 20), liverZ},
                new double[] {uniform(60, 78) * liverScale, uniform(68, 85) * liverScale, uniform(55, 72) * liverScale},
                uniform(-0.3, 0.3), uniform(-0.2, 0.2), Blob.randomLobes(r, 4, 0.16)));
        lobes.add(new Blob(new double[] {uniform(-10, 15), -uniform(50, 65), liverZ + uniform(10, 30)},
                new double[] {uniform(40, 58) * liverScale, uniform(25, 36), uniform(28, 40)},
                uniform(-0.4, 0.2), 0, Blob.randomLobes(r, 3, 0.2)));
        if (r.nextDouble() < 0.6) {
            lobes.add(new Blob(new double[] {cavaX + uniform(5, 15), cavaY - uniform(10, 20), liverZ + uniform(0, 20)},
                    new double[] {uniform(15, 22), uniform(15, 22), uniform(25, 35)}, 0, 0, Blob.randomLobes(r, 2, 0.1)));
        }
        Solid liver = new Solid() {
            @Override
            public double signedDistanceMm(double x, double y, double z) {
                double d = Double.POSITIVE_INFINITY;
                for (Blob b : lobes) {
                    d = Math.min(d, b.signedDistanceMm(x, y, z));
                }
                return d;
            }

            @Override
            public double[] boundsMm() {
                double[] u = lobes.get(0).boundsMm();
                for (Blob b : lobes) {
                    double[] v = b.boundsMm();
                    for (int k = 0; k < 6; k += 2) {
                        u[k] = Math.min(u[k], v[k]);
                        u[k + 1] = Math.max(u[k + 1], v[k + 1]);
                    }
                }
                return u;
            }
        };
        Solid liverInBody = Solids.intersection(liver, abdomen);
        c.paint(liverInBody, (x, y, z) -> liverHu + 6 * texture(x, y, z, 12), 1);
        double vesselHu = jitter(phase.liverVessels, 10);
        double[] hilum = {lobes.get(0).centre()[0] + uniform(25, 40), lobes.get(0).centre()[1] + uniform(0, 25),
                liverZ - uniform(15, 30)};
        branch(c, liverInBody, hilum, uniform(0, 2 * Math.PI), 0.3, 7, 3, vesselHu);
        for (int v = 0; v < 3; v++) { // hepatic veins converging on the cava near the dome
            double[] top = {cavaX, cavaY, liverZ + uniform(35, 55)};
            double[] end = {top[0] + uniform(-80, 40), top[1] - uniform(20, 70), top[2] - uniform(20, 50)};
            c.paint(Solids.intersection(new Capsule(top, end, uniform(5, 8), 2.5), liverInBody),
                    (x, y, z) -> vesselHu - 5, CtCanvas.KEEP_LABEL);
        }
        boolean lesion = r.nextDouble() < 0.25;
        if (lesion) {
            double[] centre = lobes.get(0).centre();
            double lesionHu = liverHu - uniform(30, 60);
            c.paint(Solids.intersection(new Blob(new double[] {centre[0] + uniform(-30, 30), centre[1] + uniform(-30, 30),
                    centre[2] + uniform(-25, 25)}, new double[] {uniform(8, 22), uniform(8, 22), uniform(8, 22)}, 0, 0,
                    Blob.randomLobes(r, 2, 0.1)), liverInBody), (x, y, z) -> lesionHu, CtCanvas.KEEP_LABEL);
        }
        if (r.nextDouble() < 0.7) { // gallbladder against the liver's underside: fluid, not liver
            double gallHu = jitter(12, 6);
            c.paint(Solids.intersection(new Blob(new double[] {-uniform(30, 55), -uniform(35, 60), liverZ - uniform(35, 55)},
                    new double[] {uniform(13, 20), uniform(13, 20), uniform(25, 40)}, uniform(-0.5, 0.5), uniform(-0.4, 0.4),
                    Blob.randomLobes(r, 2, 0.1)), abdomen), (x, y, z) -> gallHu, 0);
        }
        c.paint(cava, (x, y, z) -> cavaHu, 0); // the cava runs through the liver and is not liver

        // kidneys: the right one lower and against the liver's underside
        int cysts = 0;
        for (int side = -1; side <= 1; side += 2) {
            double[] centre = {side * uniform(48, 65), vy + uniform(-5, 10), side < 0 ? -uniform(5, 25) : uniform(-5, 10)};
            double[] axes = {uniform(23, 30), uniform(19, 25), uniform(45, 60)};
            double yaw = side * uniform(0.35, 0.6);
            double tilt = side * uniform(0.1, 0.25);
            double cortex = jitter(phase.kidneyCortex, 10);
            double medulla = jitter(phase.kidneyMedulla, 8);
            double[][] shape = Blob.randomLobes(r, 3, 0.08);
            Blob kidney = new Blob(centre, axes, yaw, tilt, shape);
            double rim = uniform(1, 6); // perirenal fat, thin where the kidney presses on the liver
            c.paint(Solids.intersection(new Blob(centre, new double[] {axes[0] + rim, axes[1] + rim, axes[2] + rim}, yaw, tilt,
                    shape), cavity), (x, y, z) -> visceralFat, 0);
            c.paint(Solids.intersection(kidney, cavity), (x, y, z) -> cortex + 4 * texture(x, y, z, 8), 2);
            for (int p = 0; p < 6; p++) { // pyramids
                double a = 2 * Math.PI * p / 6 + uniform(-0.3, 0.3);
                double[] pc = {centre[0] + 0.45 * axes[0] * StrictMath.cos(a + yaw) * 0.6,
                        centre[1] + 0.45 * axes[1] * StrictMath.sin(a + yaw) * 0.6, centre[2] + uniform(-0.6, 0.6) * axes[2]};
                c.paint(new Blob(pc, new double[] {7, 7, 10}, 0, 0, new double[0][]), (x, y, z) -> medulla,
                        CtCanvas.KEEP_LABEL);
            }
            double[] hilumDir = {-side * StrictMath.cos(0.6), -StrictMath.sin(0.6)}; // medial and anterior
            double[] sinus = {centre[0] + hilumDir[0] * axes[0] * 0.55, centre[1] + hilumDir[1] * axes[1] * 0.55, centre[2]};
            c.paint(Solids.intersection(new Blob(sinus, new double[] {11, 9, axes[2] * 0.45}, 0, 0, new double[0][]), kidney),
                    (x, y, z) -> -60, CtCanvas.KEEP_LABEL);
            c.paint(Solids.intersection(new Blob(sinus, new double[] {7, 6, axes[2] * 0.25}, 0, 0, new double[0][]), kidney),
                    (x, y, z) -> 8, CtCanvas.KEEP_LABEL);
            double renalVesselHu = side < 0 ? cavaHu : aortaHu;
            double[] vessel = {centre[0] + hilumDir[0] * axes[0] * 0.8, centre[1] + hilumDir[1] * axes[1] * 0.8, centre[2]};
            c.paint(new Capsule(vessel, new double[] {side < 0 ? cavaX : aortaX, side < 0 ? cavaY : aortaY, centre[2] + 5},
                    4, 5), (x, y, z) -> renalVesselHu, 0);
            if (r.nextDouble() < 0.35) { // a cyst on the surface, partly outside: still kidney
                cysts++;
                double a = uniform(0, 2 * Math.PI);
                double b = uniform(-1, 1);
                double radius = uniform(6, 18);
                double[] cc = {centre[0] + axes[0] * 0.9 * StrictMath.cos(a), centre[1] + axes[1] * 0.9 * StrictMath.sin(a),
                        centre[2] + axes[2] * 0.7 * b};
                double cystHu = uniform(0, 15);
                c.paint(Solids.intersection(new Blob(cc, new double[] {radius, radius, radius}, 0, 0, new double[0][]), cavity),
                        (x, y, z) -> cystHu, 2);
            }
        }

        CtAcquisitionNoise.apply(c, r, uniform(8, 22), vy);
        Geometry g = new Geometry(spacing, origin, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        return new CtCase(c.hu, c.labels, new long[] {n, n, nz}, g, phase.name().toLowerCase(Locale.ROOT),
                oralContrast, cysts, lesion, diaphragm == null ? Double.NaN : diaphragm.rightTopMm());
    }

    /**
     * Above the diaphragm (painted over the visceral fat, under the spine, ribs and vessels painted
     * next): its muscle, then aerated lung with fine texture and pulmonary vessels branching through it.
     */
    private void paintLungBases(CtCanvas c, Solid cavity, Diaphragm diaphragm, double muscle, ContrastPhase phase,
            double halfWidth, double halfFront, double halfBack, double zTop) {
        c.paint(Solids.intersection(cavity, diaphragm.above(-4)), (x, y, z) -> muscle, 0);
        Solid lungs = Solids.intersection(cavity, diaphragm.above(0));
        double lungHu = -860 + 30 * chest.nextGaussian();
        c.paint(lungs, (x, y, z) -> lungHu + 25 * texture(x, y, z, 4), 0);
        double bloodHu = (phase.aorta + phase.venaCava) / 2 + 15 * chest.nextGaussian();
        for (int v = 0; v < 24; v++) {
            double[] from = {(chest.nextDouble() * 2 - 1) * halfWidth * 0.75,
                    -halfFront * 0.7 + chest.nextDouble() * (halfFront * 0.7 + halfBack * 0.7),
                    diaphragm.rightTopMm() - 20 + chest.nextDouble() * (zTop - diaphragm.rightTopMm() + 40)};
            double length = 20 + 30 * chest.nextDouble();
            double heading = 2 * Math.PI * chest.nextDouble();
            double[] to = {from[0] + length * StrictMath.cos(heading), from[1] + length * StrictMath.sin(heading),
                    from[2] - 10 - 20 * chest.nextDouble()};
            double radius = 1.5 + 2.5 * chest.nextDouble();
            c.paint(Solids.intersection(new Capsule(from, to, radius, radius * 0.6), lungs), (x, y, z) -> bloodHu, 0);
        }
    }

    /**
     * The heart on the left dome, left of the midline and in front: pericardial fat, a myocardium
     * of the phase's wall density, and the ventricles' blood (as bright as the aorta in the arterial
     * phase, as the cava otherwise). It sits on the diaphragm, 4 mm of muscle above the liver's dome.
     */
    private void paintHeart(CtCanvas c, Solid cavity, Diaphragm diaphragm, ContrastPhase phase, double fatHu,
            double aortaHu, double cavaHu) {
        double[] axes = {50 + 12 * chest.nextDouble(), 40 + 10 * chest.nextDouble(), 40 + 12 * chest.nextDouble()};
        double x0 = 8 + 25 * chest.nextDouble();
        double y0 = -25 - 30 * chest.nextDouble();
        double[] centre = {x0, y0, diaphragm.heightMm(x0, y0) + axes[2] * (0.7 + 0.2 * chest.nextDouble())};
        double yaw = -0.3 - 0.4 * chest.nextDouble(); // the apex to the left and forwards
        double tilt = 0.2 + 0.2 * chest.nextDouble();
        double[][] shape = Blob.randomLobes(chest, 2, 0.08);
        Solid onDiaphragm = Solids.intersection(cavity, diaphragm.above(0));
        c.paint(Solids.intersection(new Blob(centre, new double[] {axes[0] + 5, axes[1] + 5, axes[2] + 5}, yaw, tilt, shape),
                onDiaphragm), (x, y, z) -> fatHu, 0);
        double wall = phase.myocardium + 8 * chest.nextGaussian();
        c.paint(Solids.intersection(new Blob(centre, axes, yaw, tilt, shape), onDiaphragm),
                (x, y, z) -> wall + 5 * texture(x, y, z, 7), 0);
        boolean enhanced = phase != ContrastPhase.UNENHANCED;
        for (int side = -1; side <= 1; side += 2) { // right (−x) and left ventricle
            double blood = enhanced ? (side > 0 && phase == ContrastPhase.ARTERIAL ? aortaHu : cavaHu) : 40 + 5 * chest.nextGaussian();
            double[] chamber = {centre[0] + side * axes[0] * 0.3, centre[1] - axes[1] * 0.1, centre[2] + axes[2] * 0.05};
            c.paint(Solids.intersection(new Blob(chamber, new double[] {axes[0] * 0.38, axes[1] * 0.5, axes[2] * 0.5}, yaw, 0,
                    new double[0][]), onDiaphragm), (x, y, z) -> blood, 0);
        }
    }

    /** A vessel tree: a tapering segment, then two children, inside {@code within} only. */
    private void branch(CtCanvas c, Solid within, double[] from, double heading, double rise, double radius, int depth,
            double hu) {
        if (depth == 0 || radius < 1.5) {
            return;
        }
        double length = uniform(25, 55);
        double[] to = {from[0] + length * StrictMath.cos(heading), from[1] + length * StrictMath.sin(heading) * 0.8,
                from[2] + length * rise};
        c.paint(Solids.intersection(new Capsule(from, to, radius, radius * 0.75), within), (x, y, z) -> hu,
                CtCanvas.KEEP_LABEL);
        for (int k = 0; k < 2; k++) {
            branch(c, within, to, heading + uniform(-1.1, 1.1), rise + uniform(-0.5, 0.5), radius * 0.7, depth - 1, hu);
        }
    }

    /** Smooth texture in −1…1 with features about {@code scaleMm} across. */
    private static double texture(double x, double y, double z, double scaleMm) {
        return StrictMath.sin(x / scaleMm + 1.3 * StrictMath.sin(y / (1.7 * scaleMm)))
                * StrictMath.cos(y / scaleMm + 0.9 * StrictMath.sin(z / (1.3 * scaleMm)))
                * StrictMath.sin(z / (1.1 * scaleMm) + x / (2.3 * scaleMm) + 0.5);
    }
}
