#!/usr/bin/env bash
# medseg against PyTorch on the benchmark's 3D networks, step by step in turns (scripts/bench_paired.py):
# V-Net (base 16) and 3D U-Net (base 32), training step (batch 2) and one-patch inference at 64³ and 96³,
# both sides with `medseg train`'s allocator settings. Prints the paired ratios with their spread.
# About 13 minutes on this 2-core machine with the default 8 pairs. Arguments go to bench_paired.py, e.g.
#   scripts/bench-3d-paired.sh --pairs 12 "train unet3d 64" "train vnet 64"
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
/usr/bin/python3 -c "import torch" 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-torch; }
# without OpenBLAS Debian's torch takes the reference BLAS (see scripts/bench-3d.sh)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq libopenblas0-pthread; }
"$root/medseg" --version >/dev/null # builds the launcher's jar first, outside the measurement
export MALLOC_ARENA_MAX=1 GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736
exec /usr/bin/python3 "$root/scripts/bench_paired.py" --medseg "$root/medseg bench-3d --part worker" \
  --pytorch "/usr/bin/python3 $root/scripts/bench-pytorch-reference.py --worker" "$@"
