#!/usr/bin/env python3
"""Golden values for vnet's tests, made with PyTorch (Debian's python3-torch 1.13).

Run from the repository root:  /usr/bin/python3 vnet/src/test/python/make_golden.py
Writes vnet/src/test/resources/golden/*.json; the tests read only those files. Fixed seed:
rerunning gives the same files.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "scripts"))
from golden_networks import network_case, save  # noqa: E402
from torch_networks import conv_flops, trainable, vnet  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden")


def small(cin, classes, dims, base, down, up, kernel, norm, shape):
    config = {"spatialDims": dims, "baseFilters": base, "downConvs": list(down), "upConvs": list(up),
              "kernel": kernel, "norm": norm, "dropout": 0.0, "inputChannels": cin, "classes": classes}
    torch.set_default_dtype(torch.float64)
    return network_case(vnet(cin, classes, dims, base, down, up, kernel, norm), shape, config)


def counts():
    torch.set_default_dtype(torch.float32)
    rows = []
    for name, kw in (("paper", {}), ("monai", dict(down=(1, 2, 3, 2), up=(2, 2, 1, 1), norm="BATCH")),
                     ("light", dict(base=8, down=(1, 2, 2), up=(2, 2, 1), kernel=3, norm="INSTANCE"))):
        for size in ((32, 32, 32), (16, 48, 64)):
            net = vnet(1, 3, **kw)
            rows.append({"preset": name, "arguments": kw, "size": list(size), "parameters": trainable(net),
                         "flops": conv_flops(net, (1, 1) + size)})
    net = vnet(1, 2)
    rows.append({"preset": "paper", "arguments": {}, "size": [96, 96, 96], "parameters": trainable(net),
                 "flops": conv_flops(net, (1, 1, 96, 96, 96)), "classes": 2})
    return rows


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(20261123)
    # 2 input channels repeat exactly to 4 in the input stage; no normalisation (the paper's setting)
    save(os.path.join(OUT, "vnet_small_none.json"), small(2, 3, 3, 4, (1, 2), (2, 1), 3, "NONE", (2, 2, 8, 8, 12)))
    # 3 input channels repeat cyclically to 4; instance norm; 5x5x5 kernels as in the paper; depth 1
    save(os.path.join(OUT, "vnet_small_instance.json"), small(3, 2, 3, 4, (2,), (1,), 5, "INSTANCE", (1, 3, 6, 4, 8)))
    # the same recipe in 2D
    save(os.path.join(OUT, "vnet_small_2d.json"), small(1, 2, 2, 4, (1, 1), (1, 1), 3, "NONE", (2, 1, 8, 12)))
    save(os.path.join(OUT, "vnet_counts.json"), {"rows": counts()})
    print("torch", torch.__version__, "wrote", sorted(os.listdir(OUT)))
