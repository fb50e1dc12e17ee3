#!/usr/bin/env bash
# Does fine-tuning from the bundled tooth-root U-Net help a new task with few labels? The task is the
# root canal (a thin dark channel inside each root, drawn by the same radiograph generator). For
# N = 2, 4, 8, 16 labelled radiographs it trains the same U-Net (depth 4, 12 filters) with the same
# budget of optimiser steps three ways: from scratch, fine-tuned from tooth-root-unet2d, and
# fine-tuned with the encoder frozen; then segments 16 fixed test radiographs and reports their
# Dice (mean and SD over cases). Everything is seeded: a rerun gives the same table on this machine.
# Writes DIR/results.csv, DIR/results.md (the README table) and DIR/transfer-learning.png.
# About 20 minutes on 2 cores (12 runs of ~1.5 min). Needs python3-matplotlib for the plot (installed here).
# Usage: scripts/transfer-learning-experiment.sh [OUTPUT_DIR] [--sizes 2,4,8,16] [--epochs 10] [--iterations 25]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-transfer-learning}"
[ $# -gt 0 ] && shift
sizes=2,4,8,16
epochs=10
iterations=25
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --iterations) iterations="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -e "$out" ]; then
  echo "$out exists; remove it or give another folder (nothing is overwritten)" >&2
  exit 1
fi
/usr/bin/python3 -c "import matplotlib" 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-matplotlib; }
medseg="$root/medseg"
work="$out.partial"
rm -rf "$work"
mkdir -p "$work"
# one pool of 16 labelled training radiographs (seed 4000 + k) and 16 test radiographs (seed 5000 + j),
# none of them in the tooth-root model's training set (seed 2015 + k)
"$medseg" generate-dental --structure root-canal --cases 16 --test 16 --seed 4000 --test-seed-offset 1000 \
  --output "$work/pool" >/dev/null
echo "N,variant,test_dice_mean,test_dice_sd,validation_dice,best_epoch,minutes" > "$work/results.csv"
for n in ${sizes//,/ }; do
  data="$work/Dataset004_RootCanal_N$n"
  mkdir -p "$data/imagesTr" "$data/labelsTr"
  cp -r "$work/pool/imagesTs" "$work/pool/labelsTs" "$data/"
  sed "s/\"numTraining\": 16/\"numTraining\": $n/" "$work/pool/dataset.json" > "$data/dataset.json"
  for ((k = 0; k < n; k++)); do
    id=$(printf "case_%03d" "$k")
    cp "$work/pool/imagesTr/${id}_0000.png" "$data/imagesTr/"
    cp "$work/pool/labelsTr/$id.png" "$data/labelsTr/"
  done
  for variant in scratch fine-tuned fine-tuned-frozen-encoder; do
    case "$variant" in
      scratch) init=(--arch unet2d --depth 4 --filters 12) ;;
      fine-tuned) init=(--init-from tooth-root-unet2d) ;;
      fine-tuned-frozen-encoder) init=(--init-from tooth-root-unet2d --freeze encoder) ;;
    esac
    run="$work/N$n-$variant"
    mkdir -p "$run"
    start=$(date +%s.%N)
    "$medseg" train --data "$data" --output "$run/model" "${init[@]}" --patch 160x160 --batch 4 \
      --epochs "$epochs" --iterations "$iterations" --lr 0.001 --optimizer ADAMW --schedule POLY --loss DICE_CE \
      --patience 0 --validation-fraction 0.2 --seed 42 --device cpu --quiet > "$run/train.txt"
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
/usr/bin/python3 - "$work" "$epochs" "$iterations" <<'EOF'
import csv, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
work, epochs, iterations = sys.argv[1:]
rows = list(csv.DictReader(open(work + "/results.csv")))
variants = ["scratch", "fine-tuned", "fine-tuned-frozen-encoder"]
sizes = sorted({int(r["N"]) for r in rows})
cell = {(int(r["N"]), r["variant"]): r for r in rows}
with open(work + "/results.md", "w") as f:
    f.write("| labelled images N | " + " | ".join(variants) + " |\n|---|" + "---|" * len(variants) + "\n")
    for n in sizes:
        f.write("| %d | " % n + " | ".join("%.3f ± %.3f" % (float(cell[n, v]["test_dice_mean"]),
                float(cell[n, v]["test_dice_sd"])) for v in variants) + " |\n")
fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=120)
for v, style in zip(variants, ["o-", "s-", "^-"]):
    means = [float(cell[n, v]["test_dice_mean"]) for n in sizes]
    sds = [float(cell[n, v]["test_dice_sd"]) for n in sizes]
    ax.errorbar(sizes, means, yerr=sds, fmt=style, capsize=3, label=v)
ax.set_xscale("log", base=2)
ax.set_xticks(sizes)
ax.set_xticklabels([str(n) for n in sizes])
ax.set_xlabel("Labelled training radiographs N (one held out for validation)")
ax.set_ylabel("Root-canal Dice on 16 test radiographs")
ax.set_title("Root canal: from scratch vs fine-tuned from the tooth-root U-Net\n(%s epochs x %s steps each)"
             % (epochs, iterations), fontsize=10)
# the differences are a few hundredths: start the axis just below the lowest mean − SD (stated on the axis)
low = min(float(r["test_dice_mean"]) - float(r["test_dice_sd"]) for r in rows)
ax.set_ylim(max(0.0, int(low * 20) / 20 - 0.05), 1.0)
ax.grid(alpha=0.3)
ax.legend(loc="best")
fig.tight_layout()
fig.savefig(work + "/transfer-learning.png")
EOF
mv "$work" "$out"
cat "$out/results.md"
echo "wrote $out/results.csv, results.md and transfer-learning.png"
