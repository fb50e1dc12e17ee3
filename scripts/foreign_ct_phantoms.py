#!/usr/bin/env python3
"""Foreign CT phantoms: a seeded generator of synthetic abdominal CT volumes with liver and kidney
labels, written independently of the project's own phantom generator (sample-scans), to test whether
a segmentation model trained on the project's phantoms generalises to CT with other anatomy, other
voxel spacing and other voxel orientation.

Nothing here is taken from the project's generator: the anatomy is a second, separate model. Every
structure is an implicit surface (an approximate signed distance in millimetres, negative inside) in
patient coordinates, x to the patient's Right, y Anterior, z Superior (RAS), with the origin at the
centre of the abdominal cavity at the level of the L1/L2 disc. Each case draws its own patient:

  body      torso cross-section (superellipse, flat back on the table) varying along z, slim to obese:
            skin ~+40 HU, subcutaneous fat ~-100, muscle wall ~+50, visceral fat; the CT table below
  thorax    lung bases above a two-domed diaphragm, the bottom of the heart, lower ribs with cartilage
  spine     vertebral bodies (cortex +700..+1000, cancellous +200..+300), discs, posterior elements,
            canal and cord, psoas, quadratus lumborum, erector spinae, diaphragmatic crura
  liver     smooth union of lobe ellipsoids under a random low-frequency deformation field, scaled
            to a drawn volume of 1.0-2.2 L; portal and hepatic vein trees; sometimes fatty, sometimes
            with hypodense lesions (lesions and intrahepatic vessels are labelled liver)
  kidneys   bean-shaped, retroperitoneal beside the psoas, cortex / medullary pyramids / pelvis with
            phase-dependent contrast; sometimes a cyst, a missing kidney (nephrectomy) or a low one
            (ptosis); the renal pelvis is labelled kidney, the ureter and renal vessels are not
  others    spleen (sometimes touching the liver), gallbladder (~0-20 HU, sometimes stones),
            pancreas, aorta and IVC with their branches, portal, splenic and mesenteric veins, stomach
            with gas-fluid level, duodenum, colon with stool and gas, small-bowel loops, adrenals,
            sometimes ascites or positive oral contrast
  contrast  non-contrast, arterial, portal-venous or delayed (excretory) phase per case
  scanner   partial volume (soft edges on a grid refined along the slice axis, then averaged to the
            voxel grid), mild blur, correlated Gaussian noise of 8-25 HU, int16 output

Scan geometry differs from case to case: in-plane spacing 0.6-1.6 mm and slices 0.8-5 mm (drawn, then
coarsened where the matrix would exceed 256 in-plane or 160 slices; both are recorded), a field of
view of 300-450 mm, a z range from above the liver dome to below the kidneys (sometimes cropping the
dome or the kidneys), voxel axes stored as RAS, LPS, top-down, coronal or sagittal slices or
permuted, some with a 5-15 degree oblique rotation, all with non-zero origins. The geometry lives in
the affine only: the anatomy is always correct in patient space and labels share the image's grid.

Output, an nnU-Net v2 test layout:
  DIR/imagesTs/foreign_XXX_0000.nii.gz   int16 Hounsfield units
  DIR/labelsTs/foreign_XXX.nii.gz        uint8, 0 background, 1 liver, 2 kidney (both kidneys)
  DIR/dataset.json, DIR/cases.csv        (one row per case: geometry, body, phase, anomalies)

Usage: foreign_ct_phantoms.py --cases N --seed S --output DIR [--first K] [--check]
Each case draws from numpy Generator(PCG64(seed * 1000 + case)), so the same seed gives byte-identical
files. --check reads the written files back and prints, per case, the liver and kidney centroids in
patient RAS millimetres against the body centre, and checks that image and label grids agree.
Needs numpy and scipy (and scripts/nifti_io.py beside this file).
"""
import argparse
import csv
import json
import os
import sys
import time

import numpy as np
from scipy import ndimage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nifti_io  # noqa: E402

MAX_INPLANE = 256   # matrix caps, to keep files and run time small
MAX_SLICES = 160
LIVER, KIDNEY = 1, 2

# Stored voxel axis codes (nibabel style: the patient direction each voxel axis points to) and whether
# the grid is also tilted. Cycled over the cases so that any ten consecutive cases hold every kind.
ORIENTATIONS = [("RAS", False), ("LPS", False), ("LPI", False), ("LAS", True), ("RSP", False),
                ("PIL", False), ("ARS", False), ("LPS", True), ("RAI", False), ("LIA", True)]
PLANE = {"S": "axial", "I": "axial", "A": "coronal", "P": "coronal", "R": "sagittal", "L": "sagittal"}

# Enhancement per phase (HU ranges drawn per case). Portal-venous: liver ~110, renal cortex 150-200.
HU_PHASE = {
    "non-contrast": dict(liver=(50, 65), spleen=(40, 52), cortex=(28, 40), medulla=(26, 36), artery=(35, 50),
                         portal=(35, 50), hepatic_vein=(35, 50), ivc_low=(35, 50), ivc_high=(35, 50),
                         pancreas=(35, 50), bowel_wall=(30, 45), muscle=(42, 55), myocardium=(38, 50),
                         heart_blood=(35, 48), adrenal=(25, 40)),
    "arterial": dict(liver=(65, 85), spleen=(90, 140), cortex=(150, 230), medulla=(50, 90), artery=(250, 400),
                     portal=(100, 170), hepatic_vein=(45, 70), ivc_low=(45, 75), ivc_high=(80, 140),
                     pancreas=(100, 150), bowel_wall=(70, 120), muscle=(50, 62), myocardium=(90, 130),
                     heart_blood=(220, 380), adrenal=(60, 90)),
    "portal-venous": dict(liver=(100, 125), spleen=(105, 130), cortex=(150, 200), medulla=(100, 150),
                          artery=(140, 200), portal=(150, 210), hepatic_vein=(140, 190), ivc_low=(100, 150),
                          ivc_high=(110, 160), pancreas=(80, 115), bowel_wall=(80, 120), muscle=(55, 68),
                          myocardium=(90, 120), heart_blood=(140, 190), adrenal=(60, 90)),
    "delayed": dict(liver=(75, 95), spleen=(80, 100), cortex=(120, 160), medulla=(130, 180), artery=(100, 135),
                    portal=(100, 135), hepatic_vein=(100, 135), ivc_low=(100, 135), ivc_high=(100, 135),
                    pancreas=(60, 90), bowel_wall=(60, 90), muscle=(52, 65), myocardium=(70, 100),
                    heart_blood=(100, 135), adrenal=(50, 70)),
}


# ---------------------------------------------------------------- geometry primitives (vectorised)
def unit(v):
    v = np.asarray(v, dtype=np.float64)
    return v / np.linalg.norm(v)


def rotation(axis, degrees):
    """Rodrigues rotation matrix about an axis."""
    k = unit(axis)
    a = np.radians(degrees)
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(a) * kx + (1 - np.cos(a)) * kx @ kx


def local(p, c, R=None):
    """Point coordinates relative to c in the frame whose axes are the columns of R."""
    d = (p[0] - c[0], p[1] - c[1], p[2] - c[2])
    if R is None:
        return d
    return tuple(R[0, m] * d[0] + R[1, m] * d[1] + R[2, m] * d[2] for m in range(3))


def ellipsoid(p, c, r, R=None):
    """Approximate signed distance to an ellipsoid (exact on the axes, good near the surface)."""
    q = local(p, c, R)
    k0 = np.sqrt((q[0] / r[0]) ** 2 + (q[1] / r[1]) ** 2 + (q[2] / r[2]) ** 2)
    k1 = np.sqrt((q[0] / r[0] ** 2) ** 2 + (q[1] / r[1] ** 2) ** 2 + (q[2] / r[2] ** 2) ** 2)
    return np.where(k1 > 1e-6, k0 * (k0 - 1) / np.maximum(k1, 1e-6), -min(r))


def ellipse2d(x, y, rx, ry):
    k0 = np.sqrt((x / rx) ** 2 + (y / ry) ** 2)
    k1 = np.sqrt((x / rx ** 2) ** 2 + (y / ry ** 2) ** 2)
    return np.where(k1 > 1e-6, k0 * (k0 - 1) / np.maximum(k1, 1e-6), -np.minimum(rx, ry))


def capsule(p, a, b, ra, rb=None, flat=1.0):
    """Distance to a segment minus a radius that varies linearly from ra to rb; flat < 1 squeezes the
    cross-section along y (the IVC is oval)."""
    rb = ra if rb is None else rb
    ba = np.subtract(b, a)
    l2 = float(ba @ ba) + 1e-9
    pa = (p[0] - a[0], p[1] - a[1], p[2] - a[2])
    h = np.clip((pa[0] * ba[0] + pa[1] * ba[1] + pa[2] * ba[2]) / l2, 0.0, 1.0)
    dx, dy, dz = pa[0] - ba[0] * h, (pa[1] - ba[1] * h) / flat, pa[2] - ba[2] * h
    return np.sqrt(dx * dx + dy * dy + dz * dz) - (ra + (rb - ra) * h)


def capsule_box(a, b, ra, rb=None, margin=2.0):
    r = max(ra, ra if rb is None else rb) + margin
    return np.minimum(a, b) - r, np.maximum(a, b) + r


def smin(a, b, k):
    """Smooth union (polynomial smooth minimum), blending over about k mm."""
    h = np.clip(0.5 + 0.5 * (b - a) / k, 0.0, 1.0)
    return b * (1 - h) + a * h - k * h * (1 - h)


def smax(a, b, k):
    return -smin(-a, -b, k)


class Waves:
    """Smooth random field: a sum of a few plane waves of random direction, wavelength and phase."""

    def __init__(self, rng, n, lam_lo, lam_hi, amp):
        d = rng.normal(size=(n, 3))
        d /= np.linalg.norm(d, axis=1, keepdims=True)
        self.k = d * (2 * np.pi / rng.uniform(lam_lo, lam_hi, n))[:, None]
        self.phi = rng.uniform(0, 2 * np.pi, n)
        self.amp = amp / np.sqrt(n / 2.0)   # so that amp is about the field's standard deviation

    def __call__(self, p):
        s = 0.0
        for k, ph in zip(self.k, self.phi):
            s = s + np.sin(k[0] * p[0] + k[1] * p[1] + k[2] * p[2] + ph)
        return s * self.amp


class Warp:
    """Low-frequency displacement field, for organ shapes that are not plain ellipsoids."""

    def __init__(self, rng, amp, lam_lo, lam_hi, n=4):
        self.w = [Waves(rng, n, lam_lo, lam_hi, amp) for _ in range(3)]
        self.amp = amp

    def __call__(self, p):
        return tuple(p[m] + self.w[m](p) for m in range(3))


