#!/usr/bin/python3
"""PyTorch reference pipeline for medseg's 3D CT U-Net (liver, kidney): the same network, data,
pre-processing, patch sampling, augmentation, loss, optimiser, schedule and step budget as
`medseg train --arch unet3d`, so that both can be scored on the same independent CT phantoms.

Every default comes from a medseg bundle's model.json (--bundle, default the committed
sample-scans/models/abdomen-ct-unet3d/model.json); each can be overridden by a flag.

  train    --data DATASET --output PREFIX [--threads 2] [--epochs 24 --steps-per-epoch 50 ...]
           DATASET in nnU-Net v2 layout (imagesTr/NAME_0000.nii.gz, labelsTr/NAME.nii.gz).
           Writes PREFIX.pt (best-validation state_dict), PREFIX.last.pt (final weights),
           PREFIX.json (every setting, the CT intensity numbers, history, state),
           PREFIX.history.csv and PREFIX.log; each written to a temporary name and renamed.
  segment  --model PREFIX --input DIR|FILE --output DIR [--weights best|last] [--overlap 0.5]
           DIR/X_0000.nii.gz -> OUTPUT/X.nii.gz (uint8, the input's own shape and affine).
  check    the self-checks: parameter count against the bundle (and its parameters.params),
           resampling round trip of a label map, reorientation round trip.
  bench    seconds per training step (forward, backward, AdamW) on real patches.

Pipeline (medseg's, see docs/3d.md "3D: V-Net, nnU-Net's U-Net, CT pre-processing"):
 * voxel order: every scan is permuted/flipped exactly (no interpolation) into the order closest
   to patient LPS (greedy largest direction cosine, as medseg's Reorientation); tensor (z, y, x).
 * CT normalisation (nnU-Net): foreground (label > 0) HU of all imagesTr cases, up to 10,000
   seeded samples per case; clip to their 0.5th/99.5th percentiles, z-score with their mean and
   std; padding and augmentation fill with the normalised clip low end (air).
 * resampling to the target spacing: output size round(n * spacing / target), half-voxel mapping
   (F.interpolate align_corners=False == scipy zoom(grid_mode=True)): the first and last voxel
   edges coincide, the physical extent is kept. Image trilinear; labels: each label's indicator
   trilinear, voxels >= 0.5 get the label, higher labels last (nnU-Net's resize_segmentation).
 * patches: a third (foregroundFraction) centred on a random voxel of a label drawn uniformly from
   those present in the case, the rest anywhere; crop + augmentation in one grid_sample around the
   centre (flip, rotation about every axis pair, scaling, shift, elastic), outside = air/background;
   then Gaussian blur, then contrast, brightness, gamma (on the range-rescaled patch), noise.
 * loss soft Dice (batch Dice, foreground classes, eps 1e-5, 1 - mean) + cross-entropy; AdamW,
   poly lr = lr0 * (1 - step/total)^0.9; He-normal weights (DJL's Xavier GAUSSIAN/IN/2), zero biases.
 * validation: whole held-out cases on the resampled grid, sliding window (overlap 0.25 as medseg),
   mean foreground Dice per case; the best epoch's weights are PREFIX.pt.
 * inference: sliding window (overlap 0.5), Gaussian importance (sigma = tile/8), tiles softmaxed
   and blended (medseg's order; --blend logits for nnU-Net v2's), probabilities resampled back to
   the scan's grid before the argmax (separably, in slabs), mask put back in the file's order.

Needs Debian's /usr/bin/python3 with python3-torch 1.13 and numpy; nifti_io.py, torch_networks.py.
"""
import argparse
import ctypes
import csv
import datetime
import glob
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import nifti_io  # noqa: E402
from torch_networks import plain_unet, trainable  # noqa: E402

DEFAULT_BUNDLE = os.path.normpath(os.path.join(HERE, "..", "sample-scans", "models", "abdomen-ct-unet3d",
                                               "model.json"))
SAMPLES_PER_CASE = 10_000  # medseg's ForegroundIntensities, nnU-Net's fingerprint


# ----------------------------------------------------------------------------------------------
# settings


def parse_size(text, n=3):
    parts = [p for p in text.lower().replace(",", "x").split("x") if p]
    if len(parts) != n:
        raise argparse.ArgumentTypeError("expected %d numbers separated by x, got %r" % (n, text))
    return parts


def int_triple(text):
    return [int(p) for p in parse_size(text)]


def float_triple(text):
    return [float(p) for p in parse_size(text)]


def settings_from(bundle_path, args):
    """medseg's bundle settings, overridden by the flags that were given."""
    with open(bundle_path) as f:
        b = json.load(f)
    a = b["arguments"]
    t = b["training"]
    aug = dict(t["augmentation"])

    def pick(flag, default):
        v = getattr(args, flag, None)
        return default if v is None else v

    s = {
        "format": "pytorch-reference-ct/1",
        "bundle": os.path.abspath(bundle_path),
        "network": {"kernels": a["kernels"], "strides": a["strides"], "baseFilters": pick("base_filters", a["baseFilters"]),
                    "maxFilters": pick("max_filters", a["maxFilters"]), "encoderConvs": a["encoderConvs"],
                    "decoderConvs": a["decoderConvs"], "norm": a["norm"], "activation": a["activation"]},
        "inputChannels": b.get("inputChannels", 1),
        "labels": {int(k): v for k, v in b["labels"].items()},
        "patchSize": pick("patch", list(t.get("patchSize", b["patchSize"]))),  # tensor order z, y, x
        "spacingMm": pick("spacing", list(b["spacingMm"])),  # x, y, z
        "training": {
            "epochs": pick("epochs", t["epochs"]),
            "stepsPerEpoch": pick("steps_per_epoch", t["iterationsPerEpoch"]),
            "batchSize": pick("batch", t["batchSize"]),
            "learningRate": pick("lr", t["learningRate"]),
            "weightDecay": pick("weight_decay", t["weightDecay"]),
            "optimizer": "ADAMW", "schedule": "POLY(0.9)", "loss": "DICE_CE",
            "dice": pick("dice", "batch"),
            "foregroundFraction": pick("foreground_fraction", t["foregroundFraction"]),
            "seed": pick("seed", t["seed"]),
            "validationEvery": pick("validation_every", 10),
            "validationOverlap": pick("validation_overlap", 0.25),
            "intensityStats": pick("intensity_stats", "raw"),
        },
        "augmentation": aug,
    }
    if t["optimizer"] != "ADAMW" or t["schedule"] != "POLY" or t["loss"] != "DICE_CE":
        print("note: the bundle trained with %s/%s/%s; this script always uses AdamW/poly/Dice+CE"
              % (t["optimizer"], t["schedule"], t["loss"]), file=sys.stderr)
    aug["enabled"] = bool(aug.get("enabled", True)) and not getattr(args, "no_augmentation", False)
    if getattr(args, "no_elastic", False):
        aug["elasticProbability"] = 0.0
    if getattr(args, "no_blur", False):
        aug["blurProbability"] = 0.0
    return s


