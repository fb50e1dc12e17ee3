#!/usr/bin/env python3
"""NIfTI fixtures and golden values for io-dicom's tests, made with nibabel (Debian's python3-nibabel 5.0).

Run from the repository root:  /usr/bin/python3 io-dicom/src/test/python/make_nifti_fixtures.py
- copies nibabel's own test images (MIT licence, see resources/nifti/LICENSE-nibabel.txt);
- writes small images with nibabel in every datatype, big endian, scaled, qform-only, NIfTI-2 and
  as a .hdr/.img pair (files written by another tool, not by us);
- records what nibabel reads from each: shape, RAS affine, and voxel values (all of them for small
  files, sums and samples for large ones) in resources/nifti/golden.json.
- checks our own committed output (written_by_medseg.nii.gz, made by NiftiTest) the same way.
Fixed seed: rerunning gives the same files.
"""
import json
import os
import shutil

import nibabel as nib
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "nifti")
NIBABEL_DATA = os.path.join(os.path.dirname(nib.__file__), "tests", "data")
COPIED = ["anatomical.nii", "functional.nii", "example4d.nii.gz", "example_nifti2.nii.gz",
          "reoriented_anat_moved.nii", "standard.nii.gz"]


def written_by_nibabel():
    rng = np.random.default_rng(20261122)
    affine = np.array([[-0.8, 0.1, 0.0, 90.5], [0.05, 0.79, 0.2, -120.25], [0.0, -0.15, 2.5, 33.0], [0, 0, 0, 1]])
    base = rng.integers(0, 200, size=(5, 4, 3)).astype(np.int16)
    files = {}
    for dtype in ["uint8", "int8", "int16", "uint16", "int32", "uint32", "float32", "float64"]:
        img = nib.Nifti1Image(base.astype(dtype), affine)
        img.header.set_data_dtype(dtype)
        files["dtype_%s.nii" % dtype] = img
    scaled = nib.Nifti1Image(base, affine)
    scaled.header.set_data_dtype(np.int16)
    scaled.header.set_slope_inter(0.5, -1024.0)
    files["scaled_int16.nii.gz"] = scaled
    little = nib.Nifti1Image(base.astype(np.float32), affine)
    files["big_endian.nii"] = nib.Nifti1Image(base.astype(">f4"), affine, little.header.as_byteswapped(">"))
    qform_only = nib.Nifti1Image(base.astype(np.uint8), None)
    rotation = np.array([[0, -1, 0], [1, 0, 0], [0, 0, 1]]) @ np.diag([0.7, 0.7, 3.0])
    qaff = np.eye(4)
    qaff[:3, :3] = rotation
    qaff[:3, 3] = [10, -20, 30]
    qform_only.set_qform(qaff, code=1)
    qform_only.set_sform(None, code=0)
    files["qform_only.nii"] = qform_only
    files["nifti2_float.nii"] = nib.Nifti2Image(base.astype(np.float32) / 3, affine)
    files["pair_int16.hdr"] = nib.Nifti1Pair(base, affine)
    four_d = nib.Nifti1Image(rng.normal(size=(4, 3, 2, 2)).astype(np.float32), affine)
    files["four_d.nii.gz"] = four_d
    return files


def describe(path):
    img = nib.load(path)
    data = np.asanyarray(img.dataobj).astype(np.float64)
    flat = data.reshape(-1, order="F")  # x fastest, as io.medseg's Volume
    entry = {"shape": list(data.shape), "affine": img.affine.tolist(),
             "sform_code": int(img.header["sform_code"]), "qform_code": int(img.header["qform_code"]),
             "sum": float(flat.sum()), "sum_sq": float((flat ** 2).sum()), "min": float(flat.min()),
             "max": float(flat.max())}
    if flat.size <= 4096:
        entry["values"] = flat.tolist()
    else:
        idx = np.linspace(0, flat.size - 1, 64).astype(np.int64)
        entry["sample_index"] = idx.tolist()
        entry["sample_values"] = flat[idx].tolist()
    return entry


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    golden = {}
    for name in COPIED:
        shutil.copyfile(os.path.join(NIBABEL_DATA, name), os.path.join(OUT, name))
    for name, img in written_by_nibabel().items():
        nib.save(img, os.path.join(OUT, name))
    for name in sorted(os.listdir(OUT)):
        if name.endswith((".nii", ".nii.gz", ".hdr")):
            golden[name] = describe(os.path.join(OUT, name))
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print("nibabel", nib.__version__, "described", len(golden), "files")
