"""Steps of make-fixtures.sh that are Python: synthetic nnU-Net raw datasets, the capped ("Tiny")
plans, test images, predictions with nnU-Net's predictor, intermediate arrays, training cases as nnU-Net's
preprocessor gives them to its trainer, hostile checkpoints,
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
    ("ct3d_lowres", "Dataset991_TinyCT", "nnUNetPlansTinyLowres", "3d_lowres", (0,)),
]
# The planner makes a 3d_lowres configuration only when the 3d_fullres patch covers less than a quarter
# of the median image, which these tiny images never do. nnUNetPlansTinyLowres is nnUNetPlansTiny with
# one added as the planner writes it (default_experiment_planner.plan_experiment): 3d_fullres's settings
# at LOWRES_FACTOR times its spacing (the planner's loop grows every axis alike when none is over twice
# another), batch_dice off, next_stage 3d_cascade_fullres, and the cascade's second stage beside it.
LOWRES_FACTOR = 1.5
# planner output -> capped copy trained here: (source plans, new identifier)
TINY_PLANS = {
    "Dataset991_TinyCT": [("nnUNetPlans", "nnUNetPlansTiny"),
                          ("nnUNetResEncUNetMPlans", "nnUNetResEncUNetTinyPlans")],
    "Dataset992_Tiny2D": [("nnUNetPlans", "nnUNetPlansTiny")],
    "Dataset993_TinyCTZFirst": [("nnUNetPlans", "nnUNetPlansTiny")],
}
# features per stage of the Tiny plans: the planner's numbers divided by 8, at most 16 ([32, 64, 128, 256]
# becomes [4, 8, 16, 16]). The counts still differ between stages (a channel mix-up cannot go unnoticed)
# and a 3D checkpoint stays near 0.5 MB (weights plus SGD momentum of the same size). The residual
# encoder has 1, 3, 4, 6 blocks per stage, so it is capped at 8 ([4, 8, 8, 8]) for the same size.
FEATURE_DIVISOR = 8
FEATURE_CAP = {"nnUNetResEncUNetTinyPlans": 8}
FEATURE_CAP_DEFAULT = 16


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
        "body": (rng.uniform(18, 21), rng.uniform(13, 15)),  # elliptic cross-section, semi-axes x, y
        "liver": ((rng.uniform(-6, -4), rng.uniform(-1.5, 1.5), rng.uniform(-2, 2)),
                  (rng.uniform(8, 9.5), rng.uniform(6.5, 8), rng.uniform(11, 14))),
        "kidney": ((rng.uniform(7, 9), rng.uniform(2.5, 4), rng.uniform(-5, -1.5)),
                   (rng.uniform(4, 5), rng.uniform(5, 6), rng.uniform(7, 9))),
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
        # about 32 x 32 x 16 voxels (48 mm cubed): patch-sized float arrays stay near 0.2 MB
        shape = (int(rng.integers(30, 36)), int(rng.integers(30, 36)), int(rng.integers(14, 19)))
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
    cases.append(("like_training", (1.5, 1.5, 3.0), (32, 32, 16), None))
    # 2: finer spacing, smaller field of view (keeps the files small)
    cases.append(("spacing_1x1x2", (1.0, 1.0, 2.0), (40, 40, 22), None))
    # 3: same grid as 1 but stored with permuted and flipped axes (affine consistent with the data)
    cases.append(("permuted_flipped", (1.5, 1.5, 3.0), (32, 32, 16), [[1, -1], [2, 1], [0, -1]]))
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
def tiny_features(features, plans_name):
    cap = FEATURE_CAP.get(plans_name, FEATURE_CAP_DEFAULT)
    return [max(1, min(cap, f // FEATURE_DIVISOR)) for f in features]


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
                kw["features_per_stage"] = tiny_features(kw["features_per_stage"], dst)
                # own preprocessed folder where the planner named it after its plans (nnUNetPlans_3d_fullres ->
                # nnUNetPlansTiny_3d_fullres); the ResEnc planners name theirs nnUNetPlans_* on purpose (same
                # data as the default plans), and that stays
                cfg["data_identifier"] = cfg["data_identifier"].replace(src, dst, 1)
            save_json(plans, pre / ds / f"{dst}.json")
            print(f"{ds}: {src} -> {dst}")
            if ds == "Dataset991_TinyCT" and dst == "nnUNetPlansTiny":
                lowres = json.loads(json.dumps(plans))
                lowres["plans_name"] = "nnUNetPlansTinyLowres"
                cfgs = lowres["configurations"]
                for cfg in cfgs.values():
                    if "data_identifier" in cfg:
                        cfg["data_identifier"] = cfg["data_identifier"].replace(dst, "nnUNetPlansTinyLowres", 1)
                low = json.loads(json.dumps(cfgs["3d_fullres"]))
                low["spacing"] = [sp * LOWRES_FACTOR for sp in low["spacing"]]
                low["median_image_size_in_voxels"] = [round(m / LOWRES_FACTOR) for m in
                                                      low["median_image_size_in_voxels"]]
                low["data_identifier"] = "nnUNetPlansTinyLowres_3d_lowres"
                low["batch_dice"] = False
                low["next_stage"] = "3d_cascade_fullres"
                cfgs["3d_lowres"] = low
                cfgs["3d_cascade_fullres"] = {"inherits_from": "3d_fullres", "previous_stage": "3d_lowres"}
                save_json(lowres, pre / ds / "nnUNetPlansTinyLowres.json")
                print(f"{ds}: {dst} -> nnUNetPlansTinyLowres (with 3d_lowres)")


# ---------------------------------------------------------------------------------------------
# predictions with nnU-Net's own predictor

def make_predictor(mirror: bool):
    import torch
    from nnunetv2.inference.predict_from_raw_data import nnUNetPredictor
    return nnUNetPredictor(tile_step_size=0.5, use_gaussian=True, use_mirroring=mirror,
                           perform_everything_on_device=False, device=torch.device("cpu"),
                           verbose=False, verbose_preprocessing=False, allow_tqdm=False)


def fold_sets(folds):
    sets = [(f"fold{f}", (f,)) for f in folds]
    if len(folds) > 1:
        sets.append(("folds" + "".join(str(f) for f in folds), tuple(folds)))
    return sets


def step_predict(results: str, test_root: str, out: str):
    results, test_root, out = Path(results), Path(test_root), Path(out)
    for key, ds, _, _, folds in MODELS:
        sets = fold_sets(folds)
        for set_name, use_folds in sets:
            for mirror in (True, False):
                target = out / key / f"{set_name}_{'mirror' if mirror else 'nomirror'}"
                if target.exists():
                    shutil.rmtree(target)
                # probabilities for the ensemble (or the only fold) with mirroring, as nnU-Net exports them
                save_probs = mirror and set_name == sets[-1][0]
                predictor = make_predictor(mirror)
                predictor.initialize_from_trained_model_folder(str(model_dir(results, key)), use_folds=use_folds,
                                                               checkpoint_name="checkpoint_final.pth")
                predictor.predict_from_files(str(test_root / ds / "images"), str(target),
                                             save_probabilities=save_probs, overwrite=True,
                                             num_processes_preprocessing=1, num_processes_segmentation_export=1)
                # the copies of plans/dataset.json are the model's; the args file holds machine paths
                for f in ("plans.json", "dataset.json", "predict_from_raw_data_args.json"):
                    (target / f).unlink(missing_ok=True)
                for pkl in sorted(target.glob("*.pkl")):  # trusted (written just now); kept as JSON instead
                    with open(pkl, "rb") as fh:
                        save_json(properties_to_json(pickle.load(fh)), pkl.with_suffix(".properties.json"))
                    pkl.unlink()
                save_json({"model": key, "folds": list(use_folds), "checkpoint": "checkpoint_final.pth",
                           "use_mirroring": mirror, "tile_step_size": 0.5, "use_gaussian": True,
                           "perform_everything_on_device": False, "device": "cpu",
                           "save_probabilities": save_probs}, target / "predictor_settings.json")
                print(f"predicted {target}")


def properties_to_json(props: dict) -> dict:
    out = {}
    for k, v in props.items():
        if isinstance(v, dict):
            out[k] = properties_to_json(v)
        elif isinstance(v, np.ndarray):
            out[k] = v.tolist()
        elif isinstance(v, (list, tuple)):
            out[k] = [x.tolist() if isinstance(x, np.ndarray) else _plain(x) for x in v]
        else:
            out[k] = _plain(v)
    return out


def _plain(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, (list, tuple)):
        return [_plain(i) for i in x]
    return x


# ---------------------------------------------------------------------------------------------
# intermediate arrays for exact unit tests

def fresh_dir(target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    return target


def fold0_predictor(results: Path, key: str):
    """nnU-Net's predictor on fold 0's final checkpoint, no mirroring."""
    predictor = make_predictor(mirror=False)
    predictor.initialize_from_trained_model_folder(str(model_dir(results, key)), use_folds=(0,),
                                                   checkpoint_name="checkpoint_final.pth")
    return predictor


def step_intermediates(results: str, test_root: str, out: str):
    import torch
    from acvl_utils.cropping_and_padding.padding import pad_nd_image
    from nnunetv2.inference.sliding_window_prediction import compute_gaussian, compute_steps_for_sliding_window

    results, test_root, out = Path(results), Path(test_root), Path(out)
    for key, ds, _, cfg, _ in MODELS:
        target = fresh_dir(out / key)
        predictor = fold0_predictor(results, key)
        pm, cm = predictor.plans_manager, predictor.configuration_manager
        ending = predictor.dataset_json["file_ending"]
        case = "case_000"
        image_files = [str(test_root / ds / "images" / f"{case}_0000{ending}")]

        # the predictor's data iterator runs exactly this (data_iterators.preprocess_fromfiles_save_to_queue)
        preprocessor = cm.preprocessor_class(verbose=False)
        data, _, props = preprocessor.run_case(image_files, None, pm, cm, predictor.dataset_json)
        data = np.ascontiguousarray(data, dtype=np.float32)
        np.save(target / "preprocessed.npy", data)
        save_json(properties_to_json(props), target / "properties.json")

        # first sliding-window patch, cut as predict_sliding_window_return_logits cuts it
        x = torch.from_numpy(data)
        padded, revert = pad_nd_image(x, cm.patch_size, "constant", {"value": 0}, True, None)
        slicers = predictor._internal_get_sliding_window_slicers(padded.shape[1:])
        patch = padded[slicers[0]][None].contiguous()
        net = predictor.network
        net.load_state_dict(predictor.list_of_parameters[0])
        net.eval()
        with torch.no_grad():
            patch_logits = net(patch)
        np.save(target / "patch_input.npy", patch.numpy().astype(np.float32))
        np.save(target / "patch_logits.npy", patch_logits.numpy().astype(np.float32))

        # full sliding-window logits of fold 0 without mirroring, before resampling back; nnU-Net
        # accumulates them in float16 (predicted_logits and n_predictions are torch.half)
        full = predictor.predict_logits_from_preprocessed_data(x)
        full_dtype = str(full.dtype)
        np.save(target / "sliding_window_logits.npy", full.float().numpy())

        gauss = compute_gaussian(tuple(cm.patch_size), sigma_scale=1. / 8, value_scaling_factor=10,
                                 device=torch.device("cpu"))
        # one file per patch size: models with the same patch share it
        gauss_name = "gaussian_" + "x".join(str(i) for i in cm.patch_size) + ".npy"
        np.save(out / gauss_name, gauss.float().numpy())

        steps = compute_steps_for_sliding_window(padded.shape[1:] if len(cm.patch_size) == len(padded.shape[1:])
                                                 else padded.shape[2:], cm.patch_size, 0.5)
        sd = predictor.list_of_parameters[0]
        save_json({"shape": {k: list(v.shape) for k, v in sd.items()}, "dtype": {k: str(v.dtype) for k, v in sd.items()},
                   "order": list(sd.keys())}, target / "state_dict_keys.json")
        save_json({
            "model": key, "dataset": ds, "configuration": cfg, "fold": 0, "checkpoint": "checkpoint_final.pth",
            "test_image": [str(Path(f).relative_to(test_root)) for f in image_files],
            "files": {
                "preprocessed.npy": {"shape": list(data.shape), "dtype": "float32",
                                     "what": "DefaultPreprocessor.run_case output: transpose_forward, crop to nonzero, "
                                             "normalisation, resampling to the plans' spacing (axes after transpose)"},
                "properties.json": "the properties dict run_case returns (pickled by nnU-Net, here JSON)",
                "patch_input.npy": {"shape": list(patch.shape), "dtype": "float32",
                                    "what": "first sliding-window patch (batch axis added) of the preprocessed array "
                                            "after pad_nd_image to at least the patch size"},
                "patch_logits.npy": {"shape": list(patch_logits.shape), "dtype": "float32",
                                     "what": "network(patch_input) in eval mode, fold 0, no mirroring, no gaussian; "
                                             "deep supervision off (only the full-resolution output)"},
                "sliding_window_logits.npy": {"shape": list(full.shape), "dtype": "float32",
                                              "nnunet_dtype": full_dtype,
                                              "what": "predict_logits_from_preprocessed_data: gaussian-weighted sliding "
                                                      "window, tile_step_size 0.5, fold 0, no mirroring, cropped back "
                                                      "to the preprocessed shape; not yet resampled to the image"},
                f"../{gauss_name}": {"shape": list(gauss.shape), "dtype": "float32", "nnunet_dtype": str(gauss.dtype),
                                     "what": "compute_gaussian(patch_size, sigma_scale=1/8, value_scaling_factor=10), "
                                             "the weight of every patch in the sliding window"},
                "state_dict_keys.json": "network_weights of fold 0: key order, shapes, dtypes",
            },
            "padded_shape": list(padded.shape),
            "pad_revert_slicer": [[s.start, s.stop] for s in revert],
            "first_patch_slicer": [None if s == slice(None) else (s if isinstance(s, int) else [s.start, s.stop])
                                   for s in slicers[0]],
            "all_patch_slicers": [[None if s == slice(None) else (s if isinstance(s, int) else [s.start, s.stop])
                                   for s in sl] for sl in slicers],
            "steps_per_axis": steps,
            "patch_size": list(cm.patch_size),
            "transpose_forward": pm.transpose_forward,
            "transpose_backward": pm.transpose_backward,
            "allowed_mirroring_axes": list(predictor.allowed_mirroring_axes or []),
        }, target / "intermediates.json")
        print(f"intermediates {target}")


# ---------------------------------------------------------------------------------------------
# hostile and broken checkpoints; none of them is ever unpickled here

class _OsSystemPayload:
    def __reduce__(self):
        return (os.system, ("touch /tmp/medseg-pwned",))


def torch_like_zip(path: Path, data_pkl: bytes):
    """The layout torch.save writes (stored, not deflated; records under the file's stem), with no tensors."""
    path.parent.mkdir(parents=True, exist_ok=True)
    stem = path.stem
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, payload in ((f"{stem}/data.pkl", data_pkl), (f"{stem}/.format_version", b"1"),
                              (f"{stem}/.storage_alignment", b"64"), (f"{stem}/byteorder", b"little"),
                              (f"{stem}/version", b"3\n"),
                              (f"{stem}/.data/serialization_id", b"0000000000000000000000000000000000000000")):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, payload)


