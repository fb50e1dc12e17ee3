#!/usr/bin/env python3
"""Golden values for segmentation-core's tests, made with PyTorch (Debian's python3-torch 1.13).

Run from the repository root:  /usr/bin/python3 segmentation-core/src/test/python/make_golden.py
Writes segmentation-core/src/test/resources/golden/*.json. Tests read only those files, so no
Python is needed at test time. Fixed seeds: rerunning gives the same files.
"""
import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden")
torch.manual_seed(20261122)
torch.set_default_dtype(torch.float64)  # golden values in double; the Java side runs float32


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def entry(t):
    return {"shape": list(t.shape), "data": flat(t)}


def save(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=None)
        f.write("\n")


def transposed_conv(x_shape, c_out, kernel):
    dims = len(kernel)
    x = torch.randn(*x_shape, requires_grad=True)
    conv = (torch.nn.ConvTranspose2d if dims == 2 else torch.nn.ConvTranspose3d)(
        x_shape[1], c_out, kernel_size=kernel, stride=kernel)
    out = conv(x)
    upstream = torch.randn(*out.shape)
    (out * upstream).sum().backward()
    return {"x": entry(x), "weight": entry(conv.weight), "bias": entry(conv.bias), "kernel": list(kernel),
            "out": entry(out), "upstream": entry(upstream), "grad_x": entry(x.grad),
            "grad_weight": entry(conv.weight.grad), "grad_bias": entry(conv.bias.grad)}


def losses():
    logits = torch.randn(2, 3, 4, 5)
    labels = torch.randint(0, 3, (2, 4, 5))
    weights = torch.tensor([0.2, 1.0, 3.0])
    probs = logits.softmax(1)
    onehot = F.one_hot(labels, 3).permute(0, 3, 1, 2).to(probs.dtype)
    eps = 1e-5

    def soft_dice(batch, include_bg, squared=False):
        p, g = (probs, onehot) if include_bg else (probs[:, 1:], onehot[:, 1:])
        axes = (0, 2, 3) if batch else (2, 3)
        inter = (p * g).sum(axes)
        den = (p * p).sum(axes) + (g * g).sum(axes) if squared else p.sum(axes) + g.sum(axes)
        return float(1 - ((2 * inter + eps) / (den + eps)).mean())

    return {"logits": entry(logits), "labels": entry(labels.to(torch.float64)), "weights": flat(weights),
            "ce": float(F.cross_entropy(logits, labels)),
            "ce_weighted": float(F.cross_entropy(logits, labels, weight=weights)),
            "dice_batch_nobg": soft_dice(True, False), "dice_batch_bg": soft_dice(True, True),
            "dice_sample_nobg": soft_dice(False, False), "dice_sample_bg": soft_dice(False, True),
            "dice_vnet": soft_dice(False, False, squared=True)}


def instance_norm():
    x = torch.randn(2, 3, 4, 5, 3)
    norm = torch.nn.InstanceNorm3d(3, affine=True, eps=1e-5)
    with torch.no_grad():
        norm.weight.copy_(torch.randn(3))
        norm.bias.copy_(torch.randn(3))
    return {"x": entry(x), "gamma": entry(norm.weight), "beta": entry(norm.bias), "out": entry(norm(x))}


def prelu():
    x = torch.randn(2, 3, 4, 5, 2, requires_grad=True)
    act = torch.nn.PReLU(3)
    with torch.no_grad():
        act.weight.copy_(torch.tensor([0.25, -0.1, 0.6]))
    out = act(x)
    upstream = torch.randn(*out.shape)
    (out * upstream).sum().backward()
    return {"x": entry(x), "slope": entry(act.weight), "out": entry(out), "upstream": entry(upstream),
            "grad_x": entry(x.grad), "grad_slope": entry(act.weight.grad)}


def resampling_scipy():
    """scipy.ndimage.zoom with grid_mode=True uses the same half-voxel mapping as medseg's
    Resampling; order=1 with mode='nearest' (clamped borders) is exactly its LINEAR kernel."""
    import numpy as np
    from scipy import ndimage
    rng = np.random.default_rng(20261123)
    x = rng.normal(size=(5, 7, 6))  # numpy (z, y, x) = medseg sizeXyz (6, 7, 5)
    out = {}
    for name, shape in (("down", (3, 4, 4)), ("up", (9, 11, 13)), ("mixed", (2, 12, 6))):
        zoom = [n / o for n, o in zip(shape, x.shape)]
        y = ndimage.zoom(x, zoom, order=1, mode="nearest", grid_mode=True)
        assert y.shape == shape, (y.shape, shape)
        out[name] = entry(torch.from_numpy(y))
    out["x"] = entry(torch.from_numpy(x))
    return out


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    save("transposed_conv_2d.json", transposed_conv((2, 3, 4, 5), 4, (2, 2)))
    save("transposed_conv_3d.json", transposed_conv((2, 2, 3, 2, 4), 3, (1, 2, 2)))
    save("losses.json", losses())
    save("instance_norm_3d.json", instance_norm())
    save("prelu_3d.json", prelu())
    save("resampling_scipy.json", resampling_scipy())
    print("torch", torch.__version__, "wrote", sorted(os.listdir(OUT)))
