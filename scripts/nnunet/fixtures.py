"""Steps of make-fixtures.sh that are Python: synthetic nnU-Net raw datasets, the capped ("Tiny")
plans, test images, predictions with nnU-Net's predictor, intermediate arrays, hostile checkpoints,
the checkpoint determinism check and the manifest.

Run with the fixture venv's python; nnU-Net paths come from the nnUNet_raw / nnUNet_preprocessed /
nnUNet_results environment variables, as for nnU-Net's own commands.
Usage: python fixtures.py STEP [ARGS...]   (see main() at the bottom)
"""
import hashlib
import json
import os
import pickle
import shutil
import sys
import zipfile
from pathlib import Path

import nibabel
import numpy as np
from skimage import io as skio

# ---------------------------------------------------------------------------------------------
# models: (key, dataset, trainer, plans identifier, configuration, folds)
TRAINER = "nnUNetTrainer_Fixture"
MODELS = [
    ("ct3d_plain", "Dataset991_TinyCT", "nnUNetPlansTiny", "3d_fullres", (0, 1)),
    ("ct3d_resenc", "Dataset991_TinyCT", "nnUNetResEncUNetTinyPlans", "3d_fullres", (0, 1)),
    ("tiny2d_plain", "Dataset992_Tiny2D", "nnUNetPlansTiny", "2d", (0, 1)),
    ("ctzfirst3d_plain", "Dataset993_TinyCTZFirst", "nnUNetPlansTiny", "3d_fullres", (0,)),
]
# planner output -> capped copy trained here: (source plans, new identifier)
TINY_PLANS = {
    "Dataset991_TinyCT": [("nnUNetPlans", "nnUNetPlansTiny"),
                          ("nnUNetResEncUNetMPlans", "nnUNetResEncUNetTinyPlans")],
    "Dataset992_Tiny2D": [("nnUNetPlans", "nnUNetPlansTiny")],
    "Dataset993_TinyCTZFirst": [("nnUNetPlans", "nnUNetPlansTiny")],
}
# features per stage of the Tiny plans: the planner's numbers divided by 8, at most 16 ([32, 64, 128, 256]
# becomes [4, 8, 16, 16]). The counts still differ between stages (a channel mix-up cannot go unnoticed)
# and a 3D checkpoint stays under 0.5 MB (weights plus SGD momentum of the same size).
FEATURE_DIVISOR = 8
FEATURE_CAP = 16


def model_dir(results: Path, key: str) -> Path:
    _, ds, plans, cfg, _ = next(m for m in MODELS if m[0] == key)
    return results / ds / f"{TRAINER}__{plans}__{cfg}"


def save_json(obj, path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, sort_keys=False, default=_json_default) + "\n")


def _json_default(o):
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, (tuple, set)):
        return list(o)
    raise TypeError(f"not JSON serialisable: {type(o)}")


# ---------------------------------------------------------------------------------------------
# 3D CT-like phantom, defined in world millimetres so that any grid (spacing, size, axis order)
# samples the same anatomy without resampling artefacts.

def ct_phantom_params(rng):
    return {
        "body": (rng.uniform(28, 32), rng.uniform(20, 23)),  # elliptic cross-section, semi-axes x, y
        "liver": ((rng.uniform(-11, -7), rng.uniform(-3, 3), rng.uniform(-4, 4)),
                  (rng.uniform(12, 15), rng.uniform(10, 13), rng.uniform(18, 24))),
        "kidney": ((rng.uniform(12, 15), rng.uniform(4, 8), rng.uniform(-8, -2)),
                   (rng.uniform(4.5, 6), rng.uniform(6, 8), rng.uniform(9, 12))),
    }


