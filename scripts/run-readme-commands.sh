#!/usr/bin/env bash
# Runs the README's commands as written, in order, in a fresh clone of this repository's HEAD: every
# line of the README's ```bash blocks that starts with ./medseg (continuation lines joined; comments
# after '#' are the README's, not the shell's). Two kinds are adapted and said so: the placeholder
# /path/to/Fiji.app becomes a bare Fiji.app (jars/, plugins/) made here, and ./medseg-imagej (an interactive ImageJ
# window) is started under Xvfb and closed after 20 s when xvfb-run exists, else skipped. `mvn -B
# verify` is CI's own command and is not run again. Prints one line per command (exit code,
# seconds) and exits 1 when any command failed. The CT training example trains for its default
# budget: hours on 2 cores; --quick gives every train command --epochs 1 --iterations 2 instead
# (and says so), which checks that the commands are right, not how long they take.
# Usage: scripts/run-readme-commands.sh [--quick] [WORK_DIR]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
quick=false
[ "${1:-}" = "--quick" ] && { quick=true; shift; }
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
clone="$work/medseg"
if [ -e "$clone" ]; then
  echo "$clone exists; give another WORK_DIR (nothing is overwritten)" >&2
  exit 1
fi
git clone -q "$root" "$clone" || exit 1
mkdir -p "$work/Fiji.app/jars" "$work/Fiji.app/plugins" # the least a Fiji.app folder has
# the README's ./medseg lines, continuation lines joined
mapfile -t commands < <(awk '/^```bash/{b=1;next} /^```/{b=0} b' "$root/README.md" \
  | sed -e ':a' -e '/\\$/N; s/\\\n[[:space:]]*/ /; ta' | grep -E '^\./medseg' | sed -E 's/[[:space:]]+#.*$//')
failed=0
for c in "${commands[@]}"; do
  run="${c//\/path\/to\/Fiji.app/$work/Fiji.app}"
  note=""
  [ "$run" != "$c" ] && note=" (placeholder /path/to/Fiji.app → $work/Fiji.app)"
  if [ "$quick" = true ] && [[ "$run" == "./medseg train "* ]]; then
    run="$(sed -E 's/ --(epochs|iterations) [0-9]+//g' <<< "$run") --epochs 1 --iterations 2"
    note="$note (--quick: --epochs 1 --iterations 2)"
  fi
  if [[ "$run" == "./medseg-imagej"* ]]; then
    if ! command -v xvfb-run >/dev/null; then
      echo "skipped  $c (an ImageJ window; no xvfb-run here)"
      continue
    fi
    run="timeout 20 xvfb-run -a $run; [ \$? -eq 124 ]"
    note="$note (under Xvfb, closed after 20 s: exit 124 expected)"
  fi
  start=$(date +%s)
  (cd "$clone" && bash -c "$run" > "$work/command.log" 2>&1)
  code=$?
  seconds=$(( $(date +%s) - start ))
  if [ $code -eq 0 ]; then
    echo "ok       ${seconds}s  $c$note"
  else
    failed=$((failed + 1))
    echo "FAILED   exit $code after ${seconds}s  $c$note"
    tail -5 "$work/command.log" | sed 's/^/         /'
  fi
done
echo "${#commands[@]} README commands, $failed failed (work folder $work)"
[ $failed -eq 0 ]