def pickle_globals(data: bytes):
    """Globals a pickle would import, read with pickletools (which never executes anything)."""
    import pickletools
    found = []
    for op, arg, _ in pickletools.genops(data):
        if op.name in ("GLOBAL", "INST"):
            found.append(arg.replace(" ", "."))
    return sorted(set(found))


def checkpoint_globals(pth: Path):
    with zipfile.ZipFile(pth) as z:
        name = next(n for n in z.namelist() if n.endswith("/data.pkl"))
        return pickle_globals(z.read(name))


def copy_model_jsons(src_model: Path, dst: Path):
    dst.mkdir(parents=True, exist_ok=True)
    for f in ("plans.json", "dataset.json", "dataset_fingerprint.json"):
        shutil.copy2(src_model / f, dst / f)


def step_broken(results: str, out: str):
    import torch
    results, out = Path(results), Path(out)
    if out.exists():
        shutil.rmtree(out)
    src_model = model_dir(results, "tiny2d_plain")
    src_ckpt = src_model / "fold_0" / "checkpoint_final.pth"
    info = {}

    # (a) the classic __reduce__ payload; pickle.dumps writes the global as posix.system (os.system's module)
    d = out / "malicious_os_system"
    copy_model_jsons(src_model, d)
    payload = pickle.dumps(_OsSystemPayload(), protocol=2)
    torch_like_zip(d / "fold_0" / "checkpoint_final.pth", payload)
    info["malicious_os_system"] = {
        "file": "malicious_os_system/fold_0/checkpoint_final.pth",
        "what": "torch.save zip layout whose data.pkl is pickle.dumps(obj) with obj.__reduce__ returning "
                "(os.system, ('touch /tmp/medseg-pwned',)); loading it with a full unpickler runs the command",
        "pickle_globals": pickle_globals(payload)}

    # (a2) the same payload nested where a loader looks after the state dict
    d = out / "malicious_nested"
    copy_model_jsons(src_model, d)
    payload = pickle.dumps({"network_weights": {}, "trainer_name": TRAINER, "init_args": _OsSystemPayload()},
                           protocol=2)
    torch_like_zip(d / "fold_0" / "checkpoint_final.pth", payload)
    info["malicious_nested"] = {
        "file": "malicious_nested/fold_0/checkpoint_final.pth",
        "what": "a checkpoint-like dict whose init_args value is the os.system payload",
        "pickle_globals": pickle_globals(payload)}

    # (b) truncated copy of a real checkpoint
    d = out / "truncated"
    copy_model_jsons(src_model, d)
    raw = src_ckpt.read_bytes()
    (d / "fold_0").mkdir(parents=True, exist_ok=True)
    (d / "fold_0" / "checkpoint_final.pth").write_bytes(raw[: int(len(raw) * 0.6)])
    info["truncated"] = {"file": "truncated/fold_0/checkpoint_final.pth",
                         "what": f"first 60% ({int(len(raw) * 0.6)} of {len(raw)} bytes) of tiny2d_plain fold_0 "
                                 "checkpoint_final.pth (zip central directory missing)"}

    # (c) one tensor that does not fit the plans: the first convolution expects 2 input channels
    d = out / "shape_mismatch"
    copy_model_jsons(src_model, d)
    ckpt = torch.load(src_ckpt, map_location="cpu", weights_only=False)  # our own file, trusted
    sd = ckpt["network_weights"]
    key = "encoder.stages.0.0.convs.0.conv.weight"
    alias = "encoder.stages.0.0.convs.0.all_modules.0.weight"  # the same parameter, registered twice
    old_shape = list(sd[key].shape)
    g = torch.Generator().manual_seed(7)
    new = torch.randn((old_shape[0], 2, *old_shape[2:]), generator=g)
    sd[key] = new
    sd[alias] = new
    (d / "fold_0").mkdir(parents=True, exist_ok=True)
    torch.save(ckpt, d / "fold_0" / "checkpoint_final.pth")
    info["shape_mismatch"] = {"file": "shape_mismatch/fold_0/checkpoint_final.pth",
                              "what": f"tiny2d_plain fold_0 checkpoint_final.pth with {key} (and its alias {alias}) "
                                      f"replaced: shape {old_shape} -> {list(new.shape)}, as if trained with 2 input "
                                      "channels; plans.json/dataset.json are the model's (1 channel)"}
    save_json(info, out / "broken.json")
    assert not Path("/tmp/medseg-pwned").exists(), "something unpickled the payload"


