"""A model folder of nnU-Net's default 3d_fullres topology for scripts/nnunet/bench-nnunet.sh, and the
CT it is timed on. The plans are nnU-Net's own: its fingerprint extractor and default planner run on
two synthetic abdominal CTs of 512x512x300 at 0.8x0.8x2.5 mm; the weights are seeded random ones
(timing and memory do not depend on them), saved as nnU-Net's trainer saves a checkpoint.

Usage: python bench_model.py WORK_DIR   (writes WORK_DIR/nnUNet_results/... and WORK_DIR/ct/ct_0000.nii.gz)"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nibabel as nib
import numpy as np

work = Path(sys.argv[1]).resolve()
raw, pre, res = work / "nnUNet_raw", work / "nnUNet_preprocessed", work / "nnUNet_results"
ds = "Dataset995_BenchCT"
env = dict(os.environ, nnUNet_raw=str(raw), nnUNet_preprocessed=str(pre), nnUNet_results=str(res))


def ct(seed, shape=(512, 512, 300), spacing=(0.8, 0.8, 2.5)):
    rng = np.random.default_rng(seed)
    x, y = np.meshgrid(np.arange(shape[0]) - shape[0] / 2, np.arange(shape[1]) - shape[1] / 2, indexing="ij")
    body = (x / 200) ** 2 + (y / 150) ** 2 < 1
    liver = ((x + 60) / 80) ** 2 + ((y - 20) / 60) ** 2 < 1
    image = np.full(shape, -1000, np.int16)
    labels = np.zeros(shape, np.uint8)
    for z in range(shape[2]):
        inside = body & (abs(z - 150) < 140)
        image[..., z] = np.where(inside, 40, -1000) + rng.normal(0, 15, shape[:2]).astype(np.int16)
        if abs(z - 150) < 60:
            image[..., z] = np.where(liver, 60, image[..., z])
            labels[..., z] = liver
    affine = np.diag([-spacing[0], -spacing[1], spacing[2], 1.0])
    return nib.Nifti1Image(image, affine), nib.Nifti1Image(labels, affine)


for d in ("imagesTr", "labelsTr"):
    (raw / ds / d).mkdir(parents=True, exist_ok=True)
for i in range(2):
    image, labels = ct(i)
    nib.save(image, raw / ds / "imagesTr" / f"ct_{i:03d}_0000.nii.gz")
    nib.save(labels, raw / ds / "labelsTr" / f"ct_{i:03d}.nii.gz")
(raw / ds / "dataset.json").write_text(json.dumps({"channel_names": {"0": "CT"}, "labels": {"background": 0, "liver": 1},
                                                    "numTraining": 2, "file_ending": ".nii.gz",
                                                    "overwrite_image_reader_writer": "NibabelIO"}))
subprocess.run(["nnUNetv2_extract_fingerprint", "-d", "995", "-np", "1"], env=env, check=True)
subprocess.run(["nnUNetv2_plan_experiment", "-d", "995"], env=env, check=True)

import pydoc  # noqa: E402
import torch  # noqa: E402
from nnunetv2.utilities.get_network_from_plans import get_network_from_plans  # noqa: E402

plans = json.loads((pre / ds / "nnUNetPlans.json").read_text())
cfg = plans["configurations"]["3d_fullres"]
arch = cfg["architecture"]
torch.manual_seed(0)
net = get_network_from_plans(arch["network_class_name"], arch["arch_kwargs"], arch["_kw_requires_import"], 1, 2,
                             allow_init=True, deep_supervision=False)
model = res / ds / "nnUNetTrainer__nnUNetPlans__3d_fullres"
(model / "fold_0").mkdir(parents=True, exist_ok=True)
torch.save({"network_weights": net.state_dict(), "init_args": {"configuration": "3d_fullres", "fold": 0},
            "trainer_name": "nnUNetTrainer", "inference_allowed_mirroring_axes": (0, 1, 2), "current_epoch": 1000},
           model / "fold_0" / "checkpoint_final.pth")
shutil.copy(pre / ds / "nnUNetPlans.json", model / "plans.json")
shutil.copy(raw / ds / "dataset.json", model / "dataset.json")
(work / "ct").mkdir(exist_ok=True)
shutil.copy(raw / ds / "imagesTr" / "ct_000_0000.nii.gz", work / "ct" / "ct_0000.nii.gz")
print(json.dumps({"patch_size": cfg["patch_size"], "spacing": cfg["spacing"], "features": arch["arch_kwargs"]["features_per_stage"],
                  "parameters": sum(p.numel() for p in net.parameters())}))
