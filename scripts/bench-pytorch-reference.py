#!/usr/bin/env python3
"""Yardstick for `medseg bench`: the same U-Net (depth 4, 32 filters, BatchNorm, ReLU, 1 -> 2
classes, 256x256, batch 4) in PyTorch itself (Debian's python3-torch 1.13), timed the same way:
sgemm 2048x2048 peak, median training step (forward, backward, AdamW) and inference batch.

With --3d PART RESULTS (PART = networks or volume), the yardstick of `medseg bench-3d`: the V-Net
and nnU-Net 3D U-Net of scripts/torch_networks.py timed like the Java side, or a whole 512x512x300
CT segmented at 3 mm (trilinear resampling, sliding window with Gaussian blending, trilinear back
to the scan, argmax); result lines "torch KEY VALUE" are appended to RESULTS.

Run: /usr/bin/python3 scripts/bench-pytorch-reference.py   (apt-get install -y python3-torch)
"""
import math
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
    train = median_of(train_step, REPEATS)
    net.eval()
    with torch.no_grad():
        infer = median_of(lambda: net(x), REPEATS)
    for name, ms, work, target in (("training step (fwd+bwd+AdamW)", train, 3 * gflop * BATCH, 0.5),
                                   ("inference batch (fwd, no grad)", infer, gflop * BATCH, 0.6)):
        rate = work / (ms / 1e3)
        print("%-32s %9.1f ms  %7.1f GFLOP/s  %.2f of sgemm peak (target >= %.1f)" % (name, ms, rate, rate / peak, target))


