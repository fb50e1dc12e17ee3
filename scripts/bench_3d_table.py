#!/usr/bin/env python3
"""Prints the side-by-side table of scripts/bench-3d.sh from its result lines ("SIDE KEY VALUE"):
times of medseg and PyTorch, their ratio, and for network timings the achieved GFLOP/s as a
fraction of this run's FMA peak and of libtorch's sgemm ("work" lines hold the GFLOP of a step)."""
import sys


def main(path):
    values = {}
    for line in open(path):
        side, key, value = line.split()
        values[(side, key)] = float(value)
    fma = values[("machine", "fma_peak_gflops")]
    sgemm = values[("java", "sgemm_gflops")]
    print("FMA peak (register-only loop, this run): %.0f GFLOP/s; sgemm: libtorch via DJL %.0f, PyTorch %.0f GFLOP/s"
          % (fma, sgemm, values[("torch", "sgemm_gflops")]))
    print("%-20s %11s %11s %6s | %9s %6s %6s | %9s %6s" % ("measurement", "medseg", "PyTorch", "ratio", "GFLOP/s",
                                                          "/FMA", "/sgemm", "PyTorch", "/FMA"))
    keys = sorted({k for s, k in values if s == "java" and k != "sgemm_gflops"})
    for key in keys:
        java, torch = values[("java", key)], values.get(("torch", key))
        unit = "GB" if key.endswith("_gb") else "s" if key.endswith("seconds") else "ms"
        ratio = "%.2f" % (java / torch) if torch else "-"
        row = "%-20s %8.1f %-2s %8.1f %-2s %6s" % (key, java, unit, torch or float("nan"), unit, ratio)
        work = values.get(("work", key))
        if work:
            ours = work / (java / 1e3)
            theirs = work / (torch / 1e3) if torch else float("nan")
            row += " | %9.0f %6.2f %6.2f | %9.0f %6.2f" % (ours, ours / fma, ours / sgemm, theirs, theirs / fma)
        print(row)


if __name__ == "__main__":
    main(sys.argv[1])