def build_network(s):
    n = s["network"]
    classes = len(s["labels"])
    return plain_unet(s["inputChannels"], classes, n["kernels"], n["strides"], n["baseFilters"], n["maxFilters"],
                      n["encoderConvs"], n["decoderConvs"], n["norm"], n["activation"])


def init_weights(net):
    """DJL's XavierInitializer(GAUSSIAN, IN, 2) as medseg's TrainingLoop: N(0, 2 / fan_in) weights,
    zero biases; instance norm scale 1, shift 0 (PyTorch's default)."""
    for m in net.modules():
        if isinstance(m, (nn.Conv3d, nn.ConvTranspose3d, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")  # fan_in = size(1)*k^3
            if m.bias is not None:
                nn.init.zeros_(m.bias)


def check_patch(s):
    strides = s["network"]["strides"]
    for axis, p in enumerate(s["patchSize"]):
        prod = 1
        for st in strides:
            prod *= st[axis]
        if p % prod:
            raise SystemExit("patch %s: axis %d (%d) must be a multiple of %d (the product of the strides)"
                             % ("x".join(map(str, s["patchSize"])), axis, p, prod))


# ----------------------------------------------------------------------------------------------
# voxel order


def lps_orientation(affine):
    """(source_axis, flipped): canonical axis k is stored axis source_axis[k], reversed when
    flipped[k]; canonical axis k runs along +LPS axis k. Greedy on the largest |direction cosine|."""
    lps = np.diag([-1.0, -1.0, 1.0]) @ np.asarray(affine, dtype=np.float64)[:3, :3]
    d = lps / np.linalg.norm(lps, axis=0, keepdims=True)
    src = [0, 0, 0]
    flip = [False, False, False]
    rows, cols = set(), set()
    for _ in range(3):
        best = None
        for r in range(3):
            for c in range(3):
                if r in rows or c in cols:
                    continue
                if best is None or abs(d[r, c]) > abs(d[best[0], best[1]]):
                    best = (r, c)
        r, c = best
        rows.add(r)
        cols.add(c)
        src[r] = c
        flip[r] = bool(d[r, c] < 0)
    return src, flip


def to_lps(array, affine):
    """The array in LPS-closest voxel order, its affine (voxel -> RAS mm, same voxels' positions)
    and the orientation to undo it with from_lps."""
    src, flip = lps_orientation(affine)
    affine = np.asarray(affine, dtype=np.float64)
    out = np.transpose(array, src)
    new = np.eye(4)
    new[:3, 3] = affine[:3, 3]
    for k in range(3):
        col = affine[:3, src[k]]
        if flip[k]:
            out = np.flip(out, k)
            new[:3, 3] = new[:3, 3] + col * (array.shape[src[k]] - 1)
            col = -col
        new[:3, k] = col
    return np.ascontiguousarray(out), new, (src, flip)


def from_lps(array, orientation):
    src, flip = orientation
    out = array
    for k in range(3):
        if flip[k]:
            out = np.flip(out, k)
    return np.ascontiguousarray(np.transpose(out, np.argsort(src)))


def spacing_of(affine):
    return [float(v) for v in np.linalg.norm(np.asarray(affine)[:3, :3], axis=0)]


# ----------------------------------------------------------------------------------------------
# resampling (tensor order z, y, x)


def java_round(x):
    return int(math.floor(x + 0.5))


def target_shape(shape_zyx, spacing_xyz, target_xyz):
    sp = spacing_xyz[::-1]
    tg = target_xyz[::-1]
    return [max(1, java_round(n * a / b)) for n, a, b in zip(shape_zyx, sp, tg)]


def resample_image(image, size):
    """image (C, D, H, W) float -> (C, *size), trilinear, half-voxel mapping (extent kept)."""
    if list(image.shape[1:]) == list(size):
        return image
    return F.interpolate(image[None], size=tuple(size), mode="trilinear", align_corners=False)[0]


def resample_labels(labels, size, classes):
    """labels (D, H, W) integer -> uint8 (*size): nnU-Net's resize_segmentation with linear order."""
    if list(labels.shape) == list(size):
        return labels.to(torch.uint8)
    out = torch.zeros(tuple(size), dtype=torch.uint8)
    for c in range(1, classes):
        indicator = (labels == c).float()[None, None]
        if not bool(indicator.any()):
            continue
        r = F.interpolate(indicator, size=tuple(size), mode="trilinear", align_corners=False)[0, 0]
        out[r >= 0.5] = c
    return out


def _linear_axis_weights(n_in, n_out):
    """Source indices and weights of F.interpolate(align_corners=False) along one axis."""
    i = torch.arange(n_out, dtype=torch.float64)
    src = ((i + 0.5) * (n_in / n_out) - 0.5).clamp(min=0)
    i0 = src.floor().long().clamp(max=n_in - 1)
    i1 = (i0 + 1).clamp(max=n_in - 1)
    w = (src - i0.double()).float()
    return i0, i1, w


def probabilities_to_mask(probs, size, slab=8):
    """argmax of probs (C, d, h, w) resampled trilinearly (half-voxel mapping) to `size`, without
    a C x size array: in-plane bilinear on the coarse slices, then linear along z slab by slab."""
    c, d, h, w = probs.shape
    D, H, W = size
    if (d, h, w) == (D, H, W):
        return probs.argmax(0).to(torch.uint8)
    planes = probs.permute(1, 0, 2, 3)  # (d, C, h, w)
    if (h, w) != (H, W):
        planes = F.interpolate(planes, size=(H, W), mode="bilinear", align_corners=False)
    i0, i1, wz = _linear_axis_weights(d, D)
    mask = torch.empty((D, H, W), dtype=torch.uint8)
    for z in range(0, D, slab):
        zs = slice(z, min(D, z + slab))
        a = planes[i0[zs]]
        b = planes[i1[zs]]
        t = wz[zs].view(-1, 1, 1, 1)
        mask[zs] = (a * (1 - t) + b * t).argmax(1).to(torch.uint8)
    return mask


# ----------------------------------------------------------------------------------------------
# data


class Intensity:
    def __init__(self, low, high, mean, std):
        self.low, self.high, self.mean, self.std = float(low), float(high), float(mean), float(std)

    def normalise(self, x):
        return (x.clamp(self.low, self.high) - self.mean) / self.std

    @property
    def fill(self):
        return (self.low - self.mean) / self.std

    def as_dict(self, stats):
        return {"scheme": "CT", "clipLow": self.low, "clipHigh": self.high, "mean": self.mean, "std": self.std,
                "fill": self.fill, "stats": stats, "samplesPerCase": SAMPLES_PER_CASE}


def ct_intensity(images, labels, seed, stats="raw"):
    """nnU-Net's CT statistics over the foreground of all training images (seeded samples)."""
    rng = np.random.default_rng(seed)
    samples = []
    for img, lab in zip(images, labels):
        fg = img[lab > 0].astype(np.float64)
        if fg.size == 0:
            continue
        samples.append(fg if fg.size <= SAMPLES_PER_CASE else fg[rng.integers(0, fg.size, SAMPLES_PER_CASE)])
    if not samples:
        raise SystemExit("no foreground voxel in any training case: CT statistics need labelled voxels")
    v = np.concatenate(samples)
    low, high = np.percentile(v, 0.5), np.percentile(v, 99.5)
    if stats == "clipped":
        v = np.clip(v, low, high)
    return Intensity(low, high, v.mean(), v.std())


def load_canonical(path):
    array, affine = nifti_io.read(path)
    if array.ndim == 4 and array.shape[3] == 1:
        array = array[..., 0]
    if array.ndim != 3:
        raise SystemExit("%s: expected a 3D volume, got shape %s" % (path, array.shape))
    canon, caff, orientation = to_lps(array, affine)
    return canon, caff, orientation, array.shape, affine


def dataset_cases(data):
    images = sorted(glob.glob(os.path.join(data, "imagesTr", "*_0000.nii.gz")))
    if not images:
        raise SystemExit("%s: no imagesTr/*_0000.nii.gz" % data)
    cases = []
    for img in images:
        name = os.path.basename(img)[:-len("_0000.nii.gz")]
        lab = os.path.join(data, "labelsTr", name + ".nii.gz")
        if not os.path.exists(lab):
            raise SystemExit("%s: no label file %s" % (img, lab))
        cases.append((name, img, lab))
    return cases


def prepare_cases(cases, s, log):
    """Reads every case, computes the CT numbers, normalises and resamples to the target spacing."""
    classes = len(s["labels"])
    raw = []
    for name, img, lab in cases:
        x, xaff, _, _, _ = load_canonical(img)
        y, yaff, _, _, _ = load_canonical(lab)
        if x.shape != y.shape:
            raise SystemExit("%s: image %s and label %s differ in shape" % (name, x.shape, y.shape))
        if not np.allclose(xaff, yaff, atol=1e-3):
            log("warning: %s: image and label affines differ" % name)
        y = np.rint(y).astype(np.int64)
        bad = sorted(set(np.unique(y).tolist()) - set(range(classes)))
        if bad:
            raise SystemExit("%s: label values %s not among the %d declared labels" % (lab, bad, classes))
        raw.append((name, x.astype(np.float32), y, spacing_of(xaff)))
    intensity = ct_intensity([r[1] for r in raw], [r[2] for r in raw], s["training"]["seed"],
                             s["training"]["intensityStats"])
    prepared = []
    for name, x, y, spacing in raw:
        img = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 1, 0)))  # (z, y, x)
        lab = torch.from_numpy(np.ascontiguousarray(y.transpose(2, 1, 0)))
        size = target_shape(list(img.shape), spacing, s["spacingMm"])
        img = resample_image(intensity.normalise(img)[None], size).contiguous()
        lab = resample_labels(lab, size, classes).contiguous()
        flat = lab.reshape(-1).numpy()
        by_label = {c: np.flatnonzero(flat == c) for c in range(1, classes)}
        present = [c for c in range(1, classes) if by_label[c].size > 0]
        prepared.append({"name": name, "image": img, "labels": lab, "by_label": by_label, "present": present,
                         "spacing": spacing})
        log("case %s: spacing %s mm -> %s voxels (z,y,x) at %s mm; labels present %s"
            % (name, "x".join("%.3f" % v for v in spacing), "x".join(map(str, size)),
               "x".join("%g" % v for v in s["spacingMm"]), present))
    return prepared, intensity


