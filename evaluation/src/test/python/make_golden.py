#!/usr/bin/python3
"""Golden surface-distance and overlap metrics computed with scipy, for SurfaceGoldenTest.

The definitions are MedPy's (medpy/metric/binary.py, __surface_distances: surface = mask XOR
binary_erosion(mask, connectivity-1 structure), distances from scipy's distance_transform_edt with
sampling = spacing) and MONAI's directed-max HD95 (np.percentile per direction, then max); MedPy's
own pooled hd95 is recorded too. Run with Debian's python3-scipy:

    /usr/bin/python3 evaluation/src/test/python/make_golden.py \
        > evaluation/src/test/resources/io/medseg/evaluation/golden_scipy.json

Masks are stored x fastest (numpy C order of a (z, y, x) array), zlib-compressed, base64.
"""
import base64
import json
import sys
import zlib

import numpy as np
import scipy
from scipy.ndimage import binary_dilation, binary_erosion, distance_transform_edt, generate_binary_structure

TOLERANCE_MM = {1: 1.0, 2: 2.5}


def ellipsoids(rng, shape, spacing, count, scale):
    grids = np.meshgrid(*[np.arange(n) * s for n, s in zip(shape, spacing)], indexing="ij")
    out = np.zeros(shape, dtype=bool)
    extent = [n * s for n, s in zip(shape, spacing)]
    for _ in range(count):
        centre = [rng.uniform(0.25, 0.75) * e for e in extent]
        radii = [rng.uniform(0.4, 1.0) * scale * e for e in extent]
        out |= sum(((g - c) / r) ** 2 for g, c, r in zip(grids, centre, radii)) <= 1
    return out


def perturb(rng, mask):
    """Flip a random fraction of the voxels next to the boundary, and shift by up to one voxel."""
    edge = mask ^ binary_erosion(mask)
    flips = edge & (rng.random(mask.shape) < 0.3)
    out = mask & ~flips
    grow = binary_dilation(mask) & ~mask
    out |= grow & (rng.random(mask.shape) < 0.3)
    axis = int(rng.integers(mask.ndim))
    step = int(rng.integers(-1, 2))
    shifted = np.roll(out, step, axis=axis)
    wrapped = [slice(None)] * mask.ndim
    wrapped[axis] = slice(0, 1) if step == 1 else slice(-1, None)
    if step != 0:
        shifted[tuple(wrapped)] = False  # a shift, not a rotation: nothing wraps around
    return shifted


def surface_distances(a, b, spacing):
    """Distances from the surface voxels of a to the surface of b (MedPy's __surface_distances)."""
    footprint = generate_binary_structure(a.ndim, 1)
    sa = a ^ binary_erosion(a, structure=footprint, iterations=1)
    sb = b ^ binary_erosion(b, structure=footprint, iterations=1)
    return distance_transform_edt(~sb, sampling=spacing)[sa]


def label_metrics(g, p, spacing, tau):
    tp = int(np.sum(g & p)); fp = int(np.sum(~g & p)); fn = int(np.sum(g & ~p))
    m = {"TP": tp, "FP": fp, "FN": fn, "TN": int(g.size - tp - fp - fn)}
    if not g.any() or not p.any():
        return m
    d_pg = surface_distances(p, g, spacing)
    d_gp = surface_distances(g, p, spacing)
    m.update({
        "dice": 2 * tp / (2 * tp + fp + fn),
        "iou": tp / (tp + fp + fn),
        "hd": float(max(d_pg.max(), d_gp.max())),
        "hd95": float(max(np.percentile(d_pg, 95), np.percentile(d_gp, 95))),
        "hd95_pooled": float(np.percentile(np.hstack((d_pg, d_gp)), 95)),
        "assd": float((d_pg.sum() + d_gp.sum()) / (d_pg.size + d_gp.size)),
        "masd": float((d_pg.mean() + d_gp.mean()) / 2),
        "asd_pred_to_ref": float(d_pg.mean()),
        "asd_ref_to_pred": float(d_gp.mean()),
        "nsd": float((np.sum(d_pg <= tau) + np.sum(d_gp <= tau)) / (d_pg.size + d_gp.size)),
    })
    return m


def encode(labels):
    return base64.b64encode(zlib.compress(labels.astype(np.uint8).tobytes(), 9)).decode("ascii")


def main():
    rng = np.random.default_rng(20150518)
    cases = []
    for index in range(12):
        ndim = 2 if index < 5 else 3
        shape_xyz = [int(rng.integers(30, 70)), int(rng.integers(30, 70))] if ndim == 2 \
            else [int(rng.integers(16, 34)) for _ in range(3)]
        spacing_xyz = [round(float(rng.uniform(0.3, 3.0)), 3) for _ in range(ndim)]
        shape = tuple(reversed(shape_xyz))  # numpy (z, y, x)
        spacing = tuple(reversed(spacing_xyz))
        ref = np.zeros(shape, dtype=np.uint8)
        ref[ellipsoids(rng, shape, spacing, 2, 0.25)] = 1
        ref[ellipsoids(rng, shape, spacing, 1, 0.15)] = 2
        pred = np.zeros(shape, dtype=np.uint8)
        for label in (1, 2):
            pred[perturb(rng, ref == label)] = label
        if index == 4:
            pred[pred == 2] = 0  # a missed structure: infinite distances
        labels = {str(l): label_metrics(ref == l, pred == l, spacing, TOLERANCE_MM[l]) for l in (1, 2)}
        cases.append({"id": f"case{index:02d}", "size_xyz": shape_xyz, "spacing_xyz": spacing_xyz,
                      "reference": encode(ref), "prediction": encode(pred), "labels": labels})
    json.dump({"generator": "evaluation/src/test/python/make_golden.py", "scipy": scipy.__version__,
               "numpy": np.__version__, "nsd_tolerance_mm": TOLERANCE_MM, "cases": cases},
              sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