def ct_phantom(params, world_xyz, rng):
    """world_xyz: (..., 3) millimetres (patient frame of the affine). Returns HU-like float image and labels."""
    x, y, z = world_xyz[..., 0], world_xyz[..., 1], world_xyz[..., 2]
    ax, ay = params["body"]
    body = (x / ax) ** 2 + (y / ay) ** 2 <= 1.0

    def ellipsoid(c, r):
        return ((x - c[0]) / r[0]) ** 2 + ((y - c[1]) / r[1]) ** 2 + ((z - c[2]) / r[2]) ** 2 <= 1.0

    liver = ellipsoid(*params["liver"]) & body
    kidney = ellipsoid(*params["kidney"]) & body & ~liver
    hu = np.full(x.shape, -1000.0)
    hu[body] = 40.0
    hu[liver] = 110.0
    hu[kidney] = 210.0
    hu += rng.normal(0, 12.0, x.shape)
    seg = np.zeros(x.shape, np.uint8)
    seg[liver] = 1
    seg[kidney] = 2
    return np.round(hu).astype(np.int16), seg


def grid_world(shape, affine):
    idx = np.stack(np.meshgrid(*[np.arange(n) for n in shape], indexing="ij"), -1).astype(np.float64)
    return idx @ affine[:3, :3].T + affine[:3, 3]


def axial_affine(spacing_xyz, shape):
    """DICOM voxel order (i to patient left, j to posterior, k to superior: nibabel axcodes L, P, S), as a
    DICOM series converted without flipping; centred on the world origin."""
    a = np.diag([-spacing_xyz[0], -spacing_xyz[1], spacing_xyz[2], 1.0])
    centre = (np.array(shape) - 1) / 2.0
    a[:3, 3] = -a[:3, :3] @ centre
    return a


def write_nifti(path: Path, data, affine, dtype):
    path.parent.mkdir(parents=True, exist_ok=True)
    img = nibabel.Nifti1Image(data.astype(dtype), affine)
    img.header.set_xyzt_units("mm", "sec")
    img.set_qform(affine, code=1)
    img.set_sform(affine, code=1)
    nibabel.save(img, str(path))


def make_ct_dataset(raw: Path, name: str, n_cases: int, seed: int, z_first: bool):
    """z_first: store every volume with the thick slice axis as the first array axis (a valid NIfTI
    whose affine maps i to the cranio-caudal axis), as hand-written converters often do. nnU-Net then
    plans transpose_forward [2, 0, 1] instead of the identity."""
    rng = np.random.default_rng(seed)
    root = raw / name
    for c in range(n_cases):
        sxy = rng.uniform(1.4, 1.6)
        sz = rng.uniform(2.75, 3.25)
        shape = (int(rng.integers(44, 53)), int(rng.integers(44, 53)), int(rng.integers(22, 27)))
        params = ct_phantom_params(rng)
        affine = axial_affine((sxy, sxy, sz), shape)
        hu, seg = ct_phantom(params, grid_world(shape, affine), rng)
        if z_first:
            hu, seg, affine = reorient((hu, seg), affine, [[2, 1], [1, 1], [0, 1]])
        write_nifti(root / "imagesTr" / f"case_{c:03d}_0000.nii.gz", hu, affine, np.int16)
        write_nifti(root / "labelsTr" / f"case_{c:03d}.nii.gz", seg, affine, np.uint8)
    save_json({
        "channel_names": {"0": "CT"},
        "labels": {"background": 0, "liver-like": 1, "kidney-like": 2},
        "numTraining": n_cases,
        "file_ending": ".nii.gz",
        # NibabelIO keeps the stored voxel order (no reorientation) and needs no SimpleITK
        "overwrite_image_reader_writer": "NibabelIO",
        "name": name,
        "description": f"synthetic CT-like phantoms for medseg tests (numpy default_rng({seed}))",
    }, root / "dataset.json")


def reorient(arrays, affine, ornt):
    """Same voxels, other storage order; nibabel keeps the affine consistent with the data."""
    out = []
    new_affine = None
    for a in arrays:
        img = nibabel.Nifti1Image(a, affine).as_reoriented(np.array(ornt, dtype=float))
        out.append(np.asarray(img.dataobj))
        new_affine = img.affine
    return (*out, new_affine)