# ----------------------------------------------------------------------------------------------
# augmentation and patch sampling


def gaussian_smooth(x, sigma):
    """x (C, D, H, W): separable Gaussian, radius ceil(3 sigma), weights renormalised at the edges
    (medseg's GaussianSmoothing)."""
    r = int(math.ceil(3 * sigma))
    i = torch.arange(-r, r + 1, dtype=torch.float32)
    k = torch.exp(-0.5 * i * i / (sigma * sigma))
    v = x[:, None]  # (C, 1, D, H, W)
    ones = torch.ones_like(v[:1])
    for axis in range(3):
        shape = [1, 1, 1, 1, 1]
        shape[2 + axis] = 2 * r + 1
        pad = [0, 0, 0]
        pad[axis] = r
        kern = k.view(shape)
        v = F.conv3d(v, kern, padding=tuple(pad)) / F.conv3d(ones, kern, padding=tuple(pad))
    return v[:, 0]


class PatchSampler:
    """Draws augmented patches the way medseg's PatchSampler does, from a numpy Generator (parameters)
    and a torch Generator (noise and elastic fields), both seeded."""

    def __init__(self, cases, s, fill):
        self.cases = cases
        self.patch = list(s["patchSize"])  # z, y, x
        self.patch_xyz = np.array(self.patch[::-1], dtype=np.float64)
        self.aug = s["augmentation"]
        self.fg = s["training"]["foregroundFraction"]
        self.fill = fill
        seed = s["training"]["seed"]
        self.rng = np.random.default_rng(seed)
        self.gen = torch.Generator().manual_seed(seed)
        d, h, w = self.patch
        zz, yy, xx = torch.meshgrid(torch.arange(d, dtype=torch.float64), torch.arange(h, dtype=torch.float64),
                                    torch.arange(w, dtype=torch.float64), indexing="ij")
        # patch voxel offsets from the patch centre, (x, y, z) per voxel
        self.offsets = torch.stack([xx - (w - 1) / 2, yy - (h - 1) / 2, zz - (d - 1) / 2], -1).reshape(-1, 3)

    def centre(self, c):
        size_xyz = np.array(c["image"].shape[1:][::-1], dtype=np.float64)
        if c["present"] and self.rng.random() < self.fg:
            p = c["present"]
            label = p[0] if len(p) == 1 else p[self.rng.integers(len(p))]
            voxels = c["by_label"][label]
            z, y, x = np.unravel_index(voxels[self.rng.integers(voxels.size)], tuple(c["image"].shape[1:]))
            return np.array([x, y, z], dtype=np.float64)
        return self.rng.random(3) * (size_xyz - 1)

    def matrix(self):
        a = self.aug
        m = np.eye(3)
        if not a["enabled"]:
            return m
        scale = 1 + (self.rng.random() * 2 - 1) * a["scaleRange"]
        for k in range(3):
            m[k, k] = (-1 if self.rng.random() < a["flipProbability"] else 1) * scale
        for ax, bx in ((0, 1), (0, 2), (1, 2)):
            # isotropic plan: all pairs get rotationDegrees; the x-y plane is "in plane", the others
            # tilt z ("out of plane", rotationOutOfPlaneDegrees)
            rng = a["rotationDegrees"] if (ax, bx) == (0, 1) else a.get("rotationOutOfPlaneDegrees", a["rotationDegrees"])
            angle = math.radians((self.rng.random() * 2 - 1) * rng)
            r = np.eye(3)
            r[ax, ax], r[ax, bx], r[bx, ax], r[bx, bx] = math.cos(angle), -math.sin(angle), math.sin(angle), math.cos(angle)
            m = r @ m
        return m

    def elastic(self):
        a = self.aug
        if not a["enabled"] or a.get("elasticAlphaVoxels", 0) <= 0 or self.rng.random() >= a["elasticProbability"]:
            return None
        noise = torch.rand((3, *self.patch), generator=self.gen) * 2 - 1
        field = gaussian_smooth(noise, a["elasticSigmaVoxels"])
        peak = field.abs().amax(dim=(1, 2, 3), keepdim=True).clamp(min=1e-12)
        field = field / peak * a["elasticAlphaVoxels"]
        return field.reshape(3, -1).t().double()  # (voxels, 3) in x, y, z order

    def sample(self):
        c = self.cases[self.rng.integers(len(self.cases))]
        image, labels = c["image"], c["labels"]
        size_zyx = image.shape[1:]
        centre = self.centre(c)
        m = self.matrix()
        disp = self.elastic()
        if self.aug["enabled"]:
            centre = centre + (self.rng.random(3) * 2 - 1) * self.aug["shiftFraction"] * self.patch_xyz
        q = torch.from_numpy(centre)[None] + self.offsets @ torch.from_numpy(m).t()
        if disp is not None:
            q = q + disp
        size_xyz = torch.tensor(size_zyx[::-1], dtype=torch.float64)
        grid = ((2 * q + 1) / size_xyz - 1).float().reshape(1, *self.patch, 3)  # align_corners=False units
        img = F.grid_sample((image - self.fill)[None], grid, mode="bilinear", padding_mode="zeros",
                            align_corners=False)[0] + self.fill
        lab = F.grid_sample(labels[None, None].float(), grid, mode="nearest", padding_mode="zeros",
                            align_corners=False)[0, 0].round().long()
        img = self.blur(img)
        img = self.intensity(img)
        return img, lab

    def blur(self, img):
        a = self.aug
        p = a.get("blurProbability", 0.0)
        if not a["enabled"] or p <= 0 or self.rng.random() >= p:
            return img
        out = img.clone()
        for ch in range(img.shape[0]):
            if self.rng.random() >= 0.5:
                continue
            sigma = a["blurSigmaMinVoxels"] + self.rng.random() * (a["blurSigmaMaxVoxels"] - a["blurSigmaMinVoxels"])
            out[ch] = gaussian_smooth(img[ch:ch + 1], sigma)[0]
        return out

    def intensity(self, img):
        a = self.aug
        if not a["enabled"]:
            return img
        out = torch.empty_like(img)
        for ch in range(img.shape[0]):
            contrast = 1 + (self.rng.random() * 2 - 1) * a["contrast"]
            brightness = (self.rng.random() * 2 - 1) * a["brightness"]
            gamma = 1 + (self.rng.random() * 2 - 1) * a["gamma"]
            noise = self.rng.random() * a["noiseStd"]
            x = img[ch].double()
            mean = x.mean()
            x = (x - mean) * contrast + mean + brightness
            lo, hi = x.min(), x.max()
            rng = max(float(hi - lo), 1e-6)
            x = ((x - lo) / rng).clamp(min=0) ** gamma * rng + lo
            x = x + noise * torch.randn(x.shape, generator=self.gen, dtype=torch.float64)
            out[ch] = x.float()
        return out

    def batch(self, n):
        xs, ys = zip(*(self.sample() for _ in range(n)))
        return torch.stack(xs), torch.stack(ys)