# ---------------------------------------------------------------------------------------------
# determinism: two trainings into two result roots, tensors compared (not zip bytes)

def _flatten(obj, prefix=""):
    import torch
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _flatten(v, f"{prefix}/{k}")
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from _flatten(v, f"{prefix}[{i}]")
    else:
        yield prefix, obj


def step_compare(results_a: str, results_b: str, out_json: str):
    import torch
    results_a, results_b = Path(results_a), Path(results_b)
    report = {"compared": [], "all_tensors_bit_identical": True}
    for pth_b in sorted(results_b.rglob("checkpoint_*.pth")):
        rel = pth_b.relative_to(results_b)
        pth_a = results_a / rel
        a = torch.load(pth_a, map_location="cpu", weights_only=False)  # own files
        b = torch.load(pth_b, map_location="cpu", weights_only=False)
        fa, fb = dict(_flatten(a)), dict(_flatten(b))
        n_t, diff_t, diff_other = 0, [], []
        for k in sorted(set(fa) | set(fb)):
            va, vb = fa.get(k), fb.get(k)
            if isinstance(va, torch.Tensor) or isinstance(vb, torch.Tensor):
                n_t += 1
                same = (isinstance(va, torch.Tensor) and isinstance(vb, torch.Tensor) and va.dtype == vb.dtype
                        and va.shape == vb.shape and torch.equal(va, vb))
                if not same:
                    diff_t.append(k)
            elif "timestamps" in k:
                continue  # wall-clock times in the logger differ by nature
            else:
                same = (np.array_equal(va, vb) if isinstance(va, np.ndarray) else va == vb)
                if not same:
                    diff_other.append(k)
        entry = {"checkpoint": str(rel), "tensors": n_t, "tensors_differing": diff_t,
                 "non_tensor_values_differing_except_timestamps": diff_other}
        if diff_t:
            report["all_tensors_bit_identical"] = False
            diffs = [float((fa[k].double() - fb[k].double()).abs().max()) for k in diff_t
                     if isinstance(fa.get(k), torch.Tensor) and isinstance(fb.get(k), torch.Tensor)
                     and fa[k].shape == fb[k].shape]
            entry["max_abs_diff"] = max(diffs, default=None)
        report["compared"].append(entry)
        print(f"{rel}: {n_t} tensors, {len(diff_t)} differ, other differing: {diff_other}")
    save_json(report, Path(out_json))


