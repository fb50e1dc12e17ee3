#!/usr/bin/env bash
# Pull + segment + push over DICOMweb against segmenting the same files from disk: a private Orthanc
# (scripts/orthanc.sh) gets the bundled DICOM CT series; then, in turns A B A B …, A = medseg segment
# of the series folder, B = medseg segment of dicomweb://…/studies/STUDY with --push (the SEG stored
# by the previous B is deleted first, so every B really stores one). Prints each run's wall time,
# the medians and the median of the pair ratios B/A.
# Usage: scripts/bench-dicomweb.sh [PAIRS (default 5)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pairs="${1:-5}"
work="$(mktemp -d /tmp/medseg-bench-dicomweb.XXXXXX)"
trap '"$root/scripts/orthanc.sh" stop "$work/orthanc"; rm -rf "$work"' EXIT
port="$("$root/scripts/orthanc.sh" start "$work/orthanc")"
password="$(cat "$work/orthanc/password")"
printf 'medseg:%s\n' "$password" > "$work/credentials"
series="$root/sample-scans/data/AbdomenCT_DICOM/ct_003"
for f in "$series"/*.dcm; do
  curl -fsS -u "medseg:$password" -X POST --data-binary @"$f" "http://127.0.0.1:$port/instances" >/dev/null
done
study="2.25.5673781784840728561851764353407217545"
cd "$root"
./medseg models >/dev/null # builds the app once, outside the timings
delete_segs() {
  for id in $(curl -fsS -u "medseg:$password" -X POST "http://127.0.0.1:$port/tools/find" \
      -d '{"Level":"Series","Query":{"Modality":"SEG"}}' | tr -d '[]" \n' | tr ',' ' '); do
    curl -fsS -u "medseg:$password" -X DELETE "http://127.0.0.1:$port/series/$id" >/dev/null
  done
}
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
a=(); b=()
for i in $(seq 0 "$pairs"); do # run 0 warms up
  rm -rf "$work/a" "$work/b"
  delete_segs
  ta=$(seconds ./medseg segment --model abdomen-ct-unet3d --input "$series" --output "$work/a" --output-format nifti,dicom-seg)
  tb=$(seconds ./medseg segment --model abdomen-ct-unet3d --input "dicomweb://127.0.0.1:$port/dicom-web/studies/$study" \
    --output "$work/b" --push "dicomweb://127.0.0.1:$port/dicom-web" --credentials "$work/credentials")
  [ -f "$work/b/"*.seg.dcm ] || { echo "bench-dicomweb: the DICOMweb run wrote no SEG" >&2; exit 1; }
  if [ "$i" -gt 0 ]; then
    a+=("$ta"); b+=("$tb")
    printf 'pair %d: disk %.2f s, DICOMweb %.2f s, ratio %.3f\n' "$i" "$ta" "$tb" "$(echo "$tb / $ta" | bc -l)"
  fi
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
ratios=(); for k in "${!a[@]}"; do ratios+=("$(echo "${b[$k]} / ${a[$k]}" | bc -l)"); done
printf 'median over %d pairs: disk %.2f s, DICOMweb pull+segment+push %.2f s, ratio %.3f\n' "$pairs" \
  "$(median "${a[@]}")" "$(median "${b[@]}")" "$(median "${ratios[@]}")"
