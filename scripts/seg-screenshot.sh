#!/usr/bin/env bash
# A picture of a DICOM SEG as another DICOM library reads it: scripts/seg-view/view.html parses the
# SEG and its CT series with dcmjs (the library OHIF uses; npm, pinned in package.json), places each
# frame by its Image Position (Patient) and draws three slices with the segments' names and codes;
# headless Chromium takes the screenshot. Installs chromium (Debian) and dcmjs (npm) when missing.
# Usage: scripts/seg-screenshot.sh SEG SERIES_DIR OUT.png
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -eq 3 ] || { sed -n '2,6p' "$0" >&2; exit 2; }
seg="$(realpath "$1")"; series="$(realpath "$2")"; out="$(realpath -m "$3")"
dpkg -s chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2; }
view="$root/scripts/seg-view"
[ -f "$view/node_modules/dcmjs/build/dcmjs.js" ] || (cd "$view" && npm ci --no-audit --no-fund >&2)
page="$(mktemp -d)"
trap 'rm -rf "$page"' EXIT
cp "$view/view.html" "$page/"
ln -s "$view/node_modules" "$page/node_modules"
{
  printf 'const DCMJS_VERSION = "%s";\n' "$(node -p "require('$view/node_modules/dcmjs/package.json').version")"
  printf 'const SEG = "file://%s";\nconst CT = [\n' "$seg"
  find "$series" -type f | sort | sed 's|.*|  "file://&",|'
  printf '];\n'
} > "$page/files.js"
chromium --headless --no-sandbox --disable-gpu --allow-file-access-from-files --hide-scrollbars \
  --window-size=1200,350 --virtual-time-budget=20000 --screenshot="$out" "file://$page/view.html" >/dev/null 2>&1
echo "wrote $out"