# ----------------------------------------------------------------------------------------------
# loss, validation, sliding window


def dice_ce(logits, target, batch_dice=True, eps=1e-5):
    """medseg's DiceCrossEntropy: CE (mean over voxels) + 1 - mean foreground soft Dice."""
    classes = logits.shape[1]
    ce = F.cross_entropy(logits, target)
    probs = logits.softmax(1)[:, 1:]
    onehot = F.one_hot(target, classes).permute(0, 4, 1, 2, 3)[:, 1:].float()
    axes = (0, 2, 3, 4) if batch_dice else (2, 3, 4)
    inter = (probs * onehot).sum(axes)
    denom = probs.sum(axes) + onehot.sum(axes)
    dice = (2 * inter + eps) / (denom + eps)
    return ce + 1 - dice.mean()


def gaussian_importance(patch, sigma_scale=1 / 8):
    axes = []
    for n in patch:
        i = torch.arange(n, dtype=torch.float64)
        sigma = max(n * sigma_scale, 1e-6)
        axes.append(torch.exp(-((i - (n - 1) / 2) ** 2) / (2 * sigma * sigma)))
    w = axes[0][:, None, None] * axes[1][None, :, None] * axes[2][None, None, :]
    w = (w / w.max()).float()
    return w.clamp(min=float(w[w > 0].min()))


def tile_origins(size, tile, overlap):
    step = max(1.0, tile * (1 - overlap))
    count = int(math.ceil((size - tile) / step)) + 1
    actual = (size - tile) / (count - 1) if count > 1 else 0
    return [java_round(i * actual) for i in range(count)]


