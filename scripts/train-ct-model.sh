#!/usr/bin/env bash
# Retrains a bundled abdominal CT model (liver, kidney) and compares its parameters with the
# committed bundle: abdomen-ct-unet3d (nnU-Net's 3D U-Net, the default) or, with --arch vnet,
# abdomen-ct-vnet (the V-Net of Milletari et al., 5x5x5 residual stages with PReLU, at 6 base filters and
# three down stages with MONAI's lighter convolution counts 1, 2, 2 / 2, 2, 1, and instance normalisation
# after every convolution as nnU-Net's (without it, the paper's setting, validation Dice was 0.83 after this
# budget): 1.50 M parameters and 31 GFLOP per 32x96x96 patch, as the 3D U-Net's 1.50 M and 32). The training set is generated
# here, bit for bit the same every time: 40 phantoms of `medseg generate-ct` (seed 1000, 128² matrix
# = 2.4-3.6 mm in-plane, 2.5-5 mm slices), none of them among the committed test cases (seed 2026).
# libtorch's kernels are pinned to AVX2 (MEDSEG_CPU_ISA=avx2) as for the tooth-root model. About an hour each on a 2-core machine.
# The bundles were trained on abdomen-only phantoms (`medseg generate-ct --abdomen-only`); with --lower-chest
# the training phantoms have the lower chest (lung bases, diaphragm, the heart on the liver's dome, the
# scan's top from below the dome to the mid-chest: generate-ct's default); with --output DIR the model goes
# to DIR instead of being compared with (or, with --replace, replacing) the bundled one.
# With --precision bf16 the run trains in bf16 (docs/precision.md) without the AVX2 pin, which has no
# bf16; it needs --output (its parameters are not the bundle's to compare with).
# Usage: scripts/train-ct-model.sh [--arch unet3d|vnet] [--lower-chest] [--precision fp32|bf16] [--replace | --output DIR]
set -euo pipefail
# --clip-grad 0: the bundle was trained before gradient clipping became the default (12); without it
# the retrained parameters would not be the committed ones.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
arch=unet3d
chest=(--abdomen-only)
replace=false
output=""
precision=fp32
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch="$2"; shift 2 ;;
    --lower-chest) chest=(); shift ;;
    --replace) replace=true; shift ;;
    --output) output="$2"; shift 2 ;;
    --precision) precision="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
isa=avx2
case "$precision" in
  fp32) ;;
  bf16) isa=native
    [ -n "$output" ] || { echo "--precision bf16 needs --output DIR (a bf16 model is not compared with the fp32 bundle)" >&2; exit 2; } ;;
  *) echo "unknown --precision $precision (fp32 or bf16)" >&2; exit 2 ;;
esac
if [ -n "$output" ] && [ -e "$output" ]; then
  echo "$output exists; choose a new folder (nothing is overwritten)" >&2
  exit 1
fi
case "$arch" in
  unet3d) network=(--arch unet3d --filters 16 --max-filters 64) ;;
  vnet) network=(--arch vnet --filters 6 --network downConvs=1,2,2 --network upConvs=2,2,1 --network norm=INSTANCE) ;;
  *) echo "unknown --arch $arch (unet3d or vnet)" >&2; exit 2 ;;
esac
target="$root/sample-scans/models/abdomen-ct-$arch"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/medseg" generate-ct --cases 40 --matrix 128 --slices 2.5,3,4,5 --seed 1000 "${chest[@]}" \
  --output "$tmp/Dataset003_AbdomenCTTrain" --quiet
MEDSEG_CPU_ISA=$isa "$root/medseg" train --data "$tmp/Dataset003_AbdomenCTTrain" --output "$tmp/model" \
  "${network[@]}" --spacing 3x3x4 --patch-size 96x96x32 --batch 2 \
  --epochs 24 --iterations 50 --lr 0.001 --optimizer ADAMW --schedule POLY --loss DICE_CE --patience 0 \
  --validation-fraction 0.1 --seed 42 --device cpu --log-file "$tmp/train.log" --clip-grad 0 --precision "$precision"
if [ -n "$output" ]; then
  mkdir -p "$(dirname "$output")"
  cp -r "$tmp/model" "$output"
  cp "$tmp/model.training/history.csv" "$output.history.csv"
  cp "$tmp/train.log" "$output.log"
  echo "wrote $output"
elif [ "$replace" = true ] || [ ! -d "$target" ]; then
  rm -rf "$target"
  mkdir -p "$(dirname "$target")"
  cp -r "$tmp/model" "$target"
  cp "$tmp/model.training/history.csv" "$target.history.csv"
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
