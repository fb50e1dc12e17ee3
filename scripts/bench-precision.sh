#!/usr/bin/env bash
# bf16 against fp32, and medseg against PyTorch itself, everything measured in this one run on this
# machine: the 2D U-Net (depth 4, base 32, 256², batch 4), the paper V-Net and nnU-Net's 5-stage
# 3D U-Net (base 32) at 96³ — a training step (fp32, bf16) and inference (fp32, bf16) in medseg; in
# PyTorch fp32, bf16 autocast, and for inference bf16 autocast with channels-last — then the
# whole 512x512x300 CT with the bundled abdomen-ct-unet3d and with the bench's base-16 U-Net (both
# sides), fp32 and bf16, and the table of ratios (scripts/bench_precision_table.py).
# Needs python3-torch and OpenBLAS (installed here). About 15 minutes on 2 cores.
# Usage: scripts/bench-precision.sh [REPEATS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repeats="${1:-5}"
/usr/bin/python3 -c "import torch" 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-torch; }
# without OpenBLAS Debian's torch takes the reference BLAS (scripts/bench-3d.sh)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq libopenblas0-pthread; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="$work/results.txt"
grep -o -w -E 'avx512_bf16|amx_bf16|amx_tile' /proc/cpuinfo | sort -u | tr '\n' ' ' | sed 's/^/machine flags: /; s/$/\n/'
"$root/medseg" bench --precision fp32,bf16 --repeats "$repeats" --results "$results"
"$root/medseg" bench-3d --part networks --patches 96 --precision fp32,bf16 --repeats "$repeats" --results "$results"
/usr/bin/python3 "$root/scripts/bench_precision_torch.py" "$results" "$repeats"
"$root/medseg" bench-3d --part volume --volume-model abdomen-ct-unet3d --precision fp32,bf16 --results "$results"
"$root/medseg" bench-3d --part volume --precision fp32,bf16 --results "$results"
/usr/bin/python3 "$root/scripts/bench-pytorch-reference.py" --3d volume "$results"
/usr/bin/python3 "$root/scripts/bench-pytorch-reference.py" --3d volume-bf16 "$results"
/usr/bin/python3 "$root/scripts/bench_precision_table.py" "$results"
