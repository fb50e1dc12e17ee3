#!/usr/bin/env python3
"""The table of scripts/bench-precision.sh from its result lines ("java|torch KEY VALUE"): per network
medseg fp32 and bf16 and their ratio, PyTorch fp32, bf16 autocast and bf16 autocast + channels-last,
and medseg's bf16 time over PyTorch's best bf16 time (the issue's target: at most 1.1)."""
import sys


def main():
    r = {}
    for line in open(sys.argv[1]):
        parts = line.split()
        if len(parts) == 3:
            r[(parts[0], parts[1])] = float(parts[2])

    def get(side, key):
        return r.get((side, key))

    def ms(v):
        return "—" if v is None else ("%.0f" % v if v >= 100 else "%.1f" % v)

    def ratio(a, b):
        return "—" if a is None or b is None else "%.2f×" % (a / b)

    print("| step | medseg fp32 | medseg bf16 | bf16 speed-up | PyTorch fp32 | PyTorch bf16 autocast | "
          "PyTorch bf16 + channels-last | medseg bf16 / PyTorch best bf16 |")
    print("|---|---|---|---|---|---|---|---|")
    for net, size in (("unet2d", 256), ("vnet", 96), ("unet3d", 96)):
        for kind in ("train", "infer"):
            key = "%s_%s_%d" % (net, kind, size)
            jf, jb = get("java", key), get("java", key + "_bf16")
            tf, tb, tcl = get("torch", key), get("torch", key + "_bf16"), get("torch", key + "_bf16_cl")
            best = min(v for v in (tb, tcl) if v is not None) if (tb or tcl) else None
            print("| %s %s (ms) | %s | %s | %s | %s | %s | %s | %s |" % (
                net, "training step" if kind == "train" else "inference", ms(jf), ms(jb), ratio(jf, jb), ms(tf), ms(tb),
                ms(tcl), ratio(jb, best)))
    for key, what in (("volume_model_seconds", "whole CT, bundled abdomen-ct-unet3d (s)"),
                      ("volume_seconds", "whole CT, U-Net base 16, 64³ tiles (s)")):
        jf, jb = get("java", key), get("java", key + "_bf16")
        tf, tb = get("torch", key), get("torch", key + "_bf16")
        print("| %s | %s | %s | %s | %s | — | %s | %s |" % (what, ms(jf), ms(jb), ratio(jf, jb), ms(tf), ms(tb),
                                                          ratio(jb, tb)))


if __name__ == "__main__":
    main()
