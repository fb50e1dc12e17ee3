#!/usr/bin/env bash
# The plugin in a real ImageJ with a display: Debian's ImageJ (1.53t) under Xvfb, driven by
# GuiSession (menu opened with mouse and keys, Open Scan -> Segment Image -> Evaluate Segmentation,
# the recorder). Installs the Debian packages it needs when they are missing (xvfb, imagej).
# Writes screenshots and session.txt to OUT (default imagej-plugin/target/gui-test); exit 1 on failure.
# Usage: scripts/imagej-gui-test.sh [OUT]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/imagej-plugin/target/gui-test}"
missing=()
for p in xvfb xauth imagej; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "imagej-gui-test: installing ${missing[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
fi
# run by ImageJGuiTest inside mvn verify (MEDSEG_NO_BUILD=1): the jars are there, no nested build
if [ -z "${MEDSEG_NO_BUILD:-}" ]; then
  . "$root/scripts/lib/build-if-stale.sh"
  (cd "$root" && mvn -B -q test-compile -pl imagej-plugin) >&2
fi
plugin_jar="$root/imagej-plugin/target/Segmentation_Workbench.jar"
rm -rf "$out"
mkdir -p "$out" "$out/plugins" "$out/home"
cp "$plugin_jar" "$out/plugins/"
# a fresh ImageJ home (preferences, recorder state) so earlier sessions do not leak in
HOME="$out/home" xvfb-run -a -s "-screen 0 1280x1024x24" \
  java -Xmx6g ${GUI_TEST_OPTS:-} -Dai.djl.offline=true -Dmedseg.home="$root" -Dplugins.dir="$out/plugins" \
  -cp "/usr/share/java/ij.jar:$plugin_jar:$root/imagej-plugin/target/lib/*:$root/imagej-plugin/target/test-classes" \
  io.medseg.imagej.GuiSession "$out" "$root/sample-scans/data" > "$out/imagej.log" 2>&1 && status=0 || status=$?
cat "$out/session.txt" 2>/dev/null || true
exit $status
