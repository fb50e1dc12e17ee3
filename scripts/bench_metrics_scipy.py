#!/usr/bin/python3
"""The scipy side of `medseg bench-metrics`: HD95 per label of two raw uint8 label volumes.

Usage: bench_metrics_scipy.py REF.raw PRED.raw NX NY NZ SX SY SZ REPEATS
Prints one JSON line: wall times (s; best of REPEATS for the cropped path, one run of the slow full path) of
  full    MedPy's path (medpy/metric/binary.py __surface_distances): erosion and
          distance_transform_edt over the whole image, per label and direction;
  cropped the same on the labels' bounding box + 1 voxel (MONAI/DeepMind crop first);
and the HD95 (directed maximum, np.percentile) per label from the cropped path.
"""
import json
import sys
import time

import numpy as np
from scipy.ndimage import binary_erosion, distance_transform_edt, generate_binary_structure


def directed(a, b, spacing, footprint):
    sa = a ^ binary_erosion(a, structure=footprint)
    sb = b ^ binary_erosion(b, structure=footprint)
    return distance_transform_edt(~sb, sampling=spacing)[sa]


def hd95(g, p, spacing, crop):
    if crop:
        idx = np.nonzero(g | p)
        box = tuple(slice(max(0, int(i.min()) - 1), int(i.max()) + 2) for i in idx)
        g, p = g[box], p[box]
    footprint = generate_binary_structure(g.ndim, 1)
    return max(np.percentile(directed(p, g, spacing, footprint), 95),
               np.percentile(directed(g, p, spacing, footprint), 95))


def main():
    ref_path, pred_path = sys.argv[1], sys.argv[2]
    nx, ny, nz = (int(v) for v in sys.argv[3:6])
    spacing = tuple(reversed([float(v) for v in sys.argv[6:9]]))  # numpy order (z, y, x)
    repeats = int(sys.argv[9])
    ref = np.fromfile(ref_path, dtype=np.uint8).reshape(nz, ny, nx)
    pred = np.fromfile(pred_path, dtype=np.uint8).reshape(nz, ny, nx)
    labels = [int(l) for l in np.unique(ref) if l != 0]
    out = {"labels": labels}
    for mode in ("full", "cropped"):
        best = float("inf")
        for _ in range(1 if mode == "full" else repeats):  # the whole-image path takes a minute: once is enough
            t = time.perf_counter()
            values = {str(l): float(hd95(ref == l, pred == l, spacing, mode == "cropped")) for l in labels}
            best = min(best, time.perf_counter() - t)
        out[mode + "_s"] = best
        out["hd95"] = values
    print(json.dumps(out))


if __name__ == "__main__":
    main()
