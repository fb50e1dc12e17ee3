#!/usr/bin/env bash
# Checks DICOM Segmentation objects with tools other than medseg: dciodvfy (Debian's dicom3tools)
# must report no error on each SEG, and scripts/check_dicom_seg.py (pydicom, nibabel) must turn each
# SEG into the same label map as the NIfTI of the same case, voxel for voxel. Installs the Debian
# packages it needs when they are missing. Prints dciodvfy's warnings; exit 1 on any error.
# Usage: scripts/check-dicom-seg.sh SEG NIFTI SERIES_DIR [SEG NIFTI SERIES_DIR ...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
missing=()
for p in dicom3tools python3-pydicom python3-nibabel python3-numpy; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "check-dicom-seg: installing ${missing[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
fi
if [ $# -eq 0 ] || [ $(($# % 3)) -ne 0 ]; then
  sed -n '2,7p' "$0" >&2
  exit 2
fi
status=0
args=("$@")
for ((i = 0; i < $#; i += 3)); do
  seg="${args[i]}"
  report="$(dciodvfy "$seg" 2>&1 || true)"
  errors="$(grep -c '^Error' <<<"$report" || true)"
  warnings="$(grep -c '^Warning' <<<"$report" || true)"
  echo "dciodvfy $(basename "$seg"): $errors error(s), $warnings warning(s)"
  grep -E '^(Error|Warning)' <<<"$report" | sed 's/^/  /' || true
  [ "$errors" -eq 0 ] || status=1
done
# Debian's python (where apt put pydicom), not a pyenv shim that may lack it
/usr/bin/python3 "$root/scripts/check_dicom_seg.py" "$@" || status=1
exit $status
