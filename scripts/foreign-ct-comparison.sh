#!/usr/bin/env bash
# How do the bundled CT models do on CT they were not made for, next to a PyTorch reference trained
# with the same budget? Generates independent phantoms with scripts/foreign_ct_phantoms.py (another
# anatomy model, in-plane 0.6-1.6 mm, slices 0.8-5 mm, stored LPS/RAS, top-down, coronal, sagittal,
# oblique), segments them with every bundled CT model (abdomen-ct-unet3d, abdomen-ct-vnet when present)
# and with the PyTorch reference (scripts/pytorch_reference_ct.py: the same network as abdomen-ct-unet3d,
# pre-processing, sampling, augmentation, loss, optimiser and 1200 steps, on the same 40 training
# phantoms), scores all of them with `medseg evaluate`, on the foreign phantoms and on the bundled test
# CTs, and writes DIR/results.csv and DIR/results.md (the table in docs/experiments/ct-foreign-phantoms.md).
# Training the reference takes about an hour on 2 cores; pass --reference PREFIX to reuse a trained one
# (PREFIX.pt and PREFIX.json, as its train command writes them). Nothing existing is overwritten.
# Usage: scripts/foreign-ct-comparison.sh [OUTPUT_DIR] [--cases 12] [--seed 7] [--reference PREFIX]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-foreign-ct-comparison}"
[ $# -gt 0 ] && shift
cases=12
seed=7
reference=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cases) cases="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --reference) reference="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -e "$out" ]; then
  echo "$out exists; remove it or give another folder (nothing is overwritten)" >&2
  exit 1
fi
python=/usr/bin/python3
"$python" -c "import torch, numpy, scipy" 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-torch python3-numpy python3-scipy; }
medseg="$root/medseg"
work="$out.partial"
rm -rf "$work"
mkdir -p "$work"
# the allocator settings medseg train uses (docs/benchmarks.md, 3D benchmark), for the reference's training too
export MALLOC_ARENA_MAX=1 GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736

"$python" "$root/scripts/foreign_ct_phantoms.py" --cases "$cases" --seed "$seed" --output "$work/foreign"
if [ -z "$reference" ]; then
  # the 40 training phantoms of scripts/train-ct-model.sh, bit for bit
  "$medseg" generate-ct --cases 40 --matrix 128 --slices 2.5,3,4,5 --seed 1000 --abdomen-only \
    --output "$work/Dataset003_AbdomenCTTrain" --quiet
  "$python" "$root/scripts/pytorch_reference_ct.py" train --data "$work/Dataset003_AbdomenCTTrain" \
    --output "$work/pytorch-reference/abdomen-ct" --threads 2
  reference="$work/pytorch-reference/abdomen-ct"
fi

own="$root/sample-scans/data/Dataset002_AbdomenCT"
models=(abdomen-ct-unet3d)
[ -d "$root/sample-scans/models/abdomen-ct-vnet" ] && models+=(abdomen-ct-vnet)
echo "test_set,model,liver_dice_mean,liver_dice_sd,liver_hd95_mean,kidney_dice_mean,kidney_dice_sd,kidney_hd95_mean,cases" \
  > "$work/results.csv"
for set in foreign own; do
  if [ "$set" = foreign ]; then data="$work/foreign"; else data="$own"; fi
  for model in "${models[@]}" pytorch-reference; do
    run="$work/$set/$model"
    mkdir -p "$run"
    if [ "$model" = pytorch-reference ]; then
      "$python" "$root/scripts/pytorch_reference_ct.py" segment --model "$reference" --input "$data/imagesTs" \
        --output "$run/masks" --threads 2 > "$run/segment.txt"
    else
      "$medseg" segment --model "$model" --input "$data/imagesTs" --output "$run/masks" --quiet > "$run/segment.txt"
    fi
    "$medseg" evaluate --reference "$data/labelsTs" --prediction "$run/masks" --images "$data/imagesTs" \
      --labels "$data/dataset.json" --output "$run/evaluation" > "$run/evaluate.txt"
    "$python" - "$run/evaluation/summary.csv" "$set" "$model" >> "$work/results.csv" <<'EOF'
import csv, sys
summary, test_set, model = sys.argv[1:]
rows = list(csv.DictReader(open(summary)))
def value(label, metric, column):
    row = next(r for r in rows if r["label"] == label and r["metric"] == metric)
    return float(row[column]) if row[column] not in ("", "nan", "NaN") else float("nan")
cases = next(r for r in rows if r["label"] == "1" and r["metric"] == "dice")["count"]
print("%s,%s,%.4f,%.4f,%.1f,%.4f,%.4f,%.1f,%s" % (test_set, model,
      value("1", "dice", "mean"), value("1", "dice", "std"), value("1", "hd95", "mean"),
      value("2", "dice", "mean"), value("2", "dice", "std"), value("2", "hd95", "mean"), cases))
EOF
    tail -n 1 "$work/results.csv"
  done
done
"$python" - "$work/results.csv" "$work/results.md" <<'EOF'
import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
names = {"foreign": "foreign phantoms", "own": "bundled test CTs"}
def dice(mean, sd):  # one case has no spread: "–", as medseg's reports print it
    return "%.3f ± %s" % (float(mean), "–" if math.isnan(float(sd)) else "%.3f" % float(sd))
with open(sys.argv[2], "w") as f:
    f.write("| test set | model | liver Dice | liver HD95 | kidney Dice | kidney HD95 |\n|---|---|---|---|---|---|\n")
    for r in rows:
        f.write("| %s (%s) | %s | %s | %.1f mm | %s | %.1f mm |\n" % (
            names[r["test_set"]], r["cases"], r["model"], dice(r["liver_dice_mean"], r["liver_dice_sd"]),
            float(r["liver_hd95_mean"]), dice(r["kidney_dice_mean"], r["kidney_dice_sd"]), float(r["kidney_hd95_mean"])))
print(open(sys.argv[2]).read())
EOF
mv "$work" "$out"
echo "wrote $out/results.md"