def chain(points, radii):
    """Consecutive capsules through points, radius interpolated."""
    return [(np.asarray(points[i], float), np.asarray(points[i + 1], float), radii[i], radii[i + 1])
            for i in range(len(points) - 1)]


def smooth_path(points, step=15.0):
    """Catmull-Rom spline through control points, resampled every ~step mm (bowel, colon)."""
    pts = [np.asarray(q, float) for q in points]
    pts = [pts[0]] + pts + [pts[-1]]
    out = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        n = max(1, int(np.linalg.norm(p2 - p1) / step))
        for t in np.arange(n) / n:
            out.append(0.5 * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t * t
                              + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
    out.append(pts[-2])
    return out


# ---------------------------------------------------------------- the canvas: a voxel grid to paint on
class Block:
    """A box of voxel indices with the patient coordinates of its voxel centres."""

    def __init__(self, cv, a, b, parent=None):
        self.cv, self.a, self.b = cv, a, b
        self.sl = tuple(slice(int(a[d]), int(b[d])) for d in range(3))
        i, j, k = (np.arange(a[d], b[d], dtype=np.float64) for d in range(3))
        i, j, k = i[:, None, None], j[None, :, None], k[None, None, :]
        A, t = cv.A, cv.t
        self.p = tuple((A[r, 0] * i + A[r, 1] * j + A[r, 2] * k + t[r]).astype(np.float32) for r in range(3))
        # where this block sits inside its parent's arrays
        self.rel = None if parent is None else tuple(
            slice(int(a[d] - parent.a[d]), int(b[d] - parent.a[d])) for d in range(3))

    def sub(self, lo, hi):
        box = self.cv.index_box(lo, hi, (self.a, self.b))
        return None if box is None else Block(self.cv, box[0], box[1], parent=self)


class Canvas:
    """The generation grid (the voxel grid, refined along the slice axis) in patient coordinates.
    Structures are painted in order; each blends its HU in with a linear ramp one voxel wide around
    its surface (the box-filter partial volume of a plane) and, where given, sets its label inside."""

    def __init__(self, shape, affine, h):
        self.shape = tuple(int(n) for n in shape)
        self.A = np.asarray(affine, float)[:3, :3]
        self.t = np.asarray(affine, float)[:3, 3]
        self.Ainv = np.linalg.inv(self.A)
        self.h = float(h)
        self.spacing = np.sqrt((self.A ** 2).sum(axis=0))
        self.hu = np.full(self.shape, -1000.0, np.float32)
        self.lab = np.zeros(self.shape, np.uint8)
        self.solid = np.ones(self.shape, bool)   # space the hollow viscera must keep out of
        self.dist = None

    def index_box(self, lo, hi, within=None):
        corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])
        ijk = (corners - self.t) @ self.Ainv.T
        a = np.floor(ijk.min(axis=0)).astype(int) - 1
        b = np.ceil(ijk.max(axis=0)).astype(int) + 2
        a = np.maximum(a, 0 if within is None else within[0])
        b = np.minimum(b, self.shape if within is None else within[1])
        return None if np.any(b <= a) else (a, b)

    def chunks(self, lo, hi, max_points=1_200_000):
        """The grid box covering a patient-space box, cut into slabs to bound memory."""
        box = self.index_box(lo, hi)
        if box is None:
            return
        a, b = box
        n = b - a
        ax = int(np.argmax(n))
        step = max(1, max_points // max(1, int(np.prod(n)) // int(n[ax])))
        for s in range(int(a[ax]), int(b[ax]), step):
            a2, b2 = a.copy(), b.copy()
            a2[ax], b2[ax] = s, min(int(b[ax]), s + step)
            yield Block(self, a2, b2)

    def paint(self, blk, sdf, hu, label=None, solid=False, carve=None):
        if carve is not None:   # keep a gap of `carve` mm from the solid organs (hollow viscera)
            sdf = np.maximum(sdf, carve - self.dist[blk.sl])
        alpha = np.clip(0.5 - sdf / self.h, 0.0, 1.0)
        view = self.hu[blk.sl]
        view += alpha * (hu - view)
        inside = sdf < 0
        if label is not None:
            self.lab[blk.sl][inside] = label
        if solid:
            self.solid[blk.sl] |= inside
        return sdf

    def paint_capsules(self, caps, hu, label=None, solid=False, carve=None, clip=None, shell=None, inner_hu=None):
        """Paint a tube made of capsules. With shell (mm) the outer layer of every capsule is painted
        first and the inner part afterwards, so that joints do not leave walls across the lumen."""
        layers = [(0.0, hu)] if shell is None else [(0.0, hu), (shell, inner_hu)]
        for off, value in layers:
            for a, b, ra, rb in caps:
                if min(ra, rb) - off <= 0.3:
                    continue
                lo, hi = capsule_box(a, b, ra, rb)
                for blk in self.chunks(lo, hi):
                    d = capsule(blk.p, a, b, ra - off, rb - off)
                    if clip is not None:   # the inner layer keeps the shell's thickness from the clip
                        d = np.maximum(d, clip(blk.p) + off)
                    v = value(blk.p) if callable(value) else value
                    self.paint(blk, d, v, label, solid, None if carve is None else carve + off)


def free_point(cv, p, r, step=5.0, tries=10):
    """Move p uphill in the distance-to-solid field until a tube of radius r fits there, so that
    bowel does not swallow a vessel or an organ tip (which carving alone would leave as an island)."""
    def dist(q):
        ijk = np.rint(cv.Ainv @ (q - cv.t)).astype(int)
        if np.any(ijk < 0) or np.any(ijk >= cv.shape):
            return 1e3   # outside the grid: nothing to avoid
        return float(cv.dist[tuple(ijk)])
    p = np.asarray(p, float)
    best = dist(p)
    moves = [np.array(v) * step for v in ((1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1))]
    for _ in range(tries):
        if best >= r:
            break
        cand = [(dist(p + m), i) for i, m in enumerate(moves)]
        dv, i = max(cand)
        if dv <= best:
            break
        p, best = p + moves[i], dv
    return p


# ---------------------------------------------------------------- the patient
class Phantom:
    """One patient: all shape, position and tissue parameters drawn from rng in a fixed order."""

    def __init__(self, rng):
        self.rng = rng
        u = rng.uniform
        self.anomalies = []
        # --- body habitus: cavity half-axes at L1/L2 (Ac across, Bc front-back) and wall layers
        self.size = str(rng.choice(["slim", "average", "overweight", "obese"], p=[0.2, 0.35, 0.25, 0.2]))
        ac, bc, fat = {"slim": ((108, 122), (78, 90), (5, 12)), "average": ((118, 134), (86, 100), (12, 22)),
                       "overweight": ((128, 144), (95, 112), (20, 35)),
                       "obese": ((136, 152), (104, 124), (35, 62))}[self.size]
        self.Ac, self.Bc, self.fat = u(*ac), u(*bc), u(*fat)
        self.belly = u(0.2, 0.9) if self.size in ("overweight", "obese") else u(0.0, 0.3)
        self.n_ant, self.n_post = u(1.9, 2.3), u(2.6, 3.6)
        self.t_skin, self.t_obl, self.t_rect, self.t_post = u(1.5, 2.5), u(10, 17), u(8, 13), u(5, 9)
        self.waves_a = (u(0.0, 0.04), u(60, 120), u(0, 6.3))
        self.waves_b = (u(0.0, 0.04), u(60, 120), u(0, 6.3))
        self.hip = u(0.05, 0.15)
        self.back_flat = u(4, 12)
        self.age = u(20, 85)
        # --- spine: body centre a fixed depth in front of the posterior cavity wall, slight lordosis
        self.scol = (u(0, 5), u(150, 300), u(0, 6.3))
        self.lord = u(0, 14)
        self.ys0 = -self.Bc + u(66, 76)
        self.vert_scale = u(0.92, 1.08)
        self.vrx, self.vry = u(20, 25) * self.vert_scale, u(15, 18) * self.vert_scale
        self.levels = self._vertebrae()
        self.back = -(self.Bc + self.t_post + self.fat * 0.7 + self.t_skin) + self.back_flat
        # --- diaphragm: right dome higher than left
        self.zdR = u(120, 155)
        self.zdL = self.zdR - u(8, 25)
        self.dome_x = (u(0.38, 0.5) * self.Ac, -u(0.38, 0.5) * self.Ac)
        self.dome_y = u(-0.05, 0.15) * self.Bc
        self.drop = (u(110, 170), u(70, 95), u(35, 55))   # lateral, posterior, anterior fall-off
        # --- tissue values
        self.phase = str(rng.choice(list(HU_PHASE), p=[0.2, 0.2, 0.45, 0.15]))
        self.hu = {k: u(*v) for k, v in HU_PHASE[self.phase].items()}
        self.hu.update(fat=u(-110, -88), vfat=u(-105, -85), skin=u(30, 50), cortical=u(700, 1000),
                       cancellous=u(200, 300), disc=u(70, 100), csf=u(4, 14), cord=u(28, 40), bile=u(0, 20),
                       lung=u(-880, -820), cartilage=u(90, 150), urine=u(2, 14), fluid=u(0, 18),
                       table=u(150, 400), foam=u(-985, -920), pad=u(-950, -750), stool=u(-40, 40))
        if self.age > 65:   # older patients: fattier muscle, weaker bone
            self.hu["muscle"] -= u(0, 12)
            self.hu["cancellous"] -= u(0, 40)
        self.excretion = self.phase == "delayed" and rng.random() < 0.75
        if self.excretion:
            self.hu["pelvis"] = u(300, 900)   # excreted contrast in the collecting system
        else:
            self.hu["pelvis"] = self.hu["urine"]
        if self.phase == "delayed" and not self.excretion:
            self.hu["medulla"] = self.hu["cortex"] + u(-5, 10)
        self.fatty = rng.random() < 0.2
        if self.fatty:   # steatosis: unenhanced liver 20-40 HU, the same drop in every phase
            drop = u(*HU_PHASE["non-contrast"]["liver"]) - u(20, 40)
            self.hu["liver"] -= drop
            self.anomalies.append("fatty_liver")
        self.oral = rng.random() < 0.12
        if self.oral:
            self.hu["oral"] = u(200, 450)
            self.anomalies.append("oral_contrast")
        self.ascites = rng.random() < 0.07
        if self.ascites:
            self.anomalies.append("ascites")
        # --- organs
        self._sample_vessels_axes()
        self._sample_kidneys()
        self._sample_stomach()
        self._sample_liver()
        self._sample_spleen()
        self._sample_gallbladder()
        self._sample_vessels()
        self.calcified = self.age > 55 and rng.random() < 0.6

    # ---- body frame ------------------------------------------------------------------------------
    def cav_axes(self, z):
        """Cavity half-axes at height z: slow waves, a wider lower rib cage, widening hips."""
        a, la, pa = self.waves_a
        b, lb, pb = self.waves_b
        chest = 0.05 * np.tanh((z - 90.0) / 40.0)
        hips = self.hip * np.clip((-z - 80.0) / 60.0, 0.0, 1.5)
        return (self.Ac * (1 + a * np.sin(z / la + pa) + chest + hips),
                self.Bc * (1 + b * np.sin(z / lb + pb) + 0.7 * chest))

    def cav_radius(self, c, s, z):
        """Distance from the cavity centre to its wall along direction (c, s) = (cos, sin)."""
        A, B = self.cav_axes(z)
        n = np.where(s < 0, self.n_post, self.n_ant)   # flatter back, rounder front
        return ((np.abs(c) / A) ** n + (np.abs(s) / B) ** n + 1e-12) ** (-1.0 / n)

    def muscle_t(self, c, s, x, alba=True):
        wa, wp = np.clip(s, 0, 1) ** 2, np.clip(-s, 0, 1) ** 2
        rect = self.t_rect * (1 - 0.75 * np.exp(-(x / 7.0) ** 2)) if alba else self.t_rect   # thin linea alba
        return (1 - wa - wp) * self.t_obl + wa * rect + wp * self.t_post

    def fat_t(self, c, s):
        wa, wp = np.clip(s, 0, 1) ** 2, np.clip(-s, 0, 1) ** 2
        return self.fat * (1 + self.belly * wa + 0.3 * (1 - wa - wp)) * (1 - 0.3 * wp)

    def polar(self, p):
        rho = np.sqrt(p[0] ** 2 + p[1] ** 2) + 1e-3
        return rho, p[0] / rho, p[1] / rho

    def cavity_sdf(self, p):
        rho, c, s = self.polar(p)
        return rho - self.cav_radius(c, s, p[2])

    def diaphragm_z(self, x, y):
        """Height of the diaphragm: two paraboloid domes, falling off steeply behind (the posterior
        costophrenic recesses reach down beside the kidneys' upper poles)."""
        dl, dp, da = self.drop
        yy = (y - self.dome_y) / self.Bc
        fall = np.where(yy < 0, dp, da) * yy ** 2
        zr = self.zdR - dl * ((x - self.dome_x[0]) / self.Ac) ** 2 - fall
        zl = self.zdL - dl * ((x - self.dome_x[1]) / self.Ac) ** 2 - fall
        return np.maximum(smax(zr, zl, 15.0), self.zdR - 100.0)

    def below_diaphragm(self, p, gap=4.0):
        return p[2] - (self.diaphragm_z(p[0], p[1]) - gap)

    def spine_xy(self, z):
        a, lam, ph = self.scol
        return a * np.sin(z / lam + ph), self.ys0 + self.lord * np.exp(-((z + 70.0) / 90.0) ** 2)

    def spine_keepout(self, p):
        """Vertebral body and crura, and the posterior elements with the medial erector spinae, with a
        margin: the liver, spleen and pancreas stay out of it."""
        sx, ys = self.spine_xy(p[2])
        body = ellipse2d(p[0] - sx, p[1] - ys - 4, self.vrx + 12, self.vry + 14)
        return np.minimum(body, ellipse2d(p[0] - sx, p[1] - (ys - self.vry - 22), 52.0, 34.0))

    def _vertebrae(self):
        """Vertebral levels T7..L5 going up and down from the L1/L2 disc at z = 0."""
        s = self.vert_scale
        levels, z = [], 4.5 * s   # half the L1/L2 disc
        for name, h, disc in [("L1", 27, 9), ("T12", 25, 7), ("T11", 24, 6), ("T10", 23, 6), ("T9", 22, 5),
                              ("T8", 21, 5), ("T7", 20, 5)]:
            levels.append((name, z + h * s / 2, h * s, disc * s))
            z += (h + disc) * s
        z = -4.5 * s
        for name, h, disc in [("L2", 27, 9), ("L3", 28, 10), ("L4", 28, 10), ("L5", 27, 10)]:
            levels.append((name, z - h * s / 2, h * s, disc * s))
            z -= (h + disc) * s
        return {name: (zc, h, d) for name, zc, h, d in levels}

    # ---- organ parameters ------------------------------------------------------------------------
    def _sample_vessels_axes(self):
        u = self.rng.uniform
        self.r_aorta = u(9, 13) + (2 if self.age > 70 else 0)
        self.aorta_dx = -u(12, 20)
        self.ivc_dx, self.ivc_dy = u(20, 28), u(4, 10)
        self.z_bif = self.levels["L4"][0] + u(-10, 15)

    def aorta_xy(self, z):
        sx, ys = self.spine_xy(z)
        thor = np.clip((z - 60.0) / 80.0, 0, 1)   # above the hiatus it moves back beside the spine
        return sx + self.aorta_dx - 6 * thor, ys + self.vry + self.r_aorta + 2 - (self.vry + 6) * thor

    def ivc_xy(self, z):
        sx, ys = self.spine_xy(z)
        up = np.clip((z - 20.0) / 80.0, 0, 1)   # the intrahepatic IVC runs forward and to the right
        return sx + self.ivc_dx + 6 * up, ys + self.vry + 10 + self.ivc_dy + 14 * up

    def _sample_kidneys(self):
        rng, u = self.rng, self.rng.uniform
        self.kidneys = []
        absent = None
        if rng.random() < 0.1:
            absent = str(rng.choice(["right", "left"]))
            self.anomalies.append("nephrectomy_" + absent)
        ptotic = None
        if absent is None and rng.random() < 0.12:
            ptotic = str(rng.choice(["right", "left"]))
            self.anomalies.append("ptosis_" + ptotic)
        for side, s in (("right", 1.0), ("left", -1.0)):
            grow = 1.08 if absent is not None else 1.0   # the remaining kidney hypertrophies
            L, W, T = u(100, 125) * grow, u(48, 60) * grow, u(34, 44) * grow
            sx, ys = self.spine_xy(0.0)
            c = np.array([sx + s * u(64, 78), ys + u(-8, 4), u(-8, 8) if side == "right" else u(6, 22)])
            tilt_c, tilt_s, hilum = u(8, 18), u(10, 25), u(25, 45)
            if side == ptotic:
                c += [s * u(0, 10), u(5, 20), -u(45, 80)]
                tilt_c += u(5, 20)
            # local axes: u along the length (up), v lateral, w anterior; hilum turned to face
            # anteromedially, upper pole tilted medially and backwards
            F = np.array([[0, s, 0], [0, 0, 1], [1, 0, 0]], float)   # columns u, v, w
            F = rotation(F[:, 0], -s * hilum) @ F
            F = rotation([0, 1, 0], -s * tilt_c) @ F
            F = rotation([1, 0, 0], tilt_s) @ F
            cysts = []
            if rng.random() < 0.2 and side != absent:
                for _ in range(int(rng.integers(1, 4))):
                    d = unit(rng.normal(size=3))
                    cysts.append((c + F @ (d * np.array([L, W, T]) / 2 * u(0.55, 1.0)), u(5, 22)))
                self.anomalies.append("kidney_cyst_%s=%d" % (side, len(cysts)))
            pyr = []
            for i, uu in enumerate(np.linspace(-0.34, 0.34, int(rng.integers(6, 10)))):
                w = (0.2 if i % 2 else -0.2) * T
                pyr.append((uu * L, 0.12 * W + u(-2, 2), w))
            k = dict(side=side, s=s, c=c, L=L, W=W, T=T, F=F, cysts=cysts, pyr=pyr, bend=u(0.05, 0.15),
                     halo=u(3, 7) + 0.12 * self.fat, present=side != absent)
            k["hilum"] = c + F @ np.array([0.0, -0.55 * W, 0.0])
            self.kidneys.append(k)
        present = [k for k in self.kidneys if k["present"]]
        self.kidney_bottom = min(k["c"][2] - 0.5 * k["L"] for k in present)
        self.kidney_top = max(k["c"][2] + 0.5 * k["L"] for k in present)

    def kidney_sdf(self, k, p):
        q = local(p, k["c"], k["F"])
        L, W, T = k["L"], k["W"], k["T"]
        qv = q[1] + k["bend"] * W * (q[0] / (0.5 * L)) ** 2   # poles curve medially: a bean
        outer = ellipsoid((q[0], qv, q[2]), (0, 0, 0), (L / 2, W / 2, T / 2))
        notch = ellipsoid((q[0], qv, q[2]), (0, -0.55 * W, 0), (0.2 * L, 0.3 * W, 0.2 * T))
        return smax(outer, -notch, 4.0), q

    def _sample_liver(self):
        u = self.rng.uniform
        rng = self.rng
        A, B = self.cav_axes(self.zdR - 70)
        sx, ys = self.spine_xy(self.zdR - 70)
        zr, zl = self.zdR, self.zdL
        f6, fl = u(0.6, 1.1), u(0.6, 1.4)
        if rng.random() < 0.1:
            f6 = u(1.3, 1.6)
            self.anomalies.append("riedel_lobe")
        self.touching = rng.random() < 0.3
        parts = [((0.5 * A + 6, -0.12 * B, zr - 72), (0.5 * A + 4, 0.8 * B, 80)),   # right lobe
                 ((A - 45, -0.1 * B, zr - 125), (38 * f6, 0.45 * B, 36 * f6)),   # segment 6 / Riedel lobe
                 ((18, 0.38 * B, zr - 62), (46, 0.42 * B, 44)),                 # segment 4
                 ((-28, 0.38 * B, zr - 44), (52 * fl, 0.33 * B, 28)),           # left lateral segments
                 ((sx + 16, ys + 46, zr - 72), (20, 18, 32))]                   # caudate
        if self.touching:   # a long left lobe reaching over to the spleen
            parts.append(((-0.6 * A, 0.05 * B, zl - 45), (45, 0.42 * B, 22)))
            self.anomalies.append("spleen_touching_liver")
        self.liver_parts0 = [(np.array(c) + rng.normal(0, 5, 3), np.array(r) * u(0.9, 1.1, 3),
                              rotation(rng.normal(size=3), u(0, 12))) for c, r in parts]
        self.liver_anchor = np.array([A - 25, -0.1 * B, zr - 15])
        self.liver_warp = Warp(rng, u(5, 11), 90, 200)
        self.liver_tex = Waves(rng, 5, 20, 60, u(2, 5))
        # volume 1.0-2.2 L, larger in larger patients (and sometimes enlarged)
        big = (self.Ac * self.Bc) / (126.0 * 95.0)
        self.liver_target = float(np.clip(u(1150, 1650) * big * (u(1.2, 1.5) if rng.random() < 0.15 else 1.0),
                                          1000, 2200))
        # scale the lobes about the dome until the clipped shape has the drawn volume
        s = 1.0
        for _ in range(4):
            self._set_liver_scale(s)
            v = self._liver_volume()
            # aim ~10% high: gallbladder, IVC, perirenal fat and the spleen later take their share
            s = float(np.clip(s * (1.1 * self.liver_target / v) ** 0.4, 0.6, 1.6))
        self._set_liver_scale(s)
        self.liver_scale = s
        # lesions: random points well inside the liver
        pts, d = self._liver_samples()
        self.lesions = []
        if rng.random() < 0.3:
            for _ in range(int(rng.integers(1, 7))):
                r = u(4, 28)
                ok = np.nonzero(d < -r - 3)[0]
                if len(ok) == 0:
                    continue
                c = pts[ok[rng.integers(len(ok))]]
                kind = str(rng.choice(["cyst", "metastasis", "metastasis", "hypervascular"]))
                if kind == "hypervascular" and self.phase != "arterial":
                    kind = "metastasis"
                self.lesions.append((c, r * u(0.8, 1.2, 3), kind, Warp(rng, 0.12 * r, 3 * r, 6 * r, 3)))
            if self.lesions:
                self.anomalies.append("liver_lesions=%d" % len(self.lesions))
        # portal hepatis: under the liver between caudate and segment 4
        caud, seg4 = self.liver_parts[4][0], self.liver_parts[2][0]
        self.porta = np.array([0.5 * (caud[0] + seg4[0]) + 12, 0.5 * (caud[1] + seg4[1]) - 4,
                               min(caud[2], seg4[2]) - 22 * s])
        self.liver_top = self.zdR

    def _set_liver_scale(self, s):
        a = self.liver_anchor
        g = np.array([s, s, np.sqrt(s)])   # a bigger liver grows more across than downwards
        self.liver_parts = [(a + g * (c - a), r * g, R) for c, r, R in self.liver_parts0]

    def liver_box(self):
        m = 3 * self.liver_warp.amp + 5   # the warp displaces by up to ~3 standard deviations
        lo = np.min([c - r.max() for c, r, _ in self.liver_parts], axis=0) - m
        hi = np.max([c + r.max() for c, r, _ in self.liver_parts], axis=0) + m
        return lo, hi

    def liver_sdf(self, p):
        q = self.liver_warp(p)
        d = None
        for c, r, R in self.liver_parts:
            e = ellipsoid(q, c, r, R)
            d = e if d is None else smin(d, e, 18.0)
        d = np.maximum(d, self.cavity_sdf(p) + 1.0)      # inside the abdominal wall
        d = np.maximum(d, self.below_diaphragm(p))       # under the diaphragm: the dome
        d = np.maximum(d, -self.spine_keepout(p))        # off the spine and crura
        # The right kidney, adrenal, crus and IVC are behind the peritoneum: rounded keep-outs for the
        # kidney swept backwards (the liver sits on its upper pole, not behind it; also after a
        # nephrectomy, when fat and bowel fill the fossa), the gutter between kidney and spine, the
        # space behind the IVC, and left of the spine behind the aorta (only the left lobe, in front,
        # crosses the midline).
        k = self.kidneys[0]
        sx, ys = self.spine_xy(p[2])
        ix, iy = self.ivc_xy(p[2])
        w = k["F"][:, 2]
        keep = ellipsoid(p, k["c"] - 14 * w + 5 * k["F"][:, 1], (k["L"] / 2 + 6, k["W"] / 2 + 12, k["T"] / 2 + 20),
                         k["F"])
        keep = np.minimum(keep, ellipsoid(p, (k["c"][0] - k["W"] / 2 - 8, ys - 5, k["c"][2]),
                                          (22, 32, k["L"] / 2 + 10)))
        keep = np.minimum(keep, ellipse2d(p[0] - (ix - 4), p[1] - (iy - 24), 18.0, 24.0))
        keep = np.minimum(keep, ellipse2d(p[0] - (sx - 58), p[1] - (ys - 5), 62.0, self.vry + 32))
        d = smax(d, -keep, 6.0)
        return np.maximum(d, -self.stomach_core(p))

    def _liver_samples(self, step=4.0):
        lo, hi = self.liver_box()
        axes = [np.arange(lo[m], hi[m], step, dtype=np.float32) for m in range(3)]
        g = np.meshgrid(*axes, indexing="ij")
        pts = np.stack([x.ravel() for x in g], axis=1)
        return pts, self.liver_sdf((pts[:, 0], pts[:, 1], pts[:, 2]))

    def _liver_volume(self):
        return float((self._liver_samples()[1] < 0).sum()) * 64.0 / 1000.0   # mL

    def _sample_spleen(self):
        u, rng = self.rng.uniform, self.rng
        A, B = self.cav_axes(self.zdL - 60)
        vol = u(120, 350)
        if rng.random() < 0.07:
            vol = u(550, 1000)
            self.anomalies.append("splenomegaly")
        c = np.array([-(A - 36), -0.42 * B, self.zdL - 58 - 0.02 * vol])
        w = unit([-c[0], -c[1] + 0.2 * B, 0])              # thin axis: towards the body centre
        uu = np.array([0.0, 0.0, 1.0])
        v = np.cross(uu, w)
        F = rotation(w, u(15, 30)) @ np.stack([uu, v, w], axis=1)
        k = (1000.0 * vol / (4 / 3 * np.pi * 0.8 * 60 * 42 * 22)) ** (1 / 3)   # mL to mm^3; the hollow takes ~20%
        self.spleen = dict(c=c, r=np.array([60, 42, 22]) * k * u(0.9, 1.1, 3), F=F, w=w,
                           warp=Warp(rng, u(3, 6), 60, 120), tex=Waves(rng, 6, 12, 30, u(20, 35)))
        self.spleen_hilum = c + w * (self.spleen["r"][2] + 10) - [0, 0, 5]

    def _sample_stomach(self):
        u, rng = self.rng.uniform, self.rng
        A, B = self.cav_axes(self.zdL - 80)
        zl = self.zdL
        dist = u(0.7, 1.2)   # distension
        pts = [[-0.45 * A, -0.15 * B, zl - 35], [-0.45 * A, 0.15 * B, zl - 75], [-0.3 * A, 0.4 * B, zl - 110],
               [-0.05 * A, 0.55 * B, zl - 125], [0.2 * A, 0.45 * B, zl - 115]]
        pts = [np.array(q) + rng.normal(0, 5, 3) for q in pts]
        rad = [34 * dist, 30 * dist, 26 * dist, 19 * dist, 10]
        path = smooth_path(pts, 12)
        self.stomach = dict(
            pts=pts, caps=chain(path, list(np.interp(np.linspace(0, 4, len(path)), range(5), rad))),
            core=chain(pts, [0.7 * r for r in rad]), wall=u(3, 6) / dist,
            level=max(q[1] for q in pts) + 20 - u(10, 60) * dist,
            content="fluid" if rng.random() < 0.85 else "stool")   # stool-like: food

    def stomach_core(self, p):
        """The middle of the stomach, kept free of liver and spleen (they indent it, never pierce it)."""
        d = None
        for a, b, ra, rb in self.stomach["core"]:
            e = capsule(p, a, b, ra, rb)
            d = e if d is None else np.minimum(d, e)
        return d

    def spleen_sdf(self, p):
        sp = self.spleen
        q = sp["warp"](p)
        d = ellipsoid(q, sp["c"], sp["r"], sp["F"])
        hollow = ellipsoid(q, sp["c"] + sp["w"] * 2.0 * sp["r"][2], sp["r"] * [0.85, 0.9, 1.6], sp["F"])
        d = smax(d, -hollow, 5.0)                           # concave visceral surface
        d = np.maximum(d, self.cavity_sdf(p) + 1.0)
        d = np.maximum(d, self.below_diaphragm(p))
        d = np.maximum(d, -self.stomach_core(p))
        return np.maximum(d, -self.spine_keepout(p))

    def _sample_gallbladder(self):
        u, rng = self.rng.uniform, self.rng
        self.gb = None
        if rng.random() < 0.08:
            self.anomalies.append("cholecystectomy")
            return
        B = self.cav_axes(self.porta[2])[1]
        neck = self.porta + [u(14, 24), u(6, 14), u(-8, 0)]
        fundus = neck + [u(10, 30), u(0.25, 0.4) * B, -u(45, 65)]
        mid = 0.55 * neck + 0.45 * fundus + [u(0, 6), 0, 0]
        r = u(12, 19)
        stones = []
        if rng.random() < 0.12:
            n = int(rng.integers(1, 6))
            for _ in range(n):
                t = u(0.4, 0.95)
                q = neck + t * (fundus - neck)
                stones.append((q + [u(-4, 4), -0.5 * r, u(-4, 4)], u(2, 7), u(80, 900)))   # sink backwards
            self.anomalies.append("gallstones=%d" % n)
        self.gb = dict(caps=chain([neck, mid, fundus], [0.45 * r, 0.9 * r, r]), stones=stones,
                       wall=u(1.5, 3.0))

    def _sample_vessels(self):
        """Portal system, arteries and the liver's vessel trees (positions, not yet painted)."""
        u, rng = self.rng.uniform, self.rng
        sx, ys = self.spine_xy(0.0)
        ry = self.vry
        self.confluence = np.array([sx + 8, ys + ry + 38, 5.0])
        self.pancreas = chain([[sx + 16, ys + ry + 30, -35], [sx + 32, ys + ry + 36, -20],
                               [sx + 12, ys + ry + 50, 2], [sx - 32, ys + ry + 42, 14],
                               [sx - 72, ys + ry + 18, 30], self.spleen_hilum + [12, 8, -8]],
                              [9, 16, 11, 12, 11, 8])
        self.pancreas_warp = Warp(rng, 2.5, 15, 30)
        self.pancreas_tex = Waves(rng, 6, 6, 14, u(4, 12) + (8 if self.age > 60 else 0))
        # liver trees: portal branches from the porta, hepatic veins from the IVC under the dome
        self.portal_tree = []
        parts = self.liver_parts
        for target, r0 in ((parts[0][0], 7.0), (parts[1][0], 5.5), (parts[3][0], 6.0), (parts[2][0], 5.0)):
            self._tree(self.porta, unit(target - self.porta), u(30, 45), r0, 3, self.portal_tree)
        zv = self.zdR - 28
        hv0 = np.array([*self.ivc_xy(zv), zv])
        self.hepatic_tree = []
        for target in (parts[0][0] + [15, -10, -40], parts[2][0] + [0, 10, -30], parts[3][0] + [-10, 5, -10]):
            self._tree(hv0, unit(target - hv0), u(40, 55), u(5.5, 7.5), 2, self.hepatic_tree)
        self.calc = [(u(0, 2 * np.pi), u(-120, 60), u(1.0, 2.5)) for _ in range(int(rng.integers(3, 15)))]

    def _tree(self, p, d, length, r, depth, out):
        end = p + d * length
        out.append((p, end, r, r * 0.8))
        if depth > 0:
            for _ in range(2):
                nd = unit(d + self.rng.normal(0, 0.55, 3))
                self._tree(end, nd, length * 0.72, r * 0.68, depth - 1, out)

    # ---- painting --------------------------------------------------------------------------------
    def paint(self, cv, lo, hi):
        """Paint everything, solid organs first; the hollow viscera then fill the space left."""
        self.lo, self.hi = lo, hi
        self.paint_table(cv)
        self.paint_body(cv)
        self.paint_thorax(cv)
        self.paint_liver(cv)
        self.paint_gallbladder(cv)
        self.paint_spleen(cv)
        self.paint_muscles(cv)
        self.paint_kidneys(cv)
        self.paint_pancreas_adrenals(cv)
        self.paint_vessels(cv)
        self.paint_spine(cv)
        self.paint_ribs(cv)
        self.paint_ascites(cv)
        # distance to anything solid, so that stomach and bowel stay clear of organs and each other
        cv.dist = ndimage.distance_transform_edt(~cv.solid, sampling=cv.spacing).astype(np.float32)
        self.paint_stomach_duodenum(cv)
        self.paint_colon(cv)
        self.paint_small_bowel(cv)

    def paint_table(self, cv):
        """Curved carbon-fibre table top with a foam core, and a thin mattress under the back."""
        u = self.rng.uniform
        top = self.back - u(0, 20)
        thick, width, curve, skin = u(30, 55), u(210, 250), u(2e-4, 7e-4), u(2, 4)
        lo, hi = [-width - 5, top - thick - 5, self.lo[2]], [width + 5, self.back + 60, self.hi[2]]
        for blk in cv.chunks(lo, hi):
            x, y, _ = blk.p
            v = y - curve * x * x
            pad = np.maximum(np.maximum(v - self.back, top - v), np.abs(x) - width + 15)
            cv.paint(blk, pad, self.hu["pad"])
            tab = np.maximum(np.maximum(v - top, top - thick - v), np.abs(x) - width)
            cv.paint(blk, tab, self.hu["table"])
            cv.paint(blk, tab + skin, self.hu["foam"])

    def paint_body(self, cv):
        """Skin, subcutaneous fat, muscle wall, visceral fat: nested layers around the cavity."""
        big = self.Ac + self.fat * 3 + 60
        lo, hi = [-big, self.back - 1, self.lo[2]], [big, big, self.hi[2]]
        fat_tex = Waves(self.rng, 4, 10, 30, 4.0)
        for blk in cv.chunks(lo, hi):
            p = blk.p
            rho, c, s = self.polar(p)
            R = self.cav_radius(c, s, p[2])
            tm, tf = self.muscle_t(c, s, p[0]), self.fat_t(c, s)
            outer = R + self.muscle_t(c, s, p[0], alba=False) + tf   # the skin does not follow the linea alba
            body = np.maximum(rho - (outer + self.t_skin), self.back - p[1])
            cv.paint(blk, body, self.hu["skin"])
            cv.paint(blk, np.maximum(rho - outer, self.back + self.t_skin - p[1]),
                     self.hu["fat"] + fat_tex(p))
            cv.paint(blk, np.maximum(rho - (R + tm), self.back + self.t_skin + 0.4 * self.fat - p[1]),
                     self.hu["muscle"])
            cav = rho - R
            cv.paint(blk, cav, self.hu["vfat"] + fat_tex(p))
            cv.solid[blk.sl] = cav > -1.0   # only the cavity is free for the bowel

    def lung_sdf(self, p):
        sx, ys = self.spine_xy(p[2])
        d = np.maximum(self.cavity_sdf(p) + 1.0, self.diaphragm_z(p[0], p[1]) + 4.0 - p[2])
        mediast = ellipse2d(p[0] - sx + 4, p[1] - ys - 22, 32.0, 44.0)
        d = np.maximum(d, -mediast)
        return np.maximum(d, -(ellipsoid(p, self.heart_c, self.heart_r + 8, self.heart_F)))

    def paint_thorax(self, cv):
        """Lung bases over the diaphragm, the diaphragm itself, the bottom of the heart."""
        u = self.rng.uniform
        hx, hy = -u(20, 35), u(0.25, 0.4) * self.Bc
        self.heart_c = np.array([hx, hy, self.diaphragm_z(hx, hy) + u(38, 50)])
        self.heart_r = np.array([u(62, 75), u(50, 60), u(45, 55)])
        self.heart_F = rotation([0, 0, 1], -u(20, 40)) @ rotation([1, 0, 0], u(10, 25))
        A, B = self.cav_axes(self.zdR)
        zlo = self.zdR - 120
        lo, hi = [-A - 30, -B - 30, zlo], [A + 30, B + 30, self.hi[2]]
        lung_tex = Waves(self.rng, 5, 15, 40, 15.0)
        for blk in cv.chunks(lo, hi):
            p = blk.p
            zd = self.diaphragm_z(p[0], p[1])
            cv.paint(blk, np.maximum(np.abs(p[2] - zd) - 4.0, self.cavity_sdf(p)), self.hu["muscle"])
            cv.paint(blk, self.lung_sdf(p), self.hu["lung"] + lung_tex(p))
            above = np.maximum(zd + 3.0 - p[2], ellipsoid(p, self.heart_c, self.heart_r + 6, self.heart_F))
            cv.paint(blk, above, self.hu["fat"])
            heart = np.maximum(ellipsoid(p, self.heart_c, self.heart_r, self.heart_F), zd + 5.0 - p[2])
            cv.paint(blk, heart, self.hu["myocardium"])
            blood = np.maximum(ellipsoid(p, self.heart_c + [0, -5, 5], self.heart_r * 0.72, self.heart_F),
                               zd + 12.0 - p[2])
            cv.paint(blk, blood, self.hu["heart_blood"])
            cv.solid[blk.sl] |= p[2] > zd - 4.0
        # pulmonary vessels: thin tubes clipped to the lungs
        caps = []
        for _ in range(40):
            a = np.array([u(-A, A), u(-B, B * 0.6), u(self.zdR - 90, self.hi[2])])
            b = a + unit(self.rng.normal(size=3)) * u(20, 50)
            caps.append((a, b, u(1.0, 3.0), u(0.8, 1.5)))
        cv.paint_capsules(caps, self.hu["heart_blood"] * 0.6 + 20, clip=lambda p: self.lung_sdf(p) + 1.0)

    def paint_liver(self, cv):
        lo, hi = self.liver_box()
        h = self.hu
        for blk in cv.chunks(lo, hi, 900_000):
            p = blk.p
            d = self.liver_sdf(p)
            cv.paint(blk, d, h["liver"] + self.liver_tex(p), LIVER, solid=True)
            inner = d + 1.5

            def in_liver(sub, inner=inner):
                return inner[sub.rel]
            for tree, value in ((self.portal_tree, h["portal"]), (self.hepatic_tree, h["hepatic_vein"])):
                for a, b, ra, rb in tree:
                    sub = blk.sub(*capsule_box(a, b, ra, rb))
                    if sub is not None:
                        cv.paint(sub, np.maximum(capsule(sub.p, a, b, ra, rb), in_liver(sub)), value, LIVER)
            for c, r, kind, warp in self.lesions:
                sub = blk.sub(c - 1.5 * r.max() - 8, c + 1.5 * r.max() + 8)
                if sub is None:
                    continue
                e = np.maximum(ellipsoid(warp(sub.p), c, r), in_liver(sub))
                if kind == "cyst":
                    cv.paint(sub, e, h["fluid"], LIVER)
                elif kind == "hypervascular":
                    cv.paint(sub, e, h["liver"] + 45, LIVER)
                else:   # hypodense metastasis with a faint enhancing rim
                    core = h["liver"] - (0.35 if self.phase == "non-contrast" else 0.55) * (h["liver"] - 10)
                    cv.paint(sub, e, h["liver"] - 8 + (10 if self.phase != "non-contrast" else 0), LIVER)
                    cv.paint(sub, e + min(3.0, 0.3 * r.min()), core, LIVER)

    def paint_gallbladder(self, cv):
        if self.gb is None:
            return
        gb = self.gb
        wall = self.hu["bowel_wall"] * 0.8
        cv.paint_capsules(gb["caps"], wall, label=0, solid=True, shell=gb["wall"], inner_hu=self.hu["bile"])
        for c, r, v in gb["stones"]:
            for blk in cv.chunks(c - r - 2, c + r + 2):
                cv.paint(blk, ellipsoid(blk.p, c, (r, r, r)), v, 0)

    def paint_spleen(self, cv):
        sp = self.spleen
        m = sp["r"].max() + 3 * sp["warp"].amp + 10
        halo = 0.0 if self.touching else self.rng.uniform(2, 6)   # a fat plane unless touching
        for blk in cv.chunks(sp["c"] - m, sp["c"] + m):
            d = self.spleen_sdf(blk.p)
            if halo:
                cv.paint(blk, d - halo, self.hu["vfat"], 0)
            tex = sp["tex"](blk.p) if self.phase == "arterial" else 0.0   # arterial: mottled
            cv.paint(blk, d, self.hu["spleen"] + tex, 0, solid=True)

    def paint_muscles(self, cv):
        """Psoas, quadratus lumborum, erector spinae, crura."""
        u = self.rng.uniform
        mus = self.hu["muscle"]
        k = u(0.85, 1.2) * (0.85 if self.age > 70 else 1.0)
        rx = self.vrx
        for s in (1.0, -1.0):
            zs = [self.levels["T12"][0], self.levels["L1"][0], self.levels["L2"][0], self.levels["L3"][0],
                  self.levels["L4"][0], self.levels["L5"][0] - 20]
            pts, rad = [], []
            for z, dx, dy, r in zip(zs, [2, 8, 14, 20, 26, 34], [4, 4, 3, 3, 6, 14], [3, 8, 13, 17, 21, 23]):
                sx, ys = self.spine_xy(z)
                pts.append([sx + s * (rx + dx), ys + dy, z])
                rad.append(r * k)
            cv.paint_capsules(chain(pts, rad), mus, 0, True)
            pts = []
            for z, dx in zip([self.levels["T12"][0], self.levels["L2"][0], self.levels["L4"][0]], [30, 42, 52]):
                sx, ys = self.spine_xy(z)
                pts.append([sx + s * (rx + dx), ys - self.vry - 8, z])
            cv.paint_capsules(chain(pts, [5 * k, 10 * k, 13 * k]), mus, 0, True)
            pts = []
            for z, dx, dy in zip([-20.0, 40.0, 90.0, self.zdR - 30], [6, 10, 14, 18], [6, 12, 22, 34]):
                sx, ys = self.spine_xy(z)
                pts.append([sx + s * dx, ys + self.vry + dy, z])
            cv.paint_capsules(chain(pts, [4, 5, 5, 4]), mus, 0, True)
        # erector spinae: two oval columns between the spinous processes and the rib angles
        es_fat = self.rng.uniform(0, 25) if self.age > 60 else 0.0
        lo, hi = [-110, -self.Bc * 1.3, self.lo[2]], [110, self.ys0, self.hi[2]]
        for blk in cv.chunks(lo, hi):
            p = blk.p
            sx, ys = self.spine_xy(p[2])
            _, B = self.cav_axes(p[2])
            top = ys - self.vry - 10
            ry = (top + B) / 2
            cy = top - ry
            rxe = (26 + 0.06 * (90 - p[2]).clip(0, 200)) * k
            for s in (1.0, -1.0):
                d = ellipse2d(p[0] - sx - s * (rxe + 7), p[1] - cy, rxe, ry)
                d = np.maximum(d, self.cavity_sdf(p) + 0.5)
                cv.paint(blk, d, mus - es_fat, 0, True)

    def paint_kidneys(self, cv):
        h = self.hu
        for k in self.kidneys:
            if not k["present"]:
                continue
            m = 0.5 * k["L"] + k["halo"] + 10
            lo, hi = k["c"] - m, k["c"] + m
            # renal vein to the IVC (the left one in front of the aorta), artery behind it
            hz = k["hilum"][2]
            ix, iy = self.ivc_xy(hz)
            ax, ay = self.aorta_xy(hz + 6)
            if k["side"] == "right":
                vein = [k["hilum"], [ix + 6, iy, hz + 2]]
            else:
                vein = [k["hilum"], [ax, ay + self.r_aorta + 5, hz + 4], [ix, iy, hz + 6]]
            art = [k["hilum"] + [0, -6, 4], [ax, ay, hz + 8]]
            ureter = [k["hilum"] + [0, 0, -6], k["hilum"] + [k["s"] * -6, 2, -40], k["hilum"] + [k["s"] * -8, 4, -140]]
            for blk in cv.chunks(lo, hi):
                d, _ = self.kidney_sdf(k, blk.p)
                cv.paint(blk, d - k["halo"], h["vfat"], 0, True)   # perirenal fat
            cv.paint_capsules(chain(vein, [5.5] * len(vein)), h["ivc_low"], 0, True)
            cv.paint_capsules(chain(art, [3.0, 3.5]), h["artery"], 0, True)
            cv.paint_capsules(chain(ureter, [3.0, 2.5, 2.5]), h["pelvis"] if self.excretion else 25.0, 0, True)
            for blk in cv.chunks(lo, hi):
                d, q = self.kidney_sdf(k, blk.p)
                cv.paint(blk, d, h["cortex"], KIDNEY, True)
                med = None
                for pu, pv, pw in k["pyr"]:   # pyramids, apex towards the sinus
                    e = ellipsoid(q, (pu, pv, pw), (10.0, 9.0, 7.0))
                    med = e if med is None else np.minimum(med, e)
                cv.paint(blk, np.maximum(med, d + 5.0), h["medulla"], KIDNEY)
                L, W, T = k["L"], k["W"], k["T"]
                sinus = ellipsoid(q, (0, -0.22 * W, 0), (0.24 * L, 0.12 * W, 0.12 * T))
                cv.paint(blk, np.maximum(sinus, d + 3.0), h["vfat"], KIDNEY)   # sinus fat in the hilum
                pelvis = ellipsoid(q, (0, -0.3 * W, 0), (0.16 * L, 0.22 * W, 0.1 * T))
                for pu, pv, pw in k["pyr"]:   # calyces reaching to the pyramid tips
                    pelvis = np.minimum(pelvis, capsule(q, (0, -0.25 * W, 0), (pu * 0.9, pv - 6, pw * 0.6), 2.8, 2.2))
                cv.paint(blk, np.maximum(pelvis, ellipsoid(q, (0, -0.15 * W, 0), (0.5 * L, 0.62 * W, 0.5 * T))),
                         h["pelvis"], KIDNEY)
            for c, r in k["cysts"]:
                for blk in cv.chunks(c - r - 3, c + r + 3):
                    cv.paint(blk, ellipsoid(blk.p, c, (r, r, r)), h["fluid"], KIDNEY, True)

    def paint_pancreas_adrenals(self, cv):
        h = self.hu
        tex = self.pancreas_tex
        warp = self.pancreas_warp
        for a, b, ra, rb in self.pancreas:
            lo, hi = capsule_box(a, b, ra, rb, 8)
            for blk in cv.chunks(lo, hi):
                d = capsule(warp(blk.p), a, b, ra, rb)
                d = np.maximum(d, -self.spine_keepout(blk.p))
                cv.paint(blk, d, h["pancreas"] - np.abs(tex(blk.p)), 0, True)   # lobulated, fatty clefts
        for k in self.kidneys:   # adrenals: thin inverted V above and medial to each kidney
            s = k["s"]
            z0 = self.kidney_top + 15 if k["present"] else 55.0
            sx, ys = self.spine_xy(z0)
            apex = np.array([sx + s * (self.vrx + 16), ys + self.vry + 16, z0 + 10])
            for d in ([s * 8, -14, -22], [s * 16, -4, -24]):
                cv.paint_capsules([(apex, apex + d, 3.0, 2.0)], h["adrenal"], 0, True)

    def paint_vessels(self, cv):
        """Aorta with celiac, SMA and iliacs; IVC; portal, splenic and superior mesenteric veins."""
        h, u = self.hu, self.rng.uniform
        ztop = self.hi[2] + 10
        zs = np.linspace(self.z_bif, ztop, 12)
        ao = [[*self.aorta_xy(z), z] for z in zs]
        caps = chain(ao, [self.r_aorta] * len(ao))
        caps = [(a, b, ra * (0.9 if a[2] < 0 else 1.0), rb * (0.9 if b[2] < 0 else 1.0)) for a, b, ra, rb in caps]
        bif = np.array(ao[0])
        sx, ys = self.spine_xy(self.z_bif)
        for s in (1, -1):
            caps += chain([bif, [sx + s * 40, ys + self.vry + 18, self.z_bif - 60],
                           [sx + s * 70, ys + self.vry + 20, self.z_bif - 130]], [7, 6.5, 6])
        c0 = np.array([*self.aorta_xy(38.0), 38.0])
        cel = c0 + [4, 18, 2]
        caps += [(c0, cel, 3.5, 3.5)]
        caps += chain([cel, cel + [25, 8, 0], self.porta + [0, 4, -6]], [2.8, 2.6, 2.4])          # hepatic a.
        caps += chain([cel, cel + [-25, -5, 8], cel + [-50, 2, 6], self.spleen_hilum], [3.2, 3.0, 3.0, 2.8])
        s0 = np.array([*self.aorta_xy(22.0), 22.0])
        caps += chain([s0, s0 + [2, 20, -8], s0 + [4, 28, -60], s0 + [8, 30, -130]], [4, 4, 3.5, 3])   # SMA
        cv.paint_capsules(caps, h["artery"], 0, True)
        if self.calcified:   # plaques in the aortic wall
            for ang, z, r in self.calc:
                x, y = self.aorta_xy(z)
                c = np.array([x + self.r_aorta * np.cos(ang), y + self.r_aorta * np.sin(ang), z])
                for blk in cv.chunks(c - r - 2, c + r + 2):
                    cv.paint(blk, ellipsoid(blk.p, c, (r, r, r * 2)), u(400, 900))
        # IVC, oval, from the iliac confluence up through the liver's bare area
        zs = np.linspace(self.z_bif - 10, ztop, 12)
        iv = [[*self.ivc_xy(z), z] for z in zs]
        rv = [u(10, 13)] * len(iv)
        for a, b, ra, rb in chain(iv, rv):
            cv.paint_capsules([(a, b, ra, rb)], h["ivc_high"] if a[2] > 5 else h["ivc_low"], 0, True)
        sx, ys = self.spine_xy(self.z_bif)
        for s in (1, -1):
            cv.paint_capsules(chain([iv[0], [sx + s * 30, ys + self.vry + 8, self.z_bif - 60],
                                     [sx + s * 62, ys + self.vry + 10, self.z_bif - 130]], [8, 7, 7]),
                              h["ivc_low"], 0, True)
        # portal venous system (extrahepatic)
        cf = self.confluence
        ven = chain([cf, 0.5 * (cf + self.porta) + [0, 6, 0], self.porta], [6.5, 7, 7])
        ven += chain([cf, cf + [-30, -12, 10], cf + [-70, -30, 25], self.spleen_hilum], [5, 4.5, 4.5, 4.5])
        ven += chain([cf, cf + [6, 6, -50], cf + [10, 8, -130]], [5.5, 5, 4.5])
        cv.paint_capsules(ven, h["portal"], 0, True)

    def paint_spine(self, cv):
        h = self.hu
        cort, canc = h["cortical"], h["cancellous"]
        rx, ry = self.vrx, self.vry
        for name, (zc, ht, disc) in self.levels.items():
            if zc + ht < self.lo[2] - 30 or zc - ht > self.hi[2] + 30:
                continue
            lumbar = name.startswith("L")
            sx, ys = self.spine_xy(zc)
            f = 1.0 if lumbar else 0.85
            bx, by = rx * f, ry * f
            # posterior elements as capsules: pedicles, laminae, spinous process, transverse processes
            pa = np.array([sx, ys - by, zc])
            caps = []
            for s in (1, -1):
                ped0 = pa + [s * 0.55 * bx, 0.3 * by, 0]
                ped1 = pa + [s * 0.6 * bx, -12, 0]
                caps += [(ped0, ped1, 4.5, 4.5), (ped1, pa + [0, -24, -3], 4.0, 4.0)]
                if lumbar:
                    caps.append((ped1 + [0, 3, 0], ped1 + [s * (bx + 12), 2, -2], 4.0, 3.0))
                else:
                    caps.append((ped1, ped1 + [s * (bx + 2), -10, 0], 4.5, 4.0))
                caps.append((ped1 + [s * 3, -3, ht / 2 + 2], ped1 + [s * 3, -3, -ht / 2 - 2], 4.5, 4.5))   # facets
            sp0 = pa + [0, -24, -3]
            drop = 8 if lumbar else 22
            for dz in ((0, -7, -14) if lumbar else (0, -5)):
                caps.append((sp0 + [0, 0, dz], sp0 + [0, -26 if lumbar else -24, dz - drop], 4.5, 4.0))
            cv.paint_capsules(caps, cort)
            cv.paint_capsules([(a, b, ra - 1.2, rb - 1.2) for a, b, ra, rb in caps], canc)
            lo = [sx - bx - 6, ys - by - 5, zc - ht / 2 - disc]
            hi = [sx + bx + 6, ys + by + 5, zc + ht / 2 + disc]
            for blk in cv.chunks(lo, hi):
                p = blk.p
                r2 = ellipse2d(p[0] - sx, p[1] - ys, bx, by)
                dz = np.abs(p[2] - zc) - ht / 2
                body = np.sqrt(np.maximum(r2, 0) ** 2 + np.maximum(dz, 0) ** 2) + np.minimum(np.maximum(r2, dz), 0)
                cv.paint(blk, body - 1.0, cort, 0, True)
                cv.paint(blk, body + 0.6, canc, 0)
                dd = np.maximum(r2 + 1.0, np.abs(p[2] - (zc + ht / 2 + disc / 2)) - disc / 2 - 0.5)
                cv.paint(blk, dd, h["disc"], 0, True)
        # canal and thecal sac with the cord above the conus (L1)
        lo, hi = [-60, self.ys0 - 80, self.lo[2]], [60, self.ys0 + 10, self.hi[2]]
        conus = self.levels["L1"][0]
        for blk in cv.chunks(lo, hi):
            p = blk.p
            sx, ys = self.spine_xy(p[2])
            cy = ys - ry - 10
            cv.paint(blk, ellipse2d(p[0] - sx, p[1] - cy, 10.0, 7.5), h["csf"], 0, True)
            cord = np.maximum(ellipse2d(p[0] - sx, p[1] - cy, 4.5, 4.0), conus - p[2])
            cv.paint(blk, cord, h["cord"], 0)
        # xiphoid
        A, B = self.cav_axes(self.zdR)
        cv.paint_capsules([(np.array([0, B + 2, self.zdR + 30]), np.array([0, B - 4, self.zdR - 25]), 6, 4)], cort)

    def paint_ribs(self, cv):
        """Ribs 7-12 from the spine around the wall, descending; 7-10 end in costal cartilage that rises
        to the costal margin, 11-12 float."""
        u = self.rng.uniform
        h = self.hu
        for n, name in ((7, "T7"), (8, "T8"), (9, "T9"), (10, "T10"), (11, "T11"), (12, "T12")):
            zh = self.levels[name][0] + 4
            drop = u(45, 80) if n < 11 else u(25, 45)
            phi_end = u(145, 160) if n < 11 else (u(85, 105) if n == 11 else u(65, 85))
            rise = u(25, 60)
            for s in (1.0, -1.0):
                sx, ys = self.spine_xy(zh)
                bone = [np.array([sx + s * (self.vrx - 1), ys - 4, zh]),
                        np.array([sx + s * (self.vrx + 18), ys - self.vry - 12, zh - 5])]
                cart = []
                for phi in np.arange(50.0, phi_end + 0.1, 8.0):
                    t = np.radians(phi)
                    if phi <= 110:   # ribs slope down from the spine
                        z = zh - 16 - (drop - 16) * (phi - 50) / 60
                    else:
                        z = zh - drop + rise * (phi - 110) / 50
                    c, sn = s * np.sin(t), -np.cos(t)
                    R = self.cav_radius(c, sn, z) + 0.35 * self.muscle_t(c, sn, 0.0 if phi > 170 else 50.0)
                    q = np.array([R * c, R * sn, z])
                    (bone if phi <= 125 or n >= 11 else cart).append(q)
                caps = chain(bone, [5.0] * len(bone))
                cv.paint_capsules(caps, h["cortical"] * 0.9, 0, True, shell=1.5, inner_hu=h["cancellous"] * 0.9)
                if cart:
                    cart = [bone[-1]] + cart
                    cv.paint_capsules(chain(cart, [5.5] * len(cart)), h["cartilage"], 0, True)

    def paint_ascites(self, cv):
        """Fluid in the free space around the liver."""
        if not self.ascites:
            return
        t = self.rng.uniform(5, 18)
        lo, hi = self.liver_box()
        for blk in cv.chunks(lo - t, hi + t):
            d = self.liver_sdf(blk.p)
            free = ~cv.solid[blk.sl]
            asc = np.where(free, np.maximum(d - t, -d), 99.0)
            asc = np.maximum(asc, self.cavity_sdf(blk.p) + 1.0)
            cv.paint(blk, asc, self.hu["fluid"], 0, True)

    def _lumen(self, level, content, tex=None):
        """HU of a hollow organ's contents: gas rises to the front (the patient lies supine)."""
        fluid = self.hu["oral"] if (self.oral and content == "fluid") else self.hu["fluid"]
        h = self.cv_h

        def value(p):
            if content == "gas":
                return -1000.0
            base = fluid if content == "fluid" else self.hu["stool"]
            if content == "stool" and tex is not None:
                t = tex(p)
                base = base + (-850 - base) * np.clip((t - 1.3) / 0.3, 0, 1)   # gas bubbles in stool
            g = np.clip(0.5 + (p[1] - level) / h, 0, 1)
            return base + g * (-1000.0 - base)
        return value

    def paint_stomach_duodenum(self, cv):
        u, rng = self.rng.uniform, self.rng
        st = self.stomach
        pts = st["pts"]
        cv.paint_capsules(st["caps"], self.hu["bowel_wall"], 0, shell=st["wall"], carve=1.5,
                          inner_hu=self._lumen(st["level"], st["content"], Waves(rng, 10, 6, 14, 1.0)),
                          clip=lambda p: self.below_diaphragm(p, 5.0))
        sx, ys = self.spine_xy(-30.0)
        ry = self.vry
        duo = [pts[-1], [sx + 55, ys + ry + 40, 5], [sx + 58, ys + ry + 30, -40], [sx + 42, ys + ry + 30, -60],
               [sx, ys + ry + 33, -66], [sx - 26, ys + ry + 40, -45], [sx - 36, ys + ry + 46, -25]]
        path = smooth_path(duo, 12)
        cv.paint_capsules(chain(path, [u(9, 13)] * len(path)), self.hu["bowel_wall"], 0, shell=2.5, carve=1.0,
                          inner_hu=self._lumen(ys + ry + 40 + u(0, 15), "fluid"))

    def paint_colon(self, cv):
        u, rng = self.rng.uniform, self.rng
        A, B = self.cav_axes(-40.0)
        ctrl = [[0.55 * A, 0.1 * B, -140], [0.65 * A, -0.1 * B, -80], [0.63 * A, -0.05 * B, -20],
                [0.5 * A, 0.25 * B, u(-10, 15)], [0.2 * A, 0.55 * B, u(-45, -20)], [-0.2 * A, 0.55 * B, u(-55, -25)],
                [-0.55 * A, 0.15 * B, u(25, 50)], [-0.68 * A, -0.2 * B, 0], [-0.66 * A, -0.2 * B, -60],
                [-0.55 * A, -0.05 * B, -130]]
        r0 = u(18, 26)
        ctrl = [free_point(cv, np.array(q) + rng.normal(0, 6, 3), 0.8 * r0) for q in ctrl]
        path = smooth_path(ctrl, 14)
        tex = Waves(rng, 10, 6, 14, 1.0)
        # colon in 3-4 stretches of different content: gas, stool or fluid
        cuts = np.sort(rng.choice(np.arange(3, len(path) - 3), size=3, replace=False))
        for seg in np.split(np.arange(len(path)), cuts):
            pts = [path[i] for i in seg] + ([path[seg[-1] + 1]] if seg[-1] + 1 < len(path) else [])
            if len(pts) < 2:
                continue
            rad = [r0 * (1 + 0.12 * (-1) ** i) for i in range(len(pts))]   # haustra
            content = str(rng.choice(["gas", "stool", "fluid"], p=[0.35, 0.5, 0.15]))
            level = max(q[1] for q in pts) + r0 - u(5, 25)
            cv.paint_capsules(chain(pts, rad), self.hu["bowel_wall"] * 0.8, 0, shell=u(1.5, 3),
                              inner_hu=self._lumen(level, content, tex), carve=1.0)

    def paint_small_bowel(self, cv):
        """Random-walk loops filling the mid and lower abdomen."""
        u, rng = self.rng.uniform, self.rng
        A, B = self.cav_axes(-60.0)
        centre = np.array([-0.1 * A, 0.25 * B, -60.0])
        rad = np.array([0.6 * A, 0.55 * B, 65.0])
        for _ in range(int(rng.integers(6, 12))):
            r = u(8, 14)
            p = free_point(cv, centre + rad * rng.uniform(-0.8, 0.8, 3), r)
            d = unit(rng.normal(size=3))
            pts = [p.copy()]
            for _ in range(int(rng.integers(6, 12))):
                d = unit(d + rng.normal(0, 0.7, 3))
                if np.sum(((p - centre) / rad) ** 2) > 1:   # turn back into the region
                    d = unit(d + unit(centre - p))
                p = free_point(cv, p + d * u(18, 26), r)   # loops go round organs and vessels
                pts.append(p.copy())
            content = "fluid" if rng.random() < 0.8 else "gas"
            level = max(q[1] for q in pts) + r - u(0, 6)
            cv.paint_capsules(chain(pts, [r] * len(pts)), self.hu["bowel_wall"], 0, shell=u(1.5, 2.5),
                              inner_hu=self._lumen(level, content), carve=1.0)


# ---------------------------------------------------------------- scan geometry and one case
def direction_matrix(code):
    """Columns: the patient RAS unit vector each stored voxel axis points to, from a code like 'LPS'."""
    m = {"R": (0, 1), "L": (0, -1), "A": (1, 1), "P": (1, -1), "S": (2, 1), "I": (2, -1)}
    D = np.zeros((3, 3))
    axes = []
    for c, ch in enumerate(code):
        a, sg = m[ch]
        D[a, c] = sg
        axes.append(a)
    return D, axes


def scan_geometry(rng, ph, code, oblique):
    u = rng.uniform
    body_w = 2 * (ph.Ac * 1.05 + ph.t_obl + ph.fat * 1.3 + ph.t_skin)
    body_front = ph.Bc * 1.05 + ph.t_rect + ph.fat * (1 + ph.belly) + ph.t_skin
    fov = float(np.clip(max(u(300, 450), body_w + 15), 300, 450))
    crop = str(rng.choice(["none", "dome", "kidneys"], p=[0.7, 0.15, 0.15]))
    top = ph.zdR + (u(10, 40) if crop != "dome" else -u(15, 45))
    bottom = ph.kidney_bottom + (-u(15, 45) if crop != "kidneys" else u(15, 40))
    cy = 0.5 * (ph.back + body_front) + u(-20, 10)
    cy = min(cy, ph.back - 25 + fov / 2)   # keep the table in the field
    centre = np.array([u(-15, 15), cy, 0.5 * (top + bottom)])
    extent = [fov, fov, top - bottom]
    req_ip, req_sl = u(0.6, 1.6), u(0.8, 5.0)
    D, axes = direction_matrix(code)
    spacing, shape = [], []
    for c in range(3):
        req, cap = (req_sl, MAX_SLICES) if c == 2 else (req_ip, MAX_INPLANE)
        n = int(round(extent[axes[c]] / req))
        n = min(max(n, 8), cap)
        spacing.append(extent[axes[c]] / n)
        shape.append(n)
    R = np.eye(3)
    tilt = 0.0
    tilt_axis = np.zeros(3)
    if oblique:
        tilt, tilt_axis = u(5, 15), unit(rng.normal(size=3))
        R = rotation(tilt_axis, tilt)
    offset = np.array([u(-30, 30), u(-200, 40), u(-700, 200)])   # where the scanner puts the patient
    A = R @ D @ np.diag(spacing)
    t = centre + offset - A @ ((np.array(shape) - 1) / 2.0)
    affine = np.eye(4)
    affine[:3, :3], affine[:3, 3] = A, t
    return dict(affine=affine, shape=shape, spacing=spacing, offset=offset, req=(req_ip, req_sl), fov=fov,
                crop=crop, z=(bottom, top), tilt=tilt, tilt_axis=tilt_axis, plane=PLANE[code[2]], code=code,
                lo=np.array([-fov, -fov, bottom - 150]), hi=np.array([fov, fov, top + 150]))


def make_case(seed, case):
    rng = np.random.Generator(np.random.PCG64(seed * 1000 + case))
    ph = Phantom(rng)
    code, oblique = ORIENTATIONS[(case + seed) % len(ORIENTATIONS)]
    g = scan_geometry(rng, ph, code, oblique)
    shape, sp, A = g["shape"], g["spacing"], g["affine"]
    # refine the slice axis so that partial volume along thick slices comes from real averaging
    f = int(np.clip(round(sp[2] / min(sp[0], sp[1])), 1, 4))
    f = max(1, min(f, 320 // shape[2]))
    fine = A.copy()
    fine[:3, 2] = A[:3, 2] / f
    fine[:3, 3] = A[:3, 3] + A[:3, 2] * (0.5 / f - 0.5)
    fine[:3, 3] -= g["offset"]   # the canvas works in the patient's own frame
    cv = Canvas((shape[0], shape[1], shape[2] * f), fine, np.cbrt(sp[0] * sp[1] * sp[2] / f))
    ph.cv_h = cv.h
    ph.paint(cv, g["lo"], g["hi"])
    # back to the voxel grid: HU averaged over the sub-slices, label by majority (centre breaks ties)
    hu = cv.hu.reshape(shape[0], shape[1], shape[2], f).mean(axis=3)
    lab4 = cv.lab.reshape(shape[0], shape[1], shape[2], f)
    score = np.stack([(lab4 == v).sum(axis=3) + 0.5 * (lab4[..., f // 2] == v) for v in range(3)])
    lab = np.argmax(score, axis=0).astype(np.uint8)
    del cv
    # scanner: mild blur (reconstruction kernel) and correlated noise, stronger for large patients
    blur = rng.uniform(0.4, 0.8)
    hu = ndimage.gaussian_filter(hu, [blur / s for s in sp[:2]] + [0.3], mode="nearest")
    sd = float(np.clip(rng.uniform(8, 20) + (5 if ph.size == "obese" else 0), 8, 25))
    noise = ndimage.gaussian_filter(rng.standard_normal(hu.shape, dtype=np.float32), [0.7, 0.7, 0.3])
    hu += noise * (sd / max(1e-6, float(noise.std())))
    img = np.clip(np.rint(hu), -1024, 3071).astype(np.int16)
    vox = float(np.prod(sp)) / 1000.0
    info = dict(shape="x".join(map(str, shape)), spacing="x".join("%.3f" % s for s in sp),
                spacing_requested="%.3f/%.3f" % g["req"],
                capped=";".join(n for n, c, r in zip("ijk", sp, [g["req"][0]] * 2 + [g["req"][1]])
                                if c > r * 1.02) or "none",
                plane=g["plane"], orientation=g["code"] + ("+oblique" if g["tilt"] else ""),
                oblique_deg="%.1f" % g["tilt"], oblique_axis="%.2f/%.2f/%.2f" % tuple(g["tilt_axis"]),
                origin="%.1f/%.1f/%.1f" % tuple(A[:3, 3]), fov_mm="%.0f" % g["fov"],
                z_range_mm="%.0f..%.0f" % g["z"], crop=g["crop"], body_size=ph.size,
                cavity_mm="%.0fx%.0f" % (2 * ph.Ac, 2 * ph.Bc), subcut_fat_mm="%.0f" % ph.fat, phase=ph.phase,
                noise_sd="%.1f" % sd, liver_ml="%.0f" % ((lab == LIVER).sum() * vox),
                kidney_ml="%.0f" % ((lab == KIDNEY).sum() * vox),
                anomalies=";".join(ph.anomalies) or "none")
    return img, lab, A, info


# ---------------------------------------------------------------- checks
def check(out, names):
    """Centroids in patient RAS through the affine; the body centre from the largest connected
    component above -400 HU (the table is separate from the patient)."""
    print("%-12s %-13s %-28s %-28s %-28s %s" % ("case", "orientation", "body centre RAS (mm)",
                                                  "liver centroid RAS", "kidney centroid RAS", "checks"))
    ok_all = True
    for name in names:
        img, a1 = nifti_io.read(os.path.join(out, "imagesTs", name + "_0000.nii.gz"))
        lab, a2 = nifti_io.read(os.path.join(out, "labelsTs", name + ".nii.gz"))
        same = img.shape == lab.shape and np.allclose(a1, a2, atol=1e-5)
        body, n = ndimage.label(img > -400)
        sizes = np.bincount(body.ravel())
        sizes[0] = 0
        big = body == np.argmax(sizes)

        def centre(mask):
            idx = np.argwhere(mask).mean(axis=0)
            return a1[:3, :3] @ idx + a1[:3, 3]
        bc = centre(big)
        res = ["grid ok" if same else "GRID MISMATCH"]
        lc = kc = None
        if (lab == LIVER).any():
            lc = centre(lab == LIVER)
            res.append("liver right" if lc[0] > bc[0] else "LIVER NOT RIGHT")
        if (lab == KIDNEY).any():
            kc = centre(lab == KIDNEY)
            res.append("kidney posterior" if kc[1] < bc[1] else "KIDNEY NOT POSTERIOR")
        ok_all &= same and (lc is None or lc[0] > bc[0]) and (kc is None or kc[1] < bc[1])
        fmt = lambda v: "-" if v is None else "(%7.1f,%7.1f,%7.1f)" % tuple(v)  # noqa: E731
        code = "".join(ch for ch in nifti_axcodes(a1))
        print("%-12s %-13s %-28s %-28s %-28s %s" % (name, code, fmt(bc), fmt(lc), fmt(kc), ", ".join(res)))
    print("all checks passed" if ok_all else "SOME CHECKS FAILED")
    return ok_all


def nifti_axcodes(affine):
    rzs = affine[:3, :3] / np.sqrt((affine[:3, :3] ** 2).sum(axis=0))
    out = []
    for c in range(3):
        a = int(np.argmax(np.abs(rzs[:, c])))
        out.append(("LR", "PA", "IS")[a][int(rzs[a, c] > 0)])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--first", type=int, default=0, help="index of the first case (default 0)")
    ap.add_argument("--check", action="store_true", help="read the files back and check them")
    args = ap.parse_args()
    out = args.output
    os.makedirs(os.path.join(out, "imagesTs"), exist_ok=True)
    os.makedirs(os.path.join(out, "labelsTs"), exist_ok=True)
    rows, names = [], []
    for case in range(args.first, args.first + args.cases):
        t0 = time.time()
        img, lab, affine, info = make_case(args.seed, case)
        name = "foreign_%03d" % case
        nifti_io.write(os.path.join(out, "imagesTs", name + "_0000.nii.gz"), img, affine, np.int16)
        nifti_io.write(os.path.join(out, "labelsTs", name + ".nii.gz"), lab, affine, np.uint8)
        rows.append(dict(case=name, rng_seed=args.seed * 1000 + case, **info))
        names.append(name)
        print("%s %s %s %s %s liver %s mL kidney %s mL  %.1f s" % (
            name, info["shape"], info["orientation"], info["phase"], info["body_size"], info["liver_ml"],
            info["kidney_ml"], time.time() - t0), flush=True)
    with open(os.path.join(out, "dataset.json"), "w") as f:
        json.dump({"channel_names": {"0": "CT"}, "labels": {"background": 0, "liver": 1, "kidney": 2},
                   "numTraining": 0, "file_ending": ".nii.gz",
                   "description": "Foreign synthetic abdominal CT phantoms (scripts/foreign_ct_phantoms.py, an "
                                  "anatomy model independent of the project's own generator), seed %d, cases "
                                  "%d..%d, for testing generalisation" % (args.seed, args.first,
                                                                          args.first + args.cases - 1)},
                  f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "cases.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    if args.check:
        sys.exit(0 if check(out, names) else 1)


if __name__ == "__main__":
    main()