def ct_test_images(out: Path, seed: int, z_first: bool):
    """Three test volumes that differ from training in spacing or storage order (not in anatomy)."""
    rng = np.random.default_rng(seed)
    cases = []
    # 1: like training
    cases.append(("like_training", (1.5, 1.5, 3.0), (48, 48, 24), None))
    # 2: finer spacing, smaller field of view (keeps the files small)
    cases.append(("spacing_1x1x2", (1.0, 1.0, 2.0), (56, 56, 30), None))
    # 3: same grid as 1 but stored with permuted and flipped axes (affine consistent with the data)
    cases.append(("permuted_flipped", (1.5, 1.5, 3.0), (48, 48, 24), [[1, -1], [2, 1], [0, -1]]))
    info = []
    for i, (label, spacing, shape, ornt) in enumerate(cases):
        params = ct_phantom_params(rng)
        affine = axial_affine(spacing, shape)
        hu, seg = ct_phantom(params, grid_world(shape, affine), rng)
        if z_first and ornt is not None:
            label = "axial_storage"  # the z-first dataset's odd one out is the usual axial storage
        elif z_first:
            hu, seg, affine = reorient((hu, seg), affine, [[2, 1], [1, 1], [0, 1]])
        elif ornt is not None:
            hu, seg, affine = reorient((hu, seg), affine, ornt)
        name = f"case_{i:03d}"
        write_nifti(out / "images" / f"{name}_0000.nii.gz", hu, affine, np.int16)
        write_nifti(out / "reference_labels" / f"{name}.nii.gz", seg, affine, np.uint8)
        info.append({"case": name, "what": label, "shape": list(hu.shape),
                     "zooms": [float(v) for v in nibabel.load(str(out / "images" / f"{name}_0000.nii.gz")).header.get_zooms()],
                     "affine": affine.tolist()})
    save_json(info, out / "images.json")


# ---------------------------------------------------------------------------------------------
# 2D: a round field of view on an exactly zero background (like an MR slice or an endoscopy
# frame), so the fingerprint's relative size after cropping is < 3/4 and nnU-Net's planner sets
# use_mask_for_norm for the z-score channel.

def disc_image(rng, shape):
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    cy, cx = h / 2 + rng.uniform(-2, 2), w / 2 + rng.uniform(-2, 2)
    r = min(h, w) * rng.uniform(0.34, 0.4)
    fov = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
    img = 90.0 + rng.normal(0, 10.0, shape)
    seg = np.zeros(shape, np.uint8)
    # label 1: bright disc
    dy, dx = rng.uniform(-0.4, 0.4, 2) * r
    rd = rng.uniform(5, 8)
    disc = ((yy - cy - dy) ** 2 + (xx - cx - dx) ** 2 <= rd * rd) & fov
    # label 2: dark bar, a rotated rectangle
    ang = rng.uniform(0, np.pi)
    by, bx = -dy * 0.8, -dx * 0.8
    u = (xx - cx - bx) * np.cos(ang) + (yy - cy - by) * np.sin(ang)
    v = -(xx - cx - bx) * np.sin(ang) + (yy - cy - by) * np.cos(ang)
    bar = (np.abs(u) <= rng.uniform(8, 12)) & (np.abs(v) <= rng.uniform(2.5, 4)) & fov & ~disc
    img[disc] = 170.0 + rng.normal(0, 10.0, int(disc.sum()))
    img[bar] = 40.0 + rng.normal(0, 8.0, int(bar.sum()))
    seg[disc] = 1
    seg[bar] = 2
    img = np.clip(np.round(img), 1, 255)  # inside the field of view never exactly 0
    img[~fov] = 0
    return img.astype(np.uint8), seg


