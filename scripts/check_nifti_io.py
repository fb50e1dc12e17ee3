#!/usr/bin/python3
"""Checks scripts/nifti_io.py against nibabel: reads every NIfTI-1 test file of io-dicom's test
resources and compares shape, affine and voxel sum with the values nibabel gave for the same files
(golden.json, written by nibabel when the files were added), then writes and re-reads one volume.
Exit code 1 on any mismatch. Usage: /usr/bin/python3 scripts/check_nifti_io.py"""
import json
import os
import sys
import tempfile

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import nifti_io  # noqa: E402

folder = os.path.join(here, "..", "io-dicom", "src", "test", "resources", "nifti")
golden = json.load(open(os.path.join(folder, "golden.json")))
failed = 0
for name, want in sorted(golden.items()):
    if name.endswith(".hdr") or "nifti2" in name:
        continue  # NIfTI-2 and .hdr/.img pairs are not needed by the scripts
    data, affine = nifti_io.read(os.path.join(folder, name))
    total = float(data.astype(np.float64).sum())
    ok = (list(data.shape) == want["shape"] and np.allclose(affine, np.array(want["affine"]), atol=1e-4)
          and abs(total - want["sum"]) <= 1e-6 * max(1.0, abs(want["sum"])))
    failed += not ok
    print("%-28s %s  shape %s  sum %.6g (nibabel %.6g)" % (name, "ok" if ok else "MISMATCH", data.shape, total, want["sum"]))
data, affine = nifti_io.read(os.path.join(folder, "reoriented_anat_moved.nii"))
with tempfile.TemporaryDirectory() as tmp:
    nifti_io.write(os.path.join(tmp, "x.nii.gz"), data, affine)
    back, affine_back = nifti_io.read(os.path.join(tmp, "x.nii.gz"))
round_trip = np.array_equal(data, back) and np.abs(affine - affine_back).max() < 1e-4
failed += not round_trip
print("write and read back: %s" % ("ok" if round_trip else "MISMATCH"))
sys.exit(1 if failed else 0)
