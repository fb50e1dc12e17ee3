package io.medseg.samples.ct;

import java.util.Random;

/**
 * Mean Hounsfield units of the tissues in one contrast phase, from typical values in abdominal CT
 * (unenhanced liver 55, spleen 48, kidney 35; arterial aorta ~300 with a corticomedullary kidney;
 * portal-venous liver ~110 with bright portal and hepatic veins). Each case jitters them. In the
 * unenhanced phase the liver's vessels are darker than its parenchyma and the kidneys are as grey
 * as muscle; in the portal phase the vessels are brighter — so no fixed intensity finds an organ.
 */
enum ContrastPhase {
    UNENHANCED(55, 40, 48, 35, 33, 45, 45, 50, 45),
    ARTERIAL(75, 95, 105, 190, 85, 300, 85, 60, 115),
    PORTAL_VENOUS(110, 170, 120, 170, 155, 165, 150, 65, 105);

    final double liver;
    final double liverVessels;
    final double spleen;
    final double kidneyCortex;
    final double kidneyMedulla;
    final double aorta;
    final double venaCava;
    final double muscle;
    /** The heart's wall: unenhanced as liver-grey as muscle, enhanced within ±10 HU of a portal-venous liver. */
    final double myocardium;

    ContrastPhase(double liver, double liverVessels, double spleen, double kidneyCortex, double kidneyMedulla,
            double aorta, double venaCava, double muscle, double myocardium) {
        this.liver = liver;
        this.liverVessels = liverVessels;
        this.spleen = spleen;
        this.kidneyCortex = kidneyCortex;
        this.kidneyMedulla = kidneyMedulla;
        this.aorta = aorta;
        this.venaCava = venaCava;
        this.muscle = muscle;
        this.myocardium = myocardium;
    }

    /** A fifth unenhanced, 30 % arterial, half portal-venous (a typical abdominal CT mix). */
    static ContrastPhase random(Random r) {
        double u = r.nextDouble();
        return u < 0.2 ? UNENHANCED : u < 0.5 ? ARTERIAL : PORTAL_VENOUS;
    }
}
