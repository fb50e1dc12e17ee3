#!/usr/bin/env bash
# The 3D engine's benchmark, everything measured in this one run on this machine:
#   the FMA peak (register-only loop, scripts/fma_peak.c), libtorch's and PyTorch's sgemm,
#   V-Net (base 16) and 3D U-Net (base 32) training step (batch 2) and one-patch inference at 64³ and 96³,
#   a training step's activation memory next to the planner's estimate (V-Net and 3D U-Net, 64³ and 96³),
#   whole-volume segmentation of a 512x512x300 CT at 0.8x0.8x2.5 mm with a 3 mm model (seconds, peak RSS),
#   and with the bundled CT model (abdomen-ct-unet3d),
# each in medseg and in PyTorch itself, then the table of ratios. Needs gcc and python3-torch (installed here).
# Takes about 15 minutes on 2 cores. Extra arguments go to `medseg bench-3d --part networks`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v gcc >/dev/null || { apt-get update -qq && apt-get install -y -qq gcc; }
/usr/bin/python3 -c "import torch" 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-torch; }
# Debian's torch takes its BLAS from the libblas.so.3 alternative; without OpenBLAS that is the
# reference BLAS (sgemm 6 GFLOP/s instead of ~190 here), which would make the yardstick meaningless
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq libopenblas0-pthread; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="$work/results.txt"
gcc -O3 -march=native -funroll-loops -fopenmp "$root/scripts/fma_peak.c" -o "$work/fma_peak"
echo "machine fma_peak_gflops $("$work/fma_peak")" >> "$results"
# training steps and patches run with the allocator settings `medseg train` uses (one glibc arena, no
# mmap, no trimming), on both sides; the whole-CT runs keep the default allocator, as `medseg segment`
tuned=(env MALLOC_ARENA_MAX=1 GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736)
"${tuned[@]}" "$root/medseg" bench-3d --part networks --repeats 5 --results "$results" "$@"
"${tuned[@]}" /usr/bin/python3 "$root/scripts/bench-pytorch-reference.py" --3d networks "$results" 5
# the planner's memory model next to a training step's real memory: one process per network and
# patch, with the default allocator, so no memory kept from an earlier measurement hides the peak
for net in vnet unet3d; do
  for edge in 64 96; do
    "$root/medseg" bench-3d --part memory --networks "$net" --patches "$edge" --results "$results"
  done
done
"$root/medseg" bench-3d --part volume --results "$results"
# the bundled CT model on the same CT, in a process of its own (its own peak resident memory)
"$root/medseg" bench-3d --part volume --volume-model abdomen-ct-unet3d --results "$results"
/usr/bin/python3 "$root/scripts/bench-pytorch-reference.py" --3d volume "$results"
/usr/bin/python3 "$root/scripts/bench_3d_table.py" "$results"
