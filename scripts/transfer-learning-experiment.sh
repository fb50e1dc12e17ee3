#!/usr/bin/env bash
# Does fine-tuning from a bundled model help a new task with few labels? Two tasks:
#   --task root-canal (default): the root canal (a thin dark channel inside each root, drawn by the same
#     radiograph generator) from the bundled tooth-root U-Net (tooth-root-unet2d); N labelled radiographs,
#     16 fixed test radiographs; the scratch network is a U-Net of depth 4 with 12 filters.
#   --task kidney-ct: the kidney alone on CT (`medseg generate-ct --organs kidney`, phantoms none of which
#     the CT model saw) from the bundled liver + kidney 3D U-Net (abdomen-ct-unet3d); N labelled CTs,
#     8 fixed test CTs; the scratch network is the parent's (unet3d, 16 filters up to 64, 3x3x4 mm, 32x96x96).
# For each N it trains the same network with the same budget of optimiser steps three ways: from
# scratch, fine-tuned from the parent, and fine-tuned with the encoder frozen; then segments the test
# cases and reports their Dice (mean and SD over cases). Everything is seeded: a rerun gives the same
# table on this machine. Writes DIR/results.csv, DIR/results.md (the table in docs/experiments/transfer-learning.md) and DIR/transfer-learning.png.
# About 20 minutes on 2 cores for root-canal (12 runs of ~1.5 min), about 50 for kidney-ct (9 runs of ~5 min).
# Needs python3-matplotlib for the plot (installed here when missing).
# Usage: scripts/transfer-learning-experiment.sh [OUTPUT_DIR] [--task root-canal|kidney-ct] [--sizes 2,4,8,16]
#        [--epochs 10] [--iterations 25]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-transfer-learning}"
[ $# -gt 0 ] && shift
task=root-canal
sizes=""
epochs=""
iterations=""
while [ $# -gt 0 ]; do
  case "$1" in
    --task) task="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --iterations) iterations="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$task" in
  root-canal)
    parent=tooth-root-unet2d
    scratch=(--arch unet2d --depth 4 --filters 12)
    shape=(--patch-size 160x160 --batch 4)
    image_name=case_%03d_0000.png
    label_name=case_%03d.png
    sizes="${sizes:-2,4,8,16}" epochs="${epochs:-10}" iterations="${iterations:-25}"
    what="Root canal" unit="radiographs" tests=16 dataset=Dataset004_RootCanal ;;
  kidney-ct)
    parent=abdomen-ct-unet3d
    scratch=(--arch unet3d --filters 16 --max-filters 64 --spacing 3x3x4)
    shape=(--patch-size 96x96x32 --batch 2)
    image_name=ct_%03d_0000.nii.gz
    label_name=ct_%03d.nii.gz
    sizes="${sizes:-2,4,8}" epochs="${epochs:-6}" iterations="${iterations:-20}"
    what="Kidney on CT" unit="CTs" tests=8 dataset=Dataset006_Kidney ;;
  *) echo "unknown --task $task (root-canal or kidney-ct)" >&2; exit 2 ;;
esac
if [ -e "$out" ]; then
  echo "$out exists; remove it or give another folder (nothing is overwritten)" >&2
  exit 1
fi
/usr/bin/python3 -c "import matplotlib" 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-matplotlib; }
medseg="$root/medseg"
work="$out.partial"
rm -rf "$work"
mkdir -p "$work"
largest=$(echo "${sizes//,/ }" | tr ' ' '\n' | sort -n | tail -n 1)
if [ "$task" = root-canal ]; then
  # one pool of labelled training radiographs (seed 4000 + k) and 16 test radiographs (seed 5000 + j),
  # none of them in the tooth-root model's training set (seed 2015 + k)
  "$medseg" generate-dental --structure root-canal --cases "$largest" --test "$tests" --seed 4000 --test-seed-offset 1000 \
    --output "$work/pool" >/dev/null
else
  # labelled training CTs (seed 3000 + k) and 8 test CTs after them, the CT model's acquisition (128²
  # matrix, 2.5-5 mm slices); the model was trained on seeds 1000-1039, its test cases are 2026-2030
  "$medseg" generate-ct --organs kidney --cases "$largest" --test "$tests" --matrix 128 --slices 2.5,3,4,5 --seed 3000 --abdomen-only \
    --output "$work/pool" --quiet >/dev/null
fi
echo "dice_mean,dice_sd" > "$work/parent.csv"
if [ "$task" = kidney-ct ]; then
  # the parent as it is already segments the kidney (its label 2): its Dice on the same test CTs, labelled
  # with both organs (the same seeds give the same images bit for bit), is the line to beat
  "$medseg" generate-ct --cases "$largest" --test "$tests" --matrix 128 --slices 2.5,3,4,5 --seed 3000 --abdomen-only \
    --output "$work/pool-both" --quiet >/dev/null
  "$medseg" segment --model "$parent" --input "$work/pool-both/imagesTs" --output "$work/parent-masks" --quiet >/dev/null
  "$medseg" evaluate --reference "$work/pool-both/labelsTs" --prediction "$work/parent-masks" \
    --output "$work/parent-evaluation" --no-surface-distances >/dev/null
  /usr/bin/python3 -c '
import csv, sys
row = next(r for r in csv.DictReader(open(sys.argv[1])) if r["label"] == "2" and r["metric"] == "dice")
print("%.4f,%.4f" % (float(row["mean"]), float(row["std"])))' "$work/parent-evaluation/summary.csv" >> "$work/parent.csv"
  echo "parent $parent as is, kidney Dice (mean, SD): $(tail -n 1 "$work/parent.csv")"
