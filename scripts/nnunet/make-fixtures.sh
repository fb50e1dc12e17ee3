#!/usr/bin/env bash
# Generates small but real nnU-Net v2 fixtures with nnU-Net's own code: synthetic raw datasets,
# nnU-Net plans (planner output and a "Tiny" copy with fewer features per stage), trained model
# folders (nnUNetTrainer, shortened), a model zip, nnU-Net's predictions and probabilities, exact
# intermediate arrays, hostile/broken checkpoints and a checkpoint determinism check.
# What comes out and why: README.md beside this script. About 18 minutes on 2 cores (plus the venv the first time).
# Usage: scripts/nnunet/make-fixtures.sh OUT_DIR
#   NNUNET_VENV (default /work/nnunet-venv) venv, created and filled if missing or stale
#   NNUNET_FIXTURES_WORK (default OUT_DIR-work) nnU-Net raw/preprocessed/results, wiped on every run
#   NNUNET_MIRRORS (default /work/.mirror) bare git mirrors MIC-DKFZ+<repo>/repo
set -euo pipefail

OUT="${1:?usage: make-fixtures.sh OUT_DIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${NNUNET_VENV:-/work/nnunet-venv}"
MIRRORS="${NNUNET_MIRRORS:-/work/.mirror}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
WORK="${NNUNET_FIXTURES_WORK:-$OUT-work}"
started=$(date +%s)

# Pinned sources. nnU-Net's HEAD wants acvl-utils>=0.2.6, the newest acvl_utils here is 0.2.5:
# patch_acvl_utils.py adds the one keyword nnU-Net uses from 0.2.6.
declare -A COMMITS=(
  [nnUNet]=0e495086eb108ff79afe106291e8c15bd2f2bc3a                        # nnunetv2 2.8.1 + 6 commits
  [dynamic-network-architectures]=d35f85c7b92cbf3e9443b412fdc7c81f8e2e7b12 # v0.4.4
  [acvl_utils]=e70301e7fc916f87558ad69272f606077aef856d                    # 0.2.5 (+ patch)
  [batchgenerators]=9dc3d49b68ea11e0f37c14d5b75658d9eb364a5e               # 0.25.3
  [batchgeneratorsv2]=3cb4f07aeac967737d694061533536d0d680568e             # 0.3.5
)

# Refuse to wipe a directory that is not ours.
if [ -n "$(ls -A "$OUT")" ] && [ ! -f "$OUT/manifest.json" ]; then
  echo "error: $OUT is not empty and has no manifest.json from an earlier run; not wiping it" >&2
  exit 1
fi

log() { echo "[make-fixtures $(date +%H:%M:%S)] $*"; }

# ---------------------------------------------------------------------------------------------
# venv: pinned wheels from the local indexes, nnU-Net & co. from the mirrors, stubs, patch, trainer.
# A stamp of everything that goes in decides whether to rebuild it.
pip_index=()
if [ -d /opt/pypi/simple ]; then
  # the default index (PyPI) is unreachable here; naming the local ones first avoids minutes of retries
  pip_index=(--index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple --find-links /opt/wheels)
fi
stamp_src="$(cat "$here/requirements.txt" "$here/patch_acvl_utils.py" "$here/trainer_fixture.py"; \
  find "$here/stubs" -type f -name '*.py' | sort | xargs cat; declare -p COMMITS)"
stamp="$(printf '%s' "$stamp_src" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.medseg-fixture-stamp" 2>/dev/null)" != "$stamp" ]; then
  log "setting up $VENV"
  PY="${PYTHON:-$(pyenv which python3.11 2>/dev/null || command -v python3.11)}"
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --no-deps "${pip_index[@]}" -r "$here/requirements.txt"
  rm -rf "$VENV/src"; mkdir -p "$VENV/src"
  for repo in "${!COMMITS[@]}"; do
    git_dir="$MIRRORS/MIC-DKFZ+$repo/repo"
    git --git-dir="$git_dir" cat-file -e "${COMMITS[$repo]}^{commit}" \
      || { echo "error: commit ${COMMITS[$repo]} not in $git_dir" >&2; exit 1; }
    mkdir -p "$VENV/src/$repo"
    git --git-dir="$git_dir" archive "${COMMITS[$repo]}" | tar -x -C "$VENV/src/$repo"
  done
  "$VENV/bin/python" "$here/patch_acvl_utils.py" "$VENV/src/acvl_utils"
  for repo in acvl_utils batchgenerators batchgeneratorsv2 dynamic-network-architectures nnUNet; do
    "$VENV/bin/pip" install -q --no-deps --no-build-isolation --force-reinstall "${pip_index[@]}" "$VENV/src/$repo"
  done
  site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  for stub in SimpleITK timm cc3d; do rm -rf "${site:?}/$stub"; cp -r "$here/stubs/$stub" "$site/$stub"; done
  # nnU-Net finds trainers by class name under training/nnUNetTrainer, so the trainer must live there
  tdir="$site/nnunetv2/training/nnUNetTrainer/variants/medseg_fixture"
  mkdir -p "$tdir"; : > "$tdir/__init__.py"
  cp "$here/trainer_fixture.py" "$tdir/nnUNetTrainer_Fixture.py"
  echo "$stamp" > "$VENV/.medseg-fixture-stamp"
