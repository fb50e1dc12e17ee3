package io.medseg.samples.ct;

/** A shape in patient space (LPS, mm) that {@link CtCanvas} can paint with partial-volume edges. */
interface Solid {
    /** Negative inside, positive outside, about the distance to the surface in mm near it. */
    double signedDistanceMm(double x, double y, double z);

    /** {xmin, xmax, ymin, ymax, zmin, zmax} in mm, enclosing the solid. */
    double[] boundsMm();
}