fi
echo "N,variant,test_dice_mean,test_dice_sd,validation_dice,best_epoch,minutes" > "$work/results.csv"
for n in ${sizes//,/ }; do
  data="$work/${dataset}_N$n"
  mkdir -p "$data/imagesTr" "$data/labelsTr"
  cp -r "$work/pool/imagesTs" "$work/pool/labelsTs" "$data/"
  sed "s/\"numTraining\": $largest/\"numTraining\": $n/" "$work/pool/dataset.json" > "$data/dataset.json"
  for ((k = 0; k < n; k++)); do
    # shellcheck disable=SC2059
    cp "$work/pool/imagesTr/$(printf "$image_name" "$k")" "$data/imagesTr/"
    # shellcheck disable=SC2059
    cp "$work/pool/labelsTr/$(printf "$label_name" "$k")" "$data/labelsTr/"
  done
  for variant in scratch fine-tuned fine-tuned-frozen-encoder; do
    case "$variant" in
      scratch) init=("${scratch[@]}") ;;
      fine-tuned) init=(--init-from "$parent") ;;
      fine-tuned-frozen-encoder) init=(--init-from "$parent" --freeze encoder) ;;
    esac
    run="$work/N$n-$variant"
    mkdir -p "$run"
    start=$(date +%s.%N)
    "$medseg" train --data "$data" --output "$run/model" "${init[@]}" "${shape[@]}" \
      --epochs "$epochs" --iterations "$iterations" --lr 0.001 --optimizer ADAMW --schedule POLY --loss DICE_CE \
      --patience 0 --validation-fraction 0.2 --seed 42 --device cpu --clip-grad 0 --quiet > "$run/train.txt"
    minutes=$(echo "($(date +%s.%N) - $start) / 60" | bc -l)
    "$medseg" segment --model "$run/model" --input "$data/imagesTs" --output "$run/masks" --quiet > /dev/null
    "$medseg" evaluate --reference "$data/labelsTs" --prediction "$run/masks" --output "$run/evaluation" \
      --no-surface-distances > /dev/null
    /usr/bin/python3 - "$run" "$n" "$variant" "$minutes" >> "$work/results.csv" <<'EOF'
import csv, json, sys
run, n, variant, minutes = sys.argv[1:]
row = next(r for r in csv.DictReader(open(run + "/evaluation/summary.csv")) if r["label"] == "1" and r["metric"] == "dice")
model = json.load(open(run + "/model/model.json"))
print("%s,%s,%.4f,%.4f,%.4f,%d,%.2f" % (n, variant, float(row["mean"]), float(row["std"]),
      model["metrics"]["validation_dice"], model["metrics"]["best_epoch"], float(minutes)))
EOF
    tail -n 1 "$work/results.csv"
  done
done
/usr/bin/python3 - "$work" "$epochs" "$iterations" "$what" "$unit" "$tests" "$parent" <<'EOF'
import csv, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
work, epochs, iterations, what, unit, tests, parent = sys.argv[1:]
rows = list(csv.DictReader(open(work + "/results.csv")))
parent_row = next(iter(csv.DictReader(open(work + "/parent.csv"))), None)
variants = ["scratch", "fine-tuned", "fine-tuned-frozen-encoder"]
sizes = sorted({int(r["N"]) for r in rows})
cell = {(int(r["N"]), r["variant"]): r for r in rows}
with open(work + "/results.md", "w") as f:
    f.write("| labelled %s N | " % unit + " | ".join(variants) + " |\n|---|" + "---|" * len(variants) + "\n")
    for n in sizes:
        f.write("| %d | " % n + " | ".join("%.3f ± %.3f" % (float(cell[n, v]["test_dice_mean"]),
                float(cell[n, v]["test_dice_sd"])) for v in variants) + " |\n")
    if parent_row:
        f.write("\n%s as it is (no training on this task): %.3f ± %.3f\n" % (parent, float(parent_row["dice_mean"]),
                float(parent_row["dice_sd"])))
fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=120)
for v, style in zip(variants, ["o-", "s-", "^-"]):
    means = [float(cell[n, v]["test_dice_mean"]) for n in sizes]
    sds = [float(cell[n, v]["test_dice_sd"]) for n in sizes]
    ax.errorbar(sizes, means, yerr=sds, fmt=style, capsize=3, label=v)
ax.set_xscale("log", base=2)
ax.set_xticks(sizes)
ax.set_xticklabels([str(n) for n in sizes])
ax.set_xlabel("Labelled %s N (a fifth, at least one, held out for validation)" % unit)
ax.set_ylabel("%s Dice on %s test %s" % (what, tests, unit))
ax.set_title("%s: from scratch vs fine-tuned from %s\n(%s epochs x %s steps each)"
             % (what, parent, epochs, iterations), fontsize=10)
# the differences are a few hundredths: start the axis just below the lowest mean − SD (stated on the axis)
low = min(float(r["test_dice_mean"]) - float(r["test_dice_sd"]) for r in rows)
ax.set_ylim(max(0.0, int(low * 20) / 20 - 0.05), 1.0)
ax.grid(alpha=0.3)
if parent_row:
    ax.axhline(float(parent_row["dice_mean"]), color="grey", linestyle="--", label=parent + " as it is")
ax.legend(loc="best")
fig.tight_layout()
fig.savefig(work + "/transfer-learning.png")
EOF
mv "$work" "$out"
cat "$out/results.md"
echo "wrote $out/results.csv, results.md and transfer-learning.png"
