#!/usr/bin/env bash
# medseg next to nnU-Net's own predictor on one whole CT (512x512x300 at 0.8x0.8x2.5 mm) with a model
# of nnU-Net's default 3d_fullres topology (plans from nnU-Net's planner, seeded random weights:
# scripts/nnunet/bench_model.py), fold 0, mirroring off, both on the CPU, one after the other on this
# machine: wall time and peak resident memory (GNU time), and the share of voxels where the masks agree.
# Needs the venv of scripts/nnunet/make-fixtures.sh (NNUNET_VENV). Takes tens of minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${NNUNET_VENV:-/work/nnunet-venv}"
[ -x "$VENV/bin/python" ] || { echo "error: no venv at $VENV; run scripts/nnunet/make-fixtures.sh first" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
export PATH="$VENV/bin:$PATH" MPLCONFIGDIR="$work/mpl"
[ -f "$work/ct/ct_0000.nii.gz" ] || "$VENV/bin/python" "$root/scripts/nnunet/bench_model.py" "$work"
model="$(ls -d "$work"/nnUNet_results/Dataset995_BenchCT/nnUNetTrainer__nnUNetPlans__3d_fullres)"
rm -rf "$work/out_nnunet" "$work/out_medseg"
"$root/medseg" models >/dev/null # builds medseg once, outside the timing
cat > "$work/predict.py" <<'PY'
import sys, torch
from nnunetv2.inference.predict_from_raw_data import nnUNetPredictor
if __name__ == "__main__":
    p = nnUNetPredictor(tile_step_size=0.5, use_gaussian=True, use_mirroring=False, perform_everything_on_device=False,
                        device=torch.device("cpu"), verbose=False, allow_tqdm=False)
    p.initialize_from_trained_model_folder(sys.argv[1], use_folds=(0,), checkpoint_name="checkpoint_final.pth")
    p.predict_from_files_sequential(sys.argv[2], sys.argv[3], save_probabilities=False, overwrite=True)
PY
mkdir -p "$work/out_nnunet"
/usr/bin/time -f "nnunet %e s %M kB" -o "$work/time_nnunet.txt" \
  "$VENV/bin/python" "$work/predict.py" "$model" "$work/ct" "$work/out_nnunet" > "$work/nnunet.log" 2>&1
/usr/bin/time -f "medseg %e s %M kB" -o "$work/time_medseg.txt" \
  "$root/medseg" segment --model "$model" --folds 0 --disable-tta --device cpu --input "$work/ct" \
  --output "$work/out_medseg" > "$work/medseg.log" 2>&1
cat "$work/time_nnunet.txt" "$work/time_medseg.txt"
"$VENV/bin/python" - "$work" <<'PY'
import sys, nibabel as nib, numpy as np
w = sys.argv[1]
a = np.asarray(nib.load(f"{w}/out_nnunet/ct.nii.gz").dataobj); b = np.asarray(nib.load(f"{w}/out_medseg/ct.nii.gz").dataobj)
t = dict(l.split()[0:2] for l in open(f"{w}/time_nnunet.txt")), dict(l.split()[0:2] for l in open(f"{w}/time_medseg.txt"))
tn = float(open(f"{w}/time_nnunet.txt").read().split()[1]); tm = float(open(f"{w}/time_medseg.txt").read().split()[1])
mn = float(open(f"{w}/time_nnunet.txt").read().split()[3]); mm = float(open(f"{w}/time_medseg.txt").read().split()[3])
print(f"time medseg/nnU-Net {tm / tn:.2f} ({tm:.0f} s / {tn:.0f} s); peak memory medseg/nnU-Net {mm / mn:.2f} "
      f"({mm / 1e6:.2f} GB / {mn / 1e6:.2f} GB); masks agree on {np.mean(a == b) * 100:.4f} % of {a.size} voxels")
PY
