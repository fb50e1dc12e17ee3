#!/usr/bin/env bash
# Regenerates the committed synthetic abdominal CT sample bit for bit and checks it against the
# committed copy:
#   sample-scans/data/Dataset002_AbdomenCT   2 training + 3 test cases (medseg generate-ct, seed 2026,
#                                            128² matrix = 2.4-3.6 mm in-plane, 2.5-5 mm slices: a few MB)
#   sample-scans/data/AbdomenCT_DICOM/ID     the first axial test case as a DICOM CT series (pydicom)
# Usage: scripts/make-ct-sample-data.sh [--replace]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$root/sample-scans/data"
/usr/bin/python3 -c "import pydicom, numpy" 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-pydicom python3-numpy; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/medseg" generate-ct --cases 2 --test 3 --matrix 128 --slices 2.5,3,4,5 --seed 2026 --abdomen-only \
  --output "$tmp/Dataset002_AbdomenCT" --quiet
# the DICOM series: the first test case whose voxel axes are axial with slices bottom-up, so the
# series read back has the same voxel order as the NIfTI labels (the demo compares them directly)
id="$(awk -F, '$2 == "test" && ($6 == "LPS" || $6 ~ /^RAS-like/) { print $1; exit }' "$tmp/Dataset002_AbdomenCT/phantoms.csv")"
[ -n "$id" ] || { echo "no axial test case to write as DICOM" >&2; exit 1; }
mkdir -p "$tmp/AbdomenCT_DICOM"
/usr/bin/python3 "$root/scripts/nifti_to_dicom_series.py" "$tmp/Dataset002_AbdomenCT/imagesTs/${id}_0000.nii.gz" \
  "$tmp/AbdomenCT_DICOM/$id" --seed 2026 --description "synthetic abdominal CT $id (Dataset002_AbdomenCT)"
status=0
for name in Dataset002_AbdomenCT AbdomenCT_DICOM; do
  if [ "${1:-}" = "--replace" ] || [ ! -d "$data/$name" ]; then
    rm -rf "${data:?}/$name"
    cp -r "$tmp/$name" "$data/$name"
    echo "wrote $data/$name"
  elif diff -r "$tmp/$name" "$data/$name" >/dev/null; then
    echo "regenerated $name is identical to the committed copy"
  else
    echo "regenerated $name DIFFERS from $data/$name (run with --replace to update it)" >&2
    status=1
  fi
done
exit $status