# ---------------------------------------------------------------------------------------------
def step_manifest(out: str, versions_json: str):
    out = Path(out)
    files = {}
    for f in sorted(out.rglob("*")):
        if f.is_file() and f.name != "manifest.json":
            files[str(f.relative_to(out))] = {"bytes": f.stat().st_size,
                                              "sha256": hashlib.sha256(f.read_bytes()).hexdigest()}
    globals_ = {}
    for pth in sorted((out / "nnUNet_results").rglob("*.pth")):
        globals_[str(pth.relative_to(out))] = checkpoint_globals(pth)
    manifest = json.loads(Path(versions_json).read_text())
    manifest.update({
        "models": [{"key": k, "dataset": d, "trainer": TRAINER, "plans": p, "configuration": c, "folds": list(f),
                    "folder": f"nnUNet_results/{d}/{TRAINER}__{p}__{c}"} for k, d, p, c, f in MODELS],
        "checkpoint_pickle_globals": globals_,
        "files": files,
    })
    save_json(manifest, out / "manifest.json")


def step_training_cases(results: str, test_root: str, out: str):
    """Each test image with its reference labels through nnU-Net's preprocessor as its trainer gets
    them (run_case with a segmentation): data (float32) and seg (int8, -1 outside the non-zero region)."""
    results, test_root, out = Path(results), Path(test_root), Path(out)
    for key, ds, _, cfg, _ in MODELS:
        if key in ("ct3d_resenc", "ct3d_lowres"):
            continue  # ResEnc: ct3d_plain's preprocessing; lowres: the same code at another spacing
        target = fresh_dir(out / key)
        predictor = fold0_predictor(results, key)
        pm, cm = predictor.plans_manager, predictor.configuration_manager
        ending = predictor.dataset_json["file_ending"]
        for case in ("case_000", "case_001", "case_002"):
            image_files = [str(test_root / ds / "images" / f"{case}_0000{ending}")]
            seg_file = str(test_root / ds / "reference_labels" / f"{case}{ending}")
            preprocessor = cm.preprocessor_class(verbose=False)
            data, seg, _ = preprocessor.run_case(image_files, seg_file, pm, cm, predictor.dataset_json)
            np.save(target / f"{case}_data.npy", np.ascontiguousarray(data, dtype=np.float32))
            np.save(target / f"{case}_seg.npy", np.ascontiguousarray(seg, dtype=np.int8))


def main():
    step, *args = sys.argv[1:]
    steps = {
        "datasets": step_datasets,
        "test-images": step_test_images,
        "tiny-plans": step_tiny_plans,
        "predict": step_predict,
        "intermediates": step_intermediates,
        "broken": step_broken,
        "training-cases": step_training_cases,
        "compare": step_compare,
        "manifest": step_manifest,
    }
    steps[step](*args)


if __name__ == "__main__":
    main()
