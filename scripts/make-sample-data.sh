#!/usr/bin/env bash
# Regenerates the committed synthetic tooth-root dataset bit for bit (fixed seed 2015) and checks
# that it equals the committed copy. Usage: scripts/make-sample-data.sh [--replace]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/sample-scans/data/Dataset001_ToothRoot"
"$root/medseg" --version >/dev/null   # builds the app if needed
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
java -cp "$root/workbench/target/medseg.jar:$root/workbench/target/lib/*" io.medseg.samples.ToothRootDataset \
  "$tmp/Dataset001_ToothRoot" 2015 24 8 256 224
if [ "${1:-}" = "--replace" ] || [ ! -d "$target" ]; then
  rm -rf "$target"
  mkdir -p "$(dirname "$target")"
  cp -r "$tmp/Dataset001_ToothRoot" "$target"
  echo "wrote $target"
elif diff -r "$tmp/Dataset001_ToothRoot" "$target" >/dev/null; then
  echo "regenerated dataset is identical to $target"
else
  echo "regenerated dataset DIFFERS from $target (run with --replace to update it)" >&2
  exit 1
fi
