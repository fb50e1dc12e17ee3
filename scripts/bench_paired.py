#!/usr/bin/env python3
"""Paired comparison of medseg and PyTorch on the same 3D networks: both sides run as workers
(`medseg bench-3d --part worker`, `bench-pytorch-reference.py --worker`), hold the same network
built, and take turns one step at a time, the order swapped every pair (medseg first, then PyTorch
first), so that each medseg step is compared with a PyTorch step seconds apart. Unpaired runs
minutes apart drift by up to ±15 % on this machine, more than the differences being measured.

Per measurement it prints both medians, the median of the paired ratios medseg/PyTorch with its
range and a 95 % interval (bootstrap of the pairs, fixed seed), and in how many pairs medseg was
faster. Usage: bench_paired.py --medseg CMD --pytorch CMD [--pairs 8] [--warmup 2] [MEASUREMENT ...], a measurement being train|infer NET EDGE, e.g. "train unet3d 64".
"""
import argparse
import random
import shlex
import statistics
import subprocess
import sys
import time

DEFAULT = ["train unet3d 64", "train vnet 64", "train unet3d 96", "train vnet 96",
           "infer unet3d 64", "infer vnet 64", "infer unet3d 96", "infer vnet 96"]


class Worker:
    def __init__(self, name, command):
        self.name = name
        self.process = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, bufsize=1)

    def send(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        while True:
            answer = self.process.stdout.readline()
            if not answer:
                raise SystemExit("%s worker ended before answering '%s' (exit code %s)"
                                 % (self.name, line, self.process.wait()))
            if answer.startswith("@@ "):
                return answer[3:].strip()

    def step(self):
        answer = self.send("step")
        return float(answer.split()[1])

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def interval(ratios, rng, draws=2000):
    """95 % bootstrap interval of the median of the paired ratios."""
    medians = sorted(statistics.median(rng.choices(ratios, k=len(ratios))) for _ in range(draws))
    return medians[int(0.025 * draws)], medians[int(0.975 * draws) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--medseg", required=True)
    parser.add_argument("--pytorch", required=True)
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("measurements", nargs="*", default=DEFAULT)
    args = parser.parse_args()
    medseg, torch = Worker("medseg", args.medseg), Worker("PyTorch", args.pytorch)
    rng = random.Random(7)
    rows = []
    started = time.time()
    for measurement in args.measurements:
        for w in (medseg, torch):
            if w.send(measurement) != "ready":
                raise SystemExit("%s worker did not open %s" % (w.name, measurement))
        for _ in range(args.warmup):
            medseg.step()
            torch.step()
        ours, theirs = [], []
        for pair in range(args.pairs):
            if pair % 2 == 0:
                ours.append(medseg.step())
                theirs.append(torch.step())
            else:
                theirs.append(torch.step())
                ours.append(medseg.step())
        for w in (medseg, torch):
            w.send("close")
        ratios = [a / b for a, b in zip(ours, theirs)]
        low, high = interval(ratios, rng)
        row = (measurement, statistics.median(ours), statistics.median(theirs), statistics.median(ratios),
               min(ratios), max(ratios), low, high, sum(r < 1 for r in ratios), len(ratios))
        rows.append(row)
        print("%-16s medseg %8.1f ms  PyTorch %8.1f ms  paired ratio %.3f (range %.3f-%.3f, 95%% %.3f-%.3f), "
              "medseg faster in %d of %d pairs  [%.0f s]" % (row + (time.time() - started,)), flush=True)
    medseg.close()
    torch.close()
    print()
    print("| measurement | medseg median | PyTorch median | paired ratio (median) | range | 95 % interval | medseg faster |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %s | %.0f ms | %.0f ms | %.3f | %.3f–%.3f | %.3f–%.3f | %d of %d |" % r)


if __name__ == "__main__":
    main()
