#!/usr/bin/env bash
# Recomputes medseg's statistics.csv with numpy and scipy (scripts/check_statistics.py) and compares
# them value by value. Installs the Debian packages it needs when they are missing; exit 1 on a difference.
# Usage: scripts/check-statistics.sh STATISTICS_CSV CASE IMAGE MASK [CASE IMAGE MASK ...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
missing=()
for p in python3-numpy python3-scipy python3-nibabel python3-pil; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "check-statistics: installing ${missing[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
fi
# Debian's python (where apt put the packages), not a pyenv shim that may lack them
exec /usr/bin/python3 "$root/scripts/check_statistics.py" "$@"
