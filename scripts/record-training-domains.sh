#!/usr/bin/env bash
# Records in each bundled model's model.json the training domain of the data it was trained on
# (`medseg domain --record-from`): the committed tooth-root dataset, and for the CT models the 40
# training phantoms of scripts/train-ct-model.sh, regenerated bit for bit (seed 1000). Bundles
# trained after bundles recorded their domain have it already; this brings the bundled ones, which
# are older, to the same state without retraining. About two minutes.
# Usage: scripts/record-training-domains.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models="$root/sample-scans/models"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/medseg" domain --model "$models/tooth-root-unet2d" --record-from "$root/sample-scans/data/Dataset001_ToothRoot" \
  --overwrite
"$root/medseg" generate-ct --cases 40 --matrix 128 --slices 2.5,3,4,5 --seed 1000 --abdomen-only \
  --output "$tmp/Dataset003_AbdomenCTTrain" --quiet
for arch in unet3d vnet; do
  "$root/medseg" domain --model "$models/abdomen-ct-$arch" --record-from "$tmp/Dataset003_AbdomenCTTrain" --overwrite
done