fi
PY="$VENV/bin/python"
export PATH="$VENV/bin:$PATH"

# ---------------------------------------------------------------------------------------------
rm -rf "$WORK" "${OUT:?}"/*
mkdir -p "$WORK/logs"
export nnUNet_raw="$WORK/nnUNet_raw" nnUNet_preprocessed="$WORK/nnUNet_preprocessed" nnUNet_results="$WORK/nnUNet_results"
# one thread everywhere: repeatable float sums, and two trainings can run side by side on 2 cores
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 nnUNet_def_n_proc=1 nnUNet_compile=f
# nnU-Net's progress.png is a 30x54 inch figure: 12 dpi keeps it legible at ~40 kB instead of ~350 kB
printf 'backend: Agg\nsavefig.dpi: 12\n' > "$WORK/matplotlibrc"
export MATPLOTLIBRC="$WORK/matplotlibrc" MPLCONFIGDIR="$WORK/mpl"

log "datasets"
"$PY" "$here/fixtures.py" datasets "$nnUNet_raw"
# the planner sets torch threads to nnUNet_n_proc_DA and fails on 0
export nnUNet_n_proc_DA=1
log "fingerprints and plans"
nnUNetv2_extract_fingerprint -d 991 992 993 -np 1 --verify_dataset_integrity --no_pbar > "$WORK/logs/fingerprint.log" 2>&1
nnUNetv2_plan_experiment -d 991 992 993 > "$WORK/logs/plan.log" 2>&1
nnUNetv2_plan_experiment -d 991 -pl nnUNetPlannerResEncM > "$WORK/logs/plan_resenc.log" 2>&1
"$PY" "$here/fixtures.py" tiny-plans "$nnUNet_preprocessed"
log "preprocessing"
nnUNetv2_preprocess -d 991 -plans_name nnUNetPlansTiny -c 3d_fullres -np 1 --no_pbar > "$WORK/logs/pp_991.log" 2>&1
nnUNetv2_preprocess -d 991 -plans_name nnUNetResEncUNetTinyPlans -c 3d_fullres -np 1 --no_pbar > "$WORK/logs/pp_991_resenc.log" 2>&1
nnUNetv2_preprocess -d 992 -plans_name nnUNetPlansTiny -c 2d -np 1 --no_pbar > "$WORK/logs/pp_992.log" 2>&1
nnUNetv2_preprocess -d 993 -plans_name nnUNetPlansTiny -c 3d_fullres -np 1 --no_pbar > "$WORK/logs/pp_993.log" 2>&1
# 3d_fullres too: a 3d_lowres trainer with a next stage predicts its validation cases for the cascade at full resolution
nnUNetv2_preprocess -d 991 -plans_name nnUNetPlansTinyLowres -c 3d_lowres 3d_fullres -np 1 1 --no_pbar > "$WORK/logs/pp_991_lowres.log" 2>&1

# ---------------------------------------------------------------------------------------------
# Training: every job twice, into nnUNet_results and nnUNet_results_rerun (with its own copy of the
# preprocessed data, so the two lanes never race on splits_final.json), one lane per core.
export nnUNet_n_proc_DA=0  # batches in the main process: no worker processes, repeatable order
cp -r "$nnUNet_preprocessed" "$WORK/nnUNet_preprocessed_rerun"
jobs_list=(
  "991 3d_fullres 0 nnUNetPlansTiny" "991 3d_fullres 1 nnUNetPlansTiny"
  "991 3d_fullres 0 nnUNetResEncUNetTinyPlans" "991 3d_fullres 1 nnUNetResEncUNetTinyPlans"
  "992 2d 0 nnUNetPlansTiny" "992 2d 1 nnUNetPlansTiny"
  "993 3d_fullres 0 nnUNetPlansTiny" "991 3d_lowres 0 nnUNetPlansTinyLowres"
)
train_lane() {  # $1 results root, $2 preprocessed root, $3 lane name
  for job in "${jobs_list[@]}"; do
    read -r ds cfg fold plans <<< "$job"
    logf="$WORK/logs/train_$3_${ds}_${plans}_${cfg}_f${fold}.log"
    if ! nnUNet_results="$1" nnUNet_preprocessed="$2" \
        nnUNetv2_train "$ds" "$cfg" "$fold" -tr nnUNetTrainer_Fixture -p "$plans" -device cpu > "$logf" 2>&1; then
      echo "error: training failed: $job ($3), log $logf" >&2; tail -30 "$logf" >&2; return 1
    fi
    echo "[make-fixtures $(date +%H:%M:%S)] trained ($3) $job: $(grep -o 'Mean Validation Dice: .*' "$logf")"
  done
}
log "training (2 lanes)"
train_lane "$nnUNet_results" "$nnUNet_preprocessed" main & lane_main=$!
train_lane "$WORK/nnUNet_results_rerun" "$WORK/nnUNet_preprocessed_rerun" rerun & lane_rerun=$!
rc=0; wait "$lane_main" || rc=1; wait "$lane_rerun" || rc=1
[ "$rc" = 0 ] || exit 1

log "determinism check"
"$PY" "$here/fixtures.py" compare "$nnUNet_results" "$WORK/nnUNet_results_rerun" "$OUT/determinism.json"

log "model zip (nnUNetv2_export_model_to_zip)"
mkdir -p "$OUT/model_zips"
nnUNetv2_export_model_to_zip -d 992 -o "$OUT/model_zips/Dataset992_Tiny2D__nnUNetTrainer_Fixture__nnUNetPlansTiny__2d.zip" \
  -c 2d -tr nnUNetTrainer_Fixture -p nnUNetPlansTiny -f 0 1 > "$WORK/logs/export.log" 2>&1

log "test images and predictions"
"$PY" "$here/fixtures.py" test-images "$OUT/test_images"
"$PY" "$here/fixtures.py" predict "$nnUNet_results" "$OUT/test_images" "$OUT/predictions" > "$WORK/logs/predict.log" 2>&1 \
  || { tail -30 "$WORK/logs/predict.log" >&2; exit 1; }
log "intermediate arrays"
"$PY" "$here/fixtures.py" intermediates "$nnUNet_results" "$OUT/test_images" "$OUT/intermediates" > "$WORK/logs/intermediates.log" 2>&1 \
  || { tail -30 "$WORK/logs/intermediates.log" >&2; exit 1; }
log "training cases"
"$PY" "$here/fixtures.py" training-cases "$nnUNet_results" "$OUT/test_images" "$OUT/training_cases" > "$WORK/logs/training-cases.log" 2>&1 \
  || { tail -30 "$WORK/logs/training-cases.log" >&2; exit 1; }
log "broken checkpoints"
"$PY" "$here/fixtures.py" broken "$nnUNet_results" "$OUT/broken"

# ---------------------------------------------------------------------------------------------
log "collecting model folders and plans"
mkdir -p "$OUT/nnUNet_results"
cp -r "$nnUNet_results"/Dataset* "$OUT/nnUNet_results/"
# size: checkpoint_best.pth stays only for the 2D model's fold 0 (the smallest checkpoint); everything
# else keeps checkpoint_final.pth, which is what nnU-Net's predictor and export use by default
find "$OUT/nnUNet_results" -name checkpoint_best.pth ! -path '*Dataset992_Tiny2D*/fold_0/*' -delete
# the lowres trainer's masks for a cascade's second stage (its validation cases at full resolution)
rm -rf "$OUT"/nnUNet_results/*/*/fold_*/predicted_next_stage
for ds in Dataset991_TinyCT Dataset992_Tiny2D Dataset993_TinyCTZFirst; do
  mkdir -p "$OUT/plans/$ds"
  cp "$nnUNet_preprocessed/$ds"/*.json "$OUT/plans/$ds/"
  cp "$nnUNet_raw/$ds/dataset.json" "$OUT/plans/$ds/raw_dataset.json"
done

ended=$(date +%s)
"$PY" - "$OUT/versions.json" "$started" "$ended" <<EOF
import json, sys, platform, importlib.metadata as md
names = ["torch", "numpy", "scipy", "scikit-image", "nibabel", "blosc2", "pillow", "nnunetv2",
         "dynamic_network_architectures", "acvl_utils", "batchgenerators", "batchgeneratorsv2"]
json.dump({"python": platform.python_version(),
           "packages": {n: md.version(n) for n in names},
           "commits": {$(for r in "${!COMMITS[@]}"; do printf '"%s": "%s", ' "$r" "${COMMITS[$r]}"; done)},
           "acvl_utils_patch": "crop_and_pad_nd(..., cast_cropped_to=None) added (patch_acvl_utils.py)",
           "stubs": ["SimpleITK", "timm", "cc3d"],
           "generation_seconds": int(sys.argv[3]) - int(sys.argv[2])},
          open(sys.argv[1], "w"), indent=2)
EOF
cp "$here/README.md" "$OUT/README.md"
"$PY" "$here/fixtures.py" manifest "$OUT" "$OUT/versions.json"
log "done in $((ended - started)) s: $OUT"
du -sh "$OUT"/*; du -sh "$OUT"