def make_2d_dataset(raw: Path, name: str, n_cases: int, seed: int):
    rng = np.random.default_rng(seed)
    root = raw / name
    (root / "imagesTr").mkdir(parents=True, exist_ok=True)
    (root / "labelsTr").mkdir(parents=True, exist_ok=True)
    for c in range(n_cases):
        shape = (int(rng.integers(60, 69)), int(rng.integers(60, 69)))
        img, seg = disc_image(rng, shape)
        skio.imsave(str(root / "imagesTr" / f"case_{c:03d}_0000.png"), img, check_contrast=False)
        skio.imsave(str(root / "labelsTr" / f"case_{c:03d}.png"), seg, check_contrast=False)
    save_json({
        # any name nnU-Net does not know maps to ZScoreNormalization (map_channel_name_to_normalization.py)
        "channel_names": {"0": "MRI"},
        "labels": {"background": 0, "bright-disc": 1, "dark-bar": 2},
        "numTraining": n_cases,
        # .png selects NaturalImage2DIO (first in nnU-Net's reader list); no override needed
        "file_ending": ".png",
        "name": name,
        "description": f"synthetic 2D discs on a zero background for medseg tests (numpy default_rng({seed}))",
    }, root / "dataset.json")


def png_test_images(out: Path, seed: int):
    rng = np.random.default_rng(seed)
    (out / "images").mkdir(parents=True, exist_ok=True)
    (out / "reference_labels").mkdir(parents=True, exist_ok=True)
    info = []
    for i, (label, shape, rot) in enumerate([("like_training", (64, 64), False),
                                             ("larger_non_square_80x72", (80, 72), False),
                                             ("rotated90_flipped_56x64", (64, 56), True)]):
        img, seg = disc_image(rng, shape)
        if rot:  # PNG has no orientation metadata: the pixels themselves are rotated and mirrored
            img, seg = np.fliplr(np.rot90(img)), np.fliplr(np.rot90(seg))
        name = f"case_{i:03d}"
        skio.imsave(str(out / "images" / f"{name}_0000.png"), np.ascontiguousarray(img), check_contrast=False)
        skio.imsave(str(out / "reference_labels" / f"{name}.png"), np.ascontiguousarray(seg), check_contrast=False)
        info.append({"case": name, "what": label, "shape_rows_cols": list(img.shape)})
    save_json(info, out / "images.json")


def step_datasets(raw: str):
    raw = Path(raw)
    make_ct_dataset(raw, "Dataset991_TinyCT", 8, seed=991, z_first=False)
    make_2d_dataset(raw, "Dataset992_Tiny2D", 8, seed=992)
    make_ct_dataset(raw, "Dataset993_TinyCTZFirst", 6, seed=993, z_first=True)


def step_test_images(out: str):
    out = Path(out)
    ct_test_images(out / "Dataset991_TinyCT", seed=9910, z_first=False)
    png_test_images(out / "Dataset992_Tiny2D", seed=9920)
    ct_test_images(out / "Dataset993_TinyCTZFirst", seed=9930, z_first=True)


# ---------------------------------------------------------------------------------------------
def tiny_features(features):
    return [max(1, min(FEATURE_CAP, f // FEATURE_DIVISOR)) for f in features]


def step_tiny_plans(preprocessed: str):
    """Copies the planner's plans under a new identifier with fewer features per stage; every other
    choice of the planner (patch, batch, spacing, kernels, strides, blocks, normalisation) is kept."""
    pre = Path(preprocessed)
    for ds, pairs in TINY_PLANS.items():
        for src, dst in pairs:
            plans = json.loads((pre / ds / f"{src}.json").read_text())
            plans["plans_name"] = dst
            for cfg_name, cfg in plans["configurations"].items():
                if "architecture" not in cfg:
                    continue  # inheriting configurations (3d_cascade_fullres) carry no architecture
                kw = cfg["architecture"]["arch_kwargs"]
                kw["features_per_stage"] = tiny_features(kw["features_per_stage"])
                # own preprocessed folder, so the Tiny plans never share data with the planner's plans
                cfg["data_identifier"] = cfg["data_identifier"].replace(src, dst, 1)
            save_json(plans, pre / ds / f"{dst}.json")
            print(f"{ds}: {src} -> {dst}")


def main():
    step, *args = sys.argv[1:]
    steps = {
        "datasets": step_datasets,
        "test-images": step_test_images,
        "tiny-plans": step_tiny_plans,
    }
    steps[step](*args)


if __name__ == "__main__":
    main()
