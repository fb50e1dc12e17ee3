#!/usr/bin/env python3
"""Golden values for the plain (nnU-Net) U-Net tests, made with PyTorch (Debian's python3-torch 1.13).

Run from the repository root:  /usr/bin/python3 unet/src/test/python/make_golden.py
Writes unet/src/test/resources/golden/*.json; the tests read only those files. Fixed seed.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "scripts"))
from golden_networks import network_case, save  # noqa: E402
from torch_networks import conv_flops, plain_unet, trainable  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden")


def config(kernels, strides, base, max_filters, enc=2, dec=2):
    return {"spatialDims": len(kernels[0]), "kernels": kernels, "strides": strides, "baseFilters": base,
            "maxFilters": max_filters, "encoderConvs": enc, "decoderConvs": dec, "norm": "INSTANCE",
            "activation": "LEAKY_RELU", "dropout": 0.0}


def small(cin, classes, c, shape):
    torch.set_default_dtype(torch.float64)
    net = plain_unet(cin, classes, c["kernels"], c["strides"], c["baseFilters"], c["maxFilters"], c["encoderConvs"],
                     c["decoderConvs"])
    case = network_case(net, shape, dict(c, inputChannels=cin, classes=classes))
    return case


# an anisotropic plan as nnU-Net makes for 0.8x0.8x2.5 mm CT: no z down-sampling and 1x3x3 kernels first
CT_KERNELS = [[1, 3, 3], [1, 3, 3], [3, 3, 3], [3, 3, 3], [3, 3, 3], [3, 3, 3]]
CT_STRIDES = [[1, 1, 1], [1, 2, 2], [2, 2, 2], [2, 2, 2], [2, 2, 2], [1, 2, 2]]


def counts():
    torch.set_default_dtype(torch.float32)
    rows = []
    iso_k = [[3, 3, 3]] * 5
    iso_s = [[1, 1, 1]] + [[2, 2, 2]] * 4
    for c, size in ((config(CT_KERNELS, CT_STRIDES, 32, 320), (32, 128, 128)),
                    (config(iso_k, iso_s, 32, 320), (64, 64, 64)),
                    (config(iso_k, iso_s, 32, 320), (96, 96, 96)),
                    (config(iso_k[:4], iso_s[:4], 16, 64, 1, 1), (16, 48, 32))):
        net = plain_unet(1, 3, c["kernels"], c["strides"], c["baseFilters"], c["maxFilters"], c["encoderConvs"],
                         c["decoderConvs"])
        rows.append({"arguments": c, "size": list(size), "classes": 3, "parameters": trainable(net),
                     "flops": conv_flops(net, (1, 1) + size)})
    return rows


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(20261123)
    anisotropic = config([[1, 3, 3], [3, 3, 3], [3, 3, 3]], [[1, 1, 1], [1, 2, 2], [2, 2, 2]], 4, 6)
    save(os.path.join(OUT, "plain_unet_anisotropic.json"), small(1, 3, anisotropic, (2, 1, 4, 8, 12)))
    single = config([[3, 3], [3, 3], [3, 3]], [[1, 1], [2, 2], [2, 1]], 3, 12, 1, 1)
    save(os.path.join(OUT, "plain_unet_2d.json"), small(2, 2, single, (1, 2, 8, 6)))
    save(os.path.join(OUT, "plain_unet_counts.json"), {"rows": counts()})
    print("torch", torch.__version__, "wrote", sorted(os.listdir(OUT)))