def timeit(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def median_of(fn, repeats):
    for _ in range(2):
        fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def bench_3d(part, results, repeats=3, patches=(64, 96)):
    from torch_networks import plain_unet  # noqa: E402
    torch.set_num_threads(os.cpu_count())
    torch.manual_seed(1)
    out = open(results, "a")

    def result(key, value, what):
        print("%-78s %10.2f" % (what, value))
        out.write("torch %s %r\n" % (key, value))
        out.flush()

    if part == "networks":
        a, b = torch.rand(2048, 2048), torch.rand(2048, 2048)
        best = min(timeit(lambda: a @ b) for _ in range(repeats + 2))
        result("sgemm_gflops", 2 * 2048 ** 3 / best / 1e9, "PyTorch sgemm 2048x2048, GFLOP/s")
        for name in ("vnet", "unet3d"):
            for edge in patches:
                net, gflop, step, infer = bench_network(name, edge)
                out.write("work %s_train_%d %r\nwork %s_infer_%d %r\n" % (name, edge, 3 * 2 * gflop, name, edge, gflop))
                net.train()
                result(name + "_train_" + str(edge), median_of(step, repeats), "%s training step, batch 2, %d^3: ms" % (name, edge))
                net.eval()
                result(name + "_infer_" + str(edge), median_of(infer, repeats), "%s inference, 1 patch %d^3: ms" % (name, edge))
    elif part == "volume-bf16":
        result("volume_seconds_bf16", whole_volume(plain_unet, bf16=True),
               "whole CT 512x512x300, unet3d base 16, 3 mm, 64^3 tiles, bf16 autocast + channels-last: seconds")
    else:
        result("volume_seconds", whole_volume(plain_unet), "whole CT 512x512x300, unet3d base 16, 3 mm, 64^3 tiles: seconds")
        import resource
        result("volume_peak_rss_gb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024,
               "peak resident memory of the process, GB")


def bench_network(name, edge):
    """The network `medseg bench-3d` times (paper V-Net, or nnU-Net's 5-stage 3D U-Net at base 32), its
    forward GFLOP for one patch, a training step (batch 2, Dice + CE, AdamW) and a one-patch inference."""
    from torch_networks import conv_flops, plain_unet, vnet  # noqa: E402
    if name == "vnet":
        net = vnet(1, 3)
    else:
        net = plain_unet(1, 3, [[3, 3, 3]] * 5, [[1, 1, 1]] + [[2, 2, 2]] * 4, 32, 320)
    gflop = conv_flops(net, (1, 1, edge, edge, edge)) / 1e9
    x = torch.randn(2, 1, edge, edge, edge)
    y = torch.randint(0, 3, (2, edge, edge, edge))
    opt = torch.optim.AdamW(net.parameters())

    def step():
        opt.zero_grad()
        logits = net(x)
        probs = logits.softmax(1)[:, 1:]
        onehot = F.one_hot(y, 3).permute(0, 4, 1, 2, 3)[:, 1:].float()
        inter = (probs * onehot).sum((0, 2, 3, 4))
        den = probs.sum((0, 2, 3, 4)) + onehot.sum((0, 2, 3, 4))
        loss = F.cross_entropy(logits, y) + 1 - ((2 * inter + 1e-5) / (den + 1e-5)).mean()
        loss.backward()
        opt.step()

    x1 = torch.randn(1, 1, edge, edge, edge)

    def infer():
        with torch.no_grad():
            net(x1)

    return net, gflop, step, infer


def worker():
    """The PyTorch side of scripts/bench_paired.py: the protocol of `medseg bench-3d --part worker`."""
    torch.set_num_threads(os.cpu_count())
    torch.manual_seed(1)
    for line in sys.stdin:
        kind, name, edge = line.split()
        net, _, step, infer = bench_network(name, int(edge))
        op = step if kind == "train" else infer
        net.train(kind == "train")
        print("@@ ready", flush=True)
        for command in sys.stdin:
            if command.strip() == "close":
                break
            start = time.perf_counter()
            op()
            print("@@ ms %.3f" % ((time.perf_counter() - start) * 1e3), flush=True)
        print("@@ closed", flush=True)


def whole_volume(plain_unet, tile=64, overlap=0.5, batch=2, bf16=False):
    """bf16: the network under CPU autocast with model and tiles channels-last; blending and argmax float32."""
    net = plain_unet(1, 3, [[3, 3, 3]] * 4, [[1, 1, 1]] + [[2, 2, 2]] * 3, 16, 320).eval()
    if bf16:
        net = net.to(memory_format=torch.channels_last_3d)
    scan = torch.randn(300, 512, 512) * 10  # (z, y, x) at 0.8 x 0.8 x 2.5 mm, values do not change the timing
    start = time.perf_counter()
    with torch.no_grad():
        x = ((scan.clamp(-200, 300) - 60) / 80)[None, None]
        target = [round(300 * 2.5 / 3), round(512 * 0.8 / 3), round(512 * 0.8 / 3)]
        x = F.interpolate(x, size=target, mode="trilinear", align_corners=False)
        sigma = tile / 8
        axis = torch.exp(-((torch.arange(tile) - (tile - 1) / 2) ** 2) / (2 * sigma ** 2))
        weight = axis[:, None, None] * axis[None, :, None] * axis[None, None, :]
        weight = (weight / weight.max()).clamp(min=float(weight[weight > 0].min()))
        scores = torch.zeros(1, 3, *target)
        norm = torch.zeros(1, 1, *target)

        def starts(n):
            step = max(1, tile * (1 - overlap))
            count = int(math.ceil((n - tile) / step)) + 1
            actual = (n - tile) / (count - 1) if count > 1 else 0
            return [int(round(i * actual)) for i in range(count)]

        origins = [(a, b, c) for a in starts(target[0]) for b in starts(target[1]) for c in starts(target[2])]
        for i in range(0, len(origins), batch):
            group = origins[i:i + batch]
            tiles = torch.cat([x[:, :, a:a + tile, b:b + tile, c:c + tile] for a, b, c in group])
            if bf16:
                with torch.autocast("cpu", dtype=torch.bfloat16):
                    logits = net(tiles.contiguous(memory_format=torch.channels_last_3d))
                probs = logits.float().contiguous().softmax(1)
            else:
                probs = net(tiles).softmax(1)
            for k, (a, b, c) in enumerate(group):
                scores[:, :, a:a + tile, b:b + tile, c:c + tile] += probs[k] * weight
                norm[:, :, a:a + tile, b:b + tile, c:c + tile] += weight
        scores /= norm
        full = F.interpolate(scores, size=(300, 512, 512), mode="trilinear", align_corners=False)
        labels = full.argmax(1)
    assert labels.shape == (1, 300, 512, 512)
    return time.perf_counter() - start


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("--3d", "--worker"):
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker()
    elif len(sys.argv) > 1 and sys.argv[1] == "--3d":
        bench_3d(sys.argv[2], sys.argv[3], *([int(sys.argv[4])] if len(sys.argv) > 4 else []))
    else:
        main()
