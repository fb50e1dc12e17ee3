#!/usr/bin/env python3
"""The PyTorch yardstick of scripts/bench-precision.sh: the networks `medseg bench --precision fp32,bf16` and
`medseg bench-3d --precision fp32,bf16` time, in PyTorch itself (Debian's python3-torch), each as
float32, under CPU autocast to bfloat16, and (inference) under autocast with the model and input
channels-last, the recipe of PyTorch's CPU performance guide. Result lines "torch KEY MS" are
appended to RESULTS; keys as medseg's: NET_train_SIZE, NET_infer_SIZE, with _bf16 (autocast) and
_bf16_cl (autocast + channels-last).

Usage: /usr/bin/python3 scripts/bench_precision_torch.py RESULTS [REPEATS]
"""
import importlib.util
import os
import sys

import torch
import torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, "..", "unet", "src", "test", "python"))
from reference_unet import unet  # noqa: E402
from torch_networks import plain_unet, vnet  # noqa: E402

# the timing rule of the other yardsticks: two warm-up runs, then the median (ms)
_spec = importlib.util.spec_from_file_location("bench_pytorch_reference", os.path.join(here, "bench-pytorch-reference.py"))
_reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_reference)
median_of = _reference.median_of


def networks():
    """(key, network, training batch shape, inference batch shape, classes) as the Java benches build them."""
    yield "unet2d_256", unet(4, 32, 1, 2), (4, 1, 256, 256), (4, 1, 256, 256), 2
    yield "vnet_96", vnet(1, 3), (2, 1, 96, 96, 96), (1, 1, 96, 96, 96), 3
    yield ("unet3d_96", plain_unet(1, 3, [[3, 3, 3]] * 5, [[1, 1, 1]] + [[2, 2, 2]] * 4, 32, 320),
           (2, 1, 96, 96, 96), (1, 1, 96, 96, 96), 3)


def train_step(net, opt, x, y, classes, bf16):
    opt.zero_grad()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        logits = net(x)
    logits = logits.float()  # the loss in float32, as medseg computes it
    probs = logits.softmax(1)[:, 1:]
    onehot = F.one_hot(y, classes).movedim(-1, 1)[:, 1:].float()
    axes = [0] + list(range(2, logits.dim()))
    inter = (probs * onehot).sum(axes)
    den = probs.sum(axes) + onehot.sum(axes)
    loss = F.cross_entropy(logits, y) + 1 - ((2 * inter + 1e-5) / (den + 1e-5)).mean()
    loss.backward()
    opt.step()


def main():
    results, repeats = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
    torch.set_num_threads(os.cpu_count())
    torch.manual_seed(1)
    out = open(results, "a")

    def result(key, value, what):
        print("%-70s %10.1f" % (what, value), flush=True)
        out.write("torch %s %r\n" % (key, value))
        out.flush()

    print("PyTorch %s, %d threads" % (torch.__version__, torch.get_num_threads()))
    for key, net, train_shape, infer_shape, classes in networks():
        name, size = key.rsplit("_", 1)
        x = torch.randn(train_shape)
        y = torch.randint(0, classes, (train_shape[0],) + train_shape[2:])
        opt = torch.optim.AdamW(net.parameters())
        net.train()
        for bf16 in (False, True):
            ms = median_of(lambda: train_step(net, opt, x, y, classes, bf16), repeats)
            result(f"{name}_train_{size}" + ("_bf16" if bf16 else ""), ms,
                   f"{key} training step, batch {train_shape[0]}, {'bf16 autocast' if bf16 else 'fp32'}: ms")
        net.eval()
        x1 = torch.randn(infer_shape)
        with torch.no_grad():
            result(f"{name}_infer_{size}", median_of(lambda: net(x1), repeats), f"{key} inference, fp32: ms")
            with torch.autocast("cpu", dtype=torch.bfloat16):
                result(f"{name}_infer_{size}_bf16", median_of(lambda: net(x1).float(), repeats),
                       f"{key} inference, bf16 autocast: ms")
                fmt = torch.channels_last if len(infer_shape) == 4 else torch.channels_last_3d
                net_cl = net.to(memory_format=fmt)
                x_cl = x1.contiguous(memory_format=fmt)
                result(f"{name}_infer_{size}_bf16_cl", median_of(lambda: net_cl(x_cl).float(), repeats),
                       f"{key} inference, bf16 autocast + channels-last: ms")
                net.to(memory_format=torch.contiguous_format)


if __name__ == "__main__":
    main()