@torch.no_grad()
def sliding_window(net, image, patch, classes, fill, overlap=0.5, batch=2, blend="probabilities"):
    """image (C, D, H, W) normalised -> class probabilities (classes, D, H, W)."""
    c, d, h, w = image.shape
    size = [d, h, w]
    padded = [max(n, p) for n, p in zip(size, patch)]
    before = [(p - n) // 2 for n, p in zip(size, padded)]
    if padded != size:
        pad = []
        for k in (2, 1, 0):
            pad += [before[k], padded[k] - size[k] - before[k]]
        image = F.pad(image, pad, value=fill)
    weight = gaussian_importance(patch)
    acc = torch.zeros((classes, *padded))
    norm = torch.zeros(tuple(padded))
    starts = [(z, y, x) for z in tile_origins(padded[0], patch[0], overlap)
              for y in tile_origins(padded[1], patch[1], overlap) for x in tile_origins(padded[2], patch[2], overlap)]
    net.eval()
    for i in range(0, len(starts), batch):
        group = starts[i:i + batch]
        tiles = torch.stack([image[:, z:z + patch[0], y:y + patch[1], x:x + patch[2]] for z, y, x in group])
        out = net(tiles)
        if blend == "probabilities":
            out = out.softmax(1)
        for t, (z, y, x) in enumerate(group):
            acc[:, z:z + patch[0], y:y + patch[1], x:x + patch[2]] += out[t] * weight
            norm[z:z + patch[0], y:y + patch[1], x:x + patch[2]] += weight
    acc /= norm
    if blend == "logits":
        acc = acc.softmax(0)
    return acc[:, before[0]:before[0] + d, before[1]:before[1] + h, before[2]:before[2] + w]


def mean_foreground_dice(pred, ref, classes):
    values = []
    for c in range(1, classes):
        p, r = pred == c, ref == c
        total = int(p.sum()) + int(r.sum())
        values.append(float("nan") if total == 0 else 2.0 * int((p & r).sum()) / total)
    return float(np.nanmean(values)) if not all(math.isnan(v) for v in values) else float("nan")


# ----------------------------------------------------------------------------------------------
# files


def atomic_save_torch(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def atomic_write_text(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def hms(seconds):
    return str(datetime.timedelta(seconds=int(round(seconds))))


# ----------------------------------------------------------------------------------------------
# commands


def set_threads(n):
    torch.set_num_threads(max(1, n))
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass


def cmd_train(args):
    set_threads(args.threads)
    s = settings_from(args.bundle, args)
    check_patch(s)
    tr = s["training"]
    prefix = args.output
    outputs = [prefix + e for e in (".pt", ".last.pt", ".json", ".history.csv", ".log")]
    if not args.overwrite:
        existing = [p for p in outputs if os.path.exists(p)]
        if existing:
            raise SystemExit("refusing to replace %s (use --overwrite)" % ", ".join(existing))
    os.makedirs(os.path.dirname(os.path.abspath(prefix)), exist_ok=True)
    log_lines = []

    def log(line):
        print(line, flush=True)
        log_lines.append(line)
        atomic_write_text(prefix + ".log", "\n".join(log_lines) + "\n")

    classes = len(s["labels"])
    all_cases = dataset_cases(args.data)
    if len(all_cases) < 2:
        raise SystemExit("need at least 2 cases to hold one out for validation, got %d" % len(all_cases))
    every = tr["validationEvery"]
    held = [i for i in range(len(all_cases)) if every > 0 and i % every == 0] or [0]
    held = held if len(held) < len(all_cases) else held[:len(all_cases) - 1]
    log("pytorch_reference_ct train: torch %s, %d threads, data %s" % (torch.__version__, torch.get_num_threads(),
                                                                       os.path.abspath(args.data)))
    log("settings: %s" % json.dumps({k: s[k] for k in ("network", "patchSize", "spacingMm", "training", "augmentation")}))
    t0 = time.time()
    prepared, intensity = prepare_cases(all_cases, s, log)
    s["intensity"] = intensity.as_dict(tr["intensityStats"])
    log("CT intensity: clip [%.3f, %.3f], mean %.4f, std %.4f (%s), fill %.4f"
        % (intensity.low, intensity.high, intensity.mean, intensity.std, tr["intensityStats"], intensity.fill))
    validation = [prepared[i] for i in held]
    training = [c for i, c in enumerate(prepared) if i not in held]
    s["trainingCases"] = [c["name"] for c in training]
    s["validationCases"] = [c["name"] for c in validation]
    log("training cases %d, validation cases %d (%s); preparation %.1f s"
        % (len(training), len(validation), ", ".join(s["validationCases"]), time.time() - t0))

    torch.manual_seed(tr["seed"])
    net = build_network(s)
    init_weights(net)
    s["parameters"] = trainable(net)
    opt = torch.optim.AdamW(net.parameters(), lr=tr["learningRate"], weight_decay=tr["weightDecay"],
                            betas=(0.9, 0.999), eps=1e-8)
    sampler = PatchSampler(training, s, intensity.fill)
    total = tr["epochs"] * tr["stepsPerEpoch"]
    history = []
    best, best_epoch = -math.inf, 0
    start = time.time()
    patch = s["patchSize"]

    def save_json(state):
        meta = dict(s)
        meta["labels"] = {str(k): v for k, v in s["labels"].items()}
        clean = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in h.items()} for h in history]
        meta.update(state=state, bestEpoch=best_epoch, bestValidationDice=None if best == -math.inf else best,
                    history=clean, torch=torch.__version__, threads=torch.get_num_threads(),
                    data=os.path.abspath(args.data))
        atomic_write_text(prefix + ".json", json.dumps(meta, indent=2) + "\n")

    def save_history():
        rows = ["epoch,loss,validation_dice,learning_rate,best,seconds"]
        rows += ["%d,%.6f,%.6f,%.6g,%s,%.1f" % (h["epoch"], h["loss"], h["validationDice"], h["learningRate"],
                                                "true" if h["best"] else "false", h["seconds"]) for h in history]
        atomic_write_text(prefix + ".history.csv", "\n".join(rows) + "\n")

    def release_free_heap():
        # as medseg's NativeHeap after each validation: with the training allocator settings (one
        # arena, no trimming) glibc keeps freed holes resident and the process grows epoch by epoch
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except OSError:
            pass

    step = 0
    for epoch in range(1, tr["epochs"] + 1):
        net.train()
        losses = []
        for _ in range(tr["stepsPerEpoch"]):
            lr = tr["learningRate"] * (1 - min(1.0, step / total)) ** 0.9
            for g in opt.param_groups:
                g["lr"] = lr
            x, y = sampler.batch(tr["batchSize"])
            opt.zero_grad(set_to_none=True)
            loss = dice_ce(net(x), y, batch_dice=tr["dice"] == "batch")
            loss.backward()
            opt.step()
            losses.append(float(loss))
            step += 1
        dices = []
        for c in validation:
            probs = sliding_window(net, c["image"], patch, classes, intensity.fill, tr["validationOverlap"],
                                   tr["batchSize"])
            d = mean_foreground_dice(probs.argmax(0), c["labels"].long(), classes)
            if not math.isnan(d):
                dices.append(d)
        dice = float(np.mean(dices)) if dices else float("nan")
        release_free_heap()
        improved = not math.isnan(dice) and dice > best
        if improved:
            best, best_epoch = dice, epoch
            atomic_save_torch(net.state_dict(), prefix + ".pt")
        elapsed = time.time() - start
        history.append({"epoch": epoch, "loss": float(np.mean(losses)), "validationDice": dice, "learningRate": lr,
                        "best": improved, "seconds": elapsed})
        save_history()
        save_json("incomplete: saved at epoch %d of %d" % (epoch, tr["epochs"]))
        eta = elapsed * (total - step) / step
        log("epoch %3d/%d  loss %.4f  val dice %.4f%s  best %.4f @%d  lr %.2e  elapsed %s  ETA %s"
            % (epoch, tr["epochs"], np.mean(losses), dice, " *" if improved else "  ",
               best if best > -math.inf else float("nan"), best_epoch, lr, hms(elapsed), hms(eta)))
    atomic_save_torch(net.state_dict(), prefix + ".last.pt")
    if best_epoch == 0:  # validation never defined: keep the final weights
        atomic_save_torch(net.state_dict(), prefix + ".pt")
        best_epoch = tr["epochs"]
    save_json("complete")
    log("done in %s: best validation Dice %.4f at epoch %d -> %s.pt (final weights %s.last.pt)"
        % (hms(time.time() - t0), best, best_epoch, prefix, prefix))


def load_model(prefix, weights="best"):
    with open(prefix + ".json") as f:
        s = json.load(f)
    s["labels"] = {int(k): v for k, v in s["labels"].items()}
    net = build_network(s)
    path = prefix + (".pt" if weights == "best" else ".last.pt")
    net.load_state_dict(torch.load(path, map_location="cpu"))
    net.eval()
    i = s["intensity"]
    return s, net, Intensity(i["clipLow"], i["clipHigh"], i["mean"], i["std"])


def segment_inputs(path):
    if os.path.isfile(path):
        files = [path]
    else:
        files = sorted(glob.glob(os.path.join(path, "*_0000.nii.gz")) + glob.glob(os.path.join(path, "*_0000.nii")))
        if not files:  # not nnU-Net named: every NIfTI file
            files = sorted(glob.glob(os.path.join(path, "*.nii.gz")) + glob.glob(os.path.join(path, "*.nii")))
    out = []
    for f in files:
        base = os.path.basename(f)
        stem = base[:-7] if base.endswith(".nii.gz") else base[:-4]
        if stem.endswith("_0000"):
            stem = stem[:-5]
        out.append((f, stem + ".nii.gz"))
    return out


def segment_one(net, s, intensity, path, overlap, batch, blend):
    canon, caff, orientation, shape, affine = load_canonical(path)
    img = torch.from_numpy(np.ascontiguousarray(canon.astype(np.float32).transpose(2, 1, 0)))
    size = target_shape(list(img.shape), spacing_of(caff), s["spacingMm"])
    x = resample_image(intensity.normalise(img)[None], size)
    probs = sliding_window(net, x, s["patchSize"], len(s["labels"]), intensity.fill, overlap, batch, blend)
    mask = probabilities_to_mask(probs, list(img.shape)).numpy().transpose(2, 1, 0)
    mask = from_lps(mask, orientation)
    assert mask.shape == tuple(shape), (mask.shape, shape)
    return mask, affine


def cmd_segment(args):
    set_threads(args.threads)
    s, net, intensity = load_model(args.model, args.weights)
    if not str(s.get("state", "")).startswith("complete"):
        print("warning: %s.json says %r" % (args.model, s.get("state")), file=sys.stderr)
    inputs = segment_inputs(args.input)
    if not inputs:
        raise SystemExit("%s: no NIfTI images" % args.input)
    os.makedirs(args.output, exist_ok=True)
    targets = [os.path.join(args.output, name) for _, name in inputs]
    if not args.overwrite:
        existing = [t for t in targets if os.path.exists(t)]
        if existing:
            raise SystemExit("refusing to replace %s (use --overwrite)" % ", ".join(existing))
    for f in (os.path.realpath(p) for p, _ in inputs):
        if f in {os.path.realpath(t) for t in targets}:
            raise SystemExit("%s would be replaced by its own mask" % f)
    t0 = time.time()
    for (path, name), target in zip(inputs, targets):
        t = time.time()
        mask, affine = segment_one(net, s, intensity, path, args.overlap, args.batch, args.blend)
        tmp = os.path.join(args.output, "." + name[:-7] + ".part.nii.gz")
        nifti_io.write(tmp, mask, affine, np.uint8)
        os.replace(tmp, target)
        counts = np.bincount(mask.reshape(-1), minlength=len(s["labels"]))
        print("%s -> %s  %s  voxels per label %s  %.1f s" % (os.path.basename(path), target,
                                                           "x".join(map(str, mask.shape)), counts.tolist(),
                                                           time.time() - t), flush=True)
    print("segmented %d cases in %s" % (len(inputs), hms(time.time() - t0)))


def read_djl_arrays(path):
    """The float32 arrays of a DJL parameters.params file, in order. Each array: 'NDAR', version,
    optional name, 'DENSE', data type, rank, dims (big-endian); then the layout (int count, UTF-16 chars), the byte order ('<' or '>'), the byte
    count (int) and the data."""
    import struct
    d = open(path, "rb").read()
    arrays, i = [], 0
    while True:
        i = d.find(b"NDAR", i)
        if i < 0:
            return arrays
        j = i + 8
        j += (3 + struct.unpack(">H", d[j + 1:j + 3])[0]) if d[j] else 1
        j += 2 + struct.unpack(">H", d[j:j + 2])[0]  # sparse format
        n = struct.unpack(">H", d[j:j + 2])[0]
        dtype = d[j + 2:j + 2 + n].decode()
        j += 2 + n
        rank = struct.unpack(">i", d[j:j + 4])[0]
        shape = struct.unpack(">%dq" % rank, d[j + 4:j + 4 + 8 * rank])
        j += 4 + 8 * rank
        j += 4 + 2 * struct.unpack(">i", d[j:j + 4])[0]  # layout
        order = chr(d[j])
        nbytes = struct.unpack(">i", d[j + 1:j + 5])[0]
        j += 5
        if dtype != "FLOAT32":
            raise SystemExit("%s: array %d is %s, expected FLOAT32" % (path, len(arrays), dtype))
        a = np.frombuffer(d, dtype=np.dtype("f4").newbyteorder(order), count=nbytes // 4, offset=j)
        arrays.append(a.reshape(shape).astype(np.float32))
        i = j + nbytes


def cmd_import(args):
    """A medseg unet3d bundle as this script's model (PREFIX.pt + PREFIX.json), to run medseg's own
    weights through this inference path."""
    bundle_json = os.path.join(args.medseg_bundle, "model.json")
    s = settings_from(bundle_json, args)
    with open(bundle_json) as f:
        b = json.load(f)
    i = b["intensity"]
    if i.get("scheme") != "CT":
        raise SystemExit("%s: intensity scheme %s, this script knows CT only" % (bundle_json, i.get("scheme")))
    net = build_network(s)
    arrays = read_djl_arrays(os.path.join(args.medseg_bundle, "parameters.params"))
    params = list(net.parameters())
    if [tuple(p.shape) for p in params] != [a.shape for a in arrays]:
        raise SystemExit("the bundle's arrays do not match the network's parameters")
    with torch.no_grad():
        for p, a in zip(params, arrays):
            p.copy_(torch.from_numpy(a))
    intensity = Intensity(i["clipLow"], i["clipHigh"], i["mean"], i["std"])
    s["intensity"] = intensity.as_dict("from medseg bundle")
    s["labels"] = {str(k): v for k, v in s["labels"].items()}
    s.update(state="complete (imported from %s)" % os.path.abspath(args.medseg_bundle), parameters=trainable(net))
    atomic_save_torch(net.state_dict(), args.output + ".pt")
    atomic_write_text(args.output + ".json", json.dumps(s, indent=2) + "\n")
    print("imported %d arrays (%d parameters) from %s -> %s.pt, %s.json"
          % (len(arrays), trainable(net), args.medseg_bundle, args.output, args.output))


def cmd_check(args):
    set_threads(args.threads)
    ok = True
    s = settings_from(args.bundle, args)
    net = build_network(s)
    n = trainable(net)
    print("(1) network from %s: %d parameters (%.2f M), %d tensors" % (args.bundle, n, n / 1e6,
                                                                     len(list(net.parameters()))))
    params = os.path.join(os.path.dirname(args.bundle), "parameters.params")
    if os.path.exists(params):
        shapes = [a.shape for a in read_djl_arrays(params)]
        count = sum(int(np.prod(sh)) for sh in shapes)
        same = [tuple(p.shape) for p in net.parameters()] == shapes
        print("    medseg bundle %s: %d parameters in %d arrays; shapes equal in order: %s"
              % (params, count, len(shapes), same))
        ok &= count == n and same

    # (2) resampling round trip of a label map
    classes = len(s["labels"])
    path = args.label or sorted(glob.glob(os.path.join(HERE, "..", "sample-scans", "data", "Dataset002_AbdomenCT",
                                                       "labelsTr", "*.nii.gz")))[0]
    lab, laff, _, _, _ = load_canonical(path)
    lab_t = torch.from_numpy(np.ascontiguousarray(np.rint(lab).astype(np.int64).transpose(2, 1, 0)))
    spacing = spacing_of(laff)
    size = target_shape(list(lab_t.shape), spacing, s["spacingMm"])
    down = resample_labels(lab_t, size, classes)
    back = resample_labels(down.long(), list(lab_t.shape), classes)
    agree = float((back == lab_t.to(torch.uint8)).float().mean())
    fg = lab_t > 0
    fg_agree = float((back[fg] == lab_t[fg].to(torch.uint8)).float().mean())
    print("(2) resampling %s: %s (z,y,x) at %s mm -> %s at %s mm -> %s; shape equal %s; voxels equal %.6f "
          "(foreground %.6f); per-label voxels %s -> %s"
          % (os.path.basename(path), "x".join(map(str, lab_t.shape)), "x".join("%.3f" % v for v in spacing),
             "x".join(map(str, size)), "x".join("%g" % v for v in s["spacingMm"]), "x".join(map(str, back.shape)),
             list(back.shape) == list(lab_t.shape), agree, fg_agree,
             np.bincount(lab_t.reshape(-1).numpy(), minlength=classes).tolist(),
             np.bincount(back.reshape(-1).numpy(), minlength=classes).tolist()))
    ok &= list(back.shape) == list(lab_t.shape) and agree > 0.98
    # the image path too: a smooth ramp resampled down and up stays close
    ramp = torch.linspace(0, 1, lab_t.shape[2]).expand(*lab_t.shape)[None].contiguous()
    rr = resample_image(resample_image(ramp, size), list(lab_t.shape))
    print("    image round trip of a ramp: shape %s, max |error| %.4f" % (list(rr.shape[1:]),
                                                                         float((rr - ramp).abs().max())))
    # the inference back-resampling (separable slabs) equals a full trilinear argmax
    probs = torch.rand((classes, *size), generator=torch.Generator().manual_seed(1)).softmax(0)
    full = F.interpolate(probs[None], size=tuple(lab_t.shape), mode="trilinear", align_corners=False)[0].argmax(0)
    slabs = probabilities_to_mask(probs, list(lab_t.shape))
    frac = float((full.to(torch.uint8) == slabs).float().mean())
    print("    probabilities_to_mask vs full trilinear argmax: %.6f of voxels equal" % frac)
    ok &= frac > 0.9999

    # (3) reorientation round trip with flipped and permuted axes
    rng = np.random.default_rng(0)
    vol = rng.integers(0, 1000, (7, 5, 4)).astype(np.int16)
    worst = 0
    for perm in ((0, 1, 2), (2, 0, 1), (1, 2, 0), (0, 2, 1)):
        for signs in ((1, 1, 1), (-1, 1, -1), (-1, -1, 1), (1, -1, -1)):
            aff = np.zeros((4, 4))
            aff[3, 3] = 1
            sp = (0.8, 1.3, 2.5)
            for j in range(3):  # stored axis j runs along RAS axis perm[j], with sign and spacing
                aff[perm[j], j] = signs[j] * sp[j]
            small = np.deg2rad(7)  # a little oblique
            rot = np.array([[math.cos(small), -math.sin(small), 0], [math.sin(small), math.cos(small), 0], [0, 0, 1]])
            aff[:3, :3] = rot @ aff[:3, :3]
            aff[:3, 3] = (10, -20, 30)
            canon, caff, orient = to_lps(vol, aff)
            back = from_lps(canon, orient)
            exact = back.shape == vol.shape and np.array_equal(back, vol)
            # every voxel keeps its patient position: compare world coordinates of a few voxels
            pos_ok = True
            for _ in range(10):
                ijk = [int(rng.integers(n)) for n in vol.shape]
                world = aff @ np.array(ijk + [1.0])
                cijk = np.rint(np.linalg.solve(caff, world))[:3].astype(int)
                pos_ok &= canon[tuple(cijk)] == vol[tuple(ijk)]
            lps = np.diag([-1, -1, 1]) @ caff[:3, :3]
            diag_ok = all(lps[k, k] > 0 and abs(lps[k, k]) >= np.abs(lps[:, k]).max() - 1e-9 for k in range(3))
            if not (exact and pos_ok and diag_ok):
                worst += 1
                print("    FAIL perm %s signs %s: exact %s, positions %s, LPS-diagonal %s" % (perm, signs, exact,
                                                                                          pos_ok, diag_ok))
    print("(3) reorientation: 16 affines (4 permutations x 4 flip patterns, 7 deg oblique): to-LPS and back "
          "gives the original array exactly in %d/16; voxel positions kept; canonical axes +L,+P,+S" % (16 - worst))
    ok &= worst == 0
    print("all checks passed" if ok else "SOME CHECKS FAILED")
    return 0 if ok else 1


def cmd_bench(args):
    set_threads(args.threads)
    s = settings_from(args.bundle, args)
    check_patch(s)
    tr = s["training"]
    prepared, intensity = prepare_cases(dataset_cases(args.data), s, lambda line: None)
    torch.manual_seed(tr["seed"])
    net = build_network(s)
    init_weights(net)
    opt = torch.optim.AdamW(net.parameters(), lr=tr["learningRate"], weight_decay=tr["weightDecay"])
    sampler = PatchSampler(prepared, s, intensity.fill)
    net.train()
    print("torch %s, %d threads, patch %s, batch %d, %d parameters"
          % (torch.__version__, torch.get_num_threads(), "x".join(map(str, s["patchSize"])), tr["batchSize"],
             trainable(net)))
    for i in range(args.steps):
        t = time.time()
        x, y = sampler.batch(tr["batchSize"])
        t_sample = time.time() - t
        opt.zero_grad(set_to_none=True)
        loss = dice_ce(net(x), y, batch_dice=tr["dice"] == "batch")
        loss.backward()
        opt.step()
        print("step %d: %.2f s (patch sampling + augmentation %.2f s), loss %.4f"
              % (i + 1, time.time() - t, t_sample, float(loss)), flush=True)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)

    def common(q):
        q.add_argument("--threads", type=int, default=os.cpu_count() or 1)

    def training_flags(q):
        q.add_argument("--bundle", default=DEFAULT_BUNDLE, help="medseg model.json with the defaults")
        q.add_argument("--epochs", type=int)
        q.add_argument("--steps-per-epoch", type=int)
        q.add_argument("--batch", type=int)
        q.add_argument("--patch", type=int_triple, help="DxHxW, tensor order z,y,x (bundle: 32x96x96)")
        q.add_argument("--spacing", type=float_triple, help="XxYxZ mm (bundle: 3x3x4)")
        q.add_argument("--lr", type=float)
        q.add_argument("--weight-decay", type=float)
        q.add_argument("--seed", type=int)
        q.add_argument("--foreground-fraction", type=float)
        q.add_argument("--base-filters", type=int)
        q.add_argument("--max-filters", type=int)
        q.add_argument("--dice", choices=["batch", "sample"], help="batch Dice (medseg/nnU-Net default) or per sample")
        q.add_argument("--validation-every", type=int, help="hold out cases 0, k, 2k, ... of the sorted list (10)")
        q.add_argument("--validation-overlap", type=float, help="sliding-window overlap of validation (0.25)")
        q.add_argument("--intensity-stats", choices=["raw", "clipped"],
                       help="mean/std of the raw foreground samples (medseg, nnU-Net; default) or of the clipped ones")
        q.add_argument("--no-augmentation", action="store_true")
        q.add_argument("--no-elastic", action="store_true")
        q.add_argument("--no-blur", action="store_true")
        common(q)

    t = sub.add_parser("train", help="train on DATASET/imagesTr, labelsTr")
    t.add_argument("--data", required=True)
    t.add_argument("--output", required=True, help="model prefix: PREFIX.pt, .json, .history.csv, .log")
    t.add_argument("--overwrite", action="store_true")
    training_flags(t)

    g = sub.add_parser("segment", help="segment DIR/X_0000.nii.gz into OUT/X.nii.gz")
    g.add_argument("--model", required=True, help="the PREFIX given to train")
    g.add_argument("--input", required=True)
    g.add_argument("--output", required=True)
    g.add_argument("--weights", choices=["best", "last"], default="best")
    g.add_argument("--overlap", type=float, default=0.5)
    g.add_argument("--batch", type=int, default=2, help="tiles per forward pass")
    g.add_argument("--blend", choices=["probabilities", "logits"], default="probabilities")
    g.add_argument("--overwrite", action="store_true")
    common(g)

    c = sub.add_parser("check", help="parameter count, resampling and reorientation round trips")
    c.add_argument("--label", help="label map for the resampling round trip (default: the sample dataset's first)")
    training_flags(c)

    b = sub.add_parser("bench", help="seconds per training step")
    b.add_argument("--data", required=True)
    b.add_argument("--steps", type=int, default=3)
    training_flags(b)

    m = sub.add_parser("import-medseg", help="a medseg unet3d bundle's weights as PREFIX.pt/.json (for segment)")
    m.add_argument("--medseg-bundle", required=True, help="bundle directory with model.json, parameters.params")
    m.add_argument("--output", required=True)

    args = p.parse_args(argv)
    return {"train": cmd_train, "segment": cmd_segment, "check": cmd_check, "bench": cmd_bench,
            "import-medseg": cmd_import}[args.command](args) or 0


if __name__ == "__main__":
    sys.exit(main())
