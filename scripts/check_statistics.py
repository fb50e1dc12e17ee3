#!/usr/bin/env python3
"""Recomputes medseg's organ statistics with numpy and scipy and compares them with its
statistics.csv: counts and components exactly, volumes, areas, intensities and coordinates to 1e-6
relative (1e-6 mm absolute near 0).

Each case is IMAGE MASK: a NIfTI scan and NIfTI mask read with nibabel (intensities with the file's
scaling, coordinates LPS = diag(-1, -1, 1) x nibabel's RAS affine, of voxel centres), or a PNG
image and mask read with Pillow (unit spacing, identity geometry, as medseg reads plain images). Per
label: numpy's count, mean, std (ddof=0), min, max, percentile (linear) 50/5/95; scipy.ndimage.label
with its default (face) connectivity; border = a voxel on index 0 or n-1 of an axis.

Usage: check_statistics.py STATISTICS_CSV CASE IMAGE MASK [CASE IMAGE MASK ...]
Needs: apt-get install -y python3-numpy python3-scipy python3-nibabel python3-pil
"""
import csv
import sys

import numpy as np
from scipy import ndimage


def load(image_path, mask_path):
    if image_path.endswith(".png"):
        from PIL import Image
        image = np.asarray(Image.open(image_path).convert("L"), dtype=np.float64).T  # x, y
        mask = np.asarray(Image.open(mask_path), dtype=np.uint8).T
        return image, mask, np.eye(3)  # 2D: homogeneous x, y
    import nibabel as nib
    img = nib.load(image_path)
    image = np.asarray(img.get_fdata(dtype=np.float64))
    if image.ndim == 4:
        image = image[..., 0]
    mask = np.asarray(nib.load(mask_path).dataobj).astype(np.uint8)
    lps = np.diag([-1.0, -1.0, 1.0, 1.0]) @ img.affine
    return image, mask, lps


def reference(image, mask, affine):
    out = {}
    dims = mask.ndim
    spacing = np.linalg.norm(affine[:dims, :dims], axis=0)
    for label in np.unique(mask):
        if label == 0:
            continue
        on = mask == label
        values = image[on]
        index = np.argwhere(on).astype(np.float64)  # (n, dims), axis order x, y[, z]
        coords = index @ affine[:dims, :dims].T + affine[:dims, dims]
        _, n_components = ndimage.label(on)
        border = any(np.any(on.take(0, axis=a)) or np.any(on.take(-1, axis=a)) for a in range(dims))
        size = float(np.prod(spacing))
        out[int(label)] = {
            "voxels": int(on.sum()),
            "volume_ml": on.sum() * size / 1000 if dims == 3 else None,
            "area_mm2": on.sum() * size if dims == 2 else None,
            "mean": values.mean(), "std": values.std(), "min": values.min(), "max": values.max(),
            "median": np.percentile(values, 50), "p5": np.percentile(values, 5), "p95": np.percentile(values, 95),
            "box_min": coords.min(axis=0), "box_max": coords.max(axis=0), "centroid": coords.mean(axis=0),
            "components": int(n_components), "touches_border": bool(border),
        }
    return out


def close(ours, theirs):
    return abs(ours - theirs) <= 1e-6 * max(abs(theirs), 1.0)


def main(argv):
    if len(argv) < 4 or (len(argv) - 1) % 3:
        sys.exit(__doc__)
    rows = {}
    with open(argv[0]) as f:
        for row in csv.DictReader(f):
            rows[(row["case"], int(row["label"]))] = row
    problems = 0
    compared = 0
    for i in range(1, len(argv), 3):
        case, image_path, mask_path = argv[i:i + 3]
        image, mask, affine = load(image_path, mask_path)
        for label, ref in reference(image, mask, affine).items():
            row = rows.get((case, label))
            if row is None:
                print("MISSING %s label %d" % (case, label))
                problems += 1
                continue
            checks = [("voxels", int(row["voxels"]) == ref["voxels"]),
                      ("components", int(row["components"]) == ref["components"]),
                      ("touches_border", (row["touches_border"] == "true") == ref["touches_border"])]
            for key in ("volume_ml", "area_mm2", "mean", "std", "min", "max", "median", "p5", "p95"):
                if ref[key] is None:
                    checks.append((key, row[key] == ""))
                else:
                    checks.append((key, close(float(row[key]), float(ref[key]))))
            for key, names in (("box_min", "box_min_%s"), ("box_max", "box_max_%s"), ("centroid", "centroid_%s")):
                for axis, value in zip("lps", ref[key]):
                    checks.append((names % axis, close(float(row[names % axis]), float(value))))
            bad = [k for k, ok in checks if not ok]
            compared += len(checks)
            if bad:
                problems += 1
                print("DIFFER %s label %d: %s" % (case, label, ", ".join(
                    "%s ours %s numpy %s" % (k, row.get(k), ref.get(k, "(coordinate)")) for k in bad)))
            else:
                print("same %s label %d: %d voxels, %d components" % (case, label, ref["voxels"], ref["components"]))
    print("compared %d values, %d label(s) differ" % (compared, problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
