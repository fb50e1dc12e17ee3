#!/usr/bin/env bash
# Retrains the bundled tooth-root U-Net from the committed sample dataset with fixed settings and
# seed, then compares its parameters with the committed bundle. libtorch's kernels are pinned to
# AVX2 (MEDSEG_CPU_ISA=avx2), so the bits are the same on AVX2 and AVX-512 machines with this
# libtorch build. About 5-10 minutes on a 2-core machine.
# With --precision bf16 --output DIR it trains the same way in bf16 (docs/precision.md), without the
# AVX2 pin (which has no bf16), into DIR, and compares nothing.
# Usage: scripts/train-bundled-model.sh [--replace | --precision bf16 --output DIR]
set -euo pipefail
# --clip-grad 0: the bundle was trained before gradient clipping became the default (12); without it
# the retrained parameters would not be the committed ones.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/sample-scans/models/tooth-root-unet2d"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
settings=(--arch unet2d --depth 4 --filters 12 --patch-size 160x160 --batch 4 --epochs 40 --iterations 50
  --lr 0.001 --optimizer ADAMW --schedule POLY --loss DICE_CE --patience 15 --seed 42 --device cpu --clip-grad 0)
if [ "${1:-}" = --precision ]; then
  [ "${2:-}" = bf16 ] && [ "${3:-}" = --output ] && [ -n "${4:-}" ] && [ ! -e "$4" ] \
    || { echo "usage: $0 --precision bf16 --output NEW_DIR" >&2; exit 2; }
  "$root/medseg" train --data "$root/sample-scans/data/Dataset001_ToothRoot" --output "$4" "${settings[@]}" \
    --precision bf16
  exit 0
fi
MEDSEG_CPU_ISA=avx2 "$root/medseg" train --data "$root/sample-scans/data/Dataset001_ToothRoot" --output "$tmp/model" \
  "${settings[@]}"
if [ "${1:-}" = "--replace" ] || [ ! -d "$target" ]; then
  rm -rf "$target"
  mkdir -p "$(dirname "$target")"
  cp -r "$tmp/model" "$target"
  echo "wrote $target"
elif cmp -s "$tmp/model/parameters.params" "$target/parameters.params"; then
  echo "retrained parameters are bit-for-bit identical to $target"
  # the training domain is the last entry of model.json (scripts/record-training-domains.sh writes the bundled ones)
  if cmp -s <(sed -n '/"domain"/,$p' "$tmp/model/model.json") <(sed -n '/"domain"/,$p' "$target/model.json"); then
    echo "the recorded training domain is identical too"
  else
    echo "the recorded training domain DIFFERS from $target/model.json's" >&2
    exit 1
  fi
else
  echo "retrained parameters DIFFER from $target (a CPU without AVX2, or another libtorch build?); run with --replace to update" >&2
  exit 1
fi
