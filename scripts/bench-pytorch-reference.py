#!/usr/bin/env python3
"""Yardstick for `medseg bench`: the same U-Net (depth 4, 32 filters, BatchNorm, ReLU, 1 -> 2
classes, 256x256, batch 4) in PyTorch itself (Debian's python3-torch 1.13), timed the same way:
sgemm 2048x2048 peak, median training step (forward, backward, AdamW) and inference batch.

Run: /usr/bin/python3 scripts/bench-pytorch-reference.py   (apt-get install -y python3-torch)
"""
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "unet", "src", "test", "python"))
from reference_unet import conv_flops, unet  # noqa: E402

REPEATS = 7
BATCH, SIZE = 4, 256


def median_ms(fn):
    for _ in range(2):
        fn()
    times = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def main():
    torch.set_num_threads(os.cpu_count())  # the same thread count libtorch uses under DJL
    torch.manual_seed(1)
    a, b = torch.rand(2048, 2048) * 2 - 1, torch.rand(2048, 2048) * 2 - 1
    for _ in range(2):
        a @ b
    best = min(timeit(lambda: a @ b) for _ in range(REPEATS))
    peak = 2 * 2048 ** 3 / best / 1e9
    print("PyTorch %s, %d threads" % (torch.__version__, torch.get_num_threads()))
    print("sgemm 2048x2048: %.1f GFLOP/s (best of %d)" % (peak, REPEATS))
    net = unet(4, 32, 1, 2)
    gflop = conv_flops(net, SIZE) / 1e9
    x = torch.randn(BATCH, 1, SIZE, SIZE)
    y = torch.randint(0, 2, (BATCH, SIZE, SIZE))
    opt = torch.optim.AdamW(net.parameters())

    def train_step():
        opt.zero_grad()
        logits = net(x)
        probs = logits.softmax(1)[:, 1:]
        onehot = F.one_hot(y, 2).permute(0, 3, 1, 2)[:, 1:].float()
        dice = 1 - (2 * (probs * onehot).sum() + 1e-5) / (probs.sum() + onehot.sum() + 1e-5)
        loss = F.cross_entropy(logits, y) + dice
        loss.backward()
        opt.step()

    net.train()
    train = median_ms(train_step)
    net.eval()
    with torch.no_grad():
        infer = median_ms(lambda: net(x))
    for name, ms, work, target in (("training step (fwd+bwd+AdamW)", train, 3 * gflop * BATCH, 0.5),
                                   ("inference batch (fwd, no grad)", infer, gflop * BATCH, 0.6)):
        rate = work / (ms / 1e3)
        print("%-32s %9.1f ms  %7.1f GFLOP/s  %.2f of sgemm peak (target >= %.1f)" % (name, ms, rate, rate / peak, target))


def timeit(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
