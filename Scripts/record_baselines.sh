#!/usr/bin/env bash
# Re-records Reports/baselines/<name>.json for every shipped scenario, after an intended model change.
# Usage: Scripts/record_baselines.sh [scenario.yaml ...]   (default: every Scenarios/*.yaml)
# Simulated-time metrics are deterministic, so CI compares with a budget of 0; only `wall` varies.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product jukisim >/dev/null
bin=.build/release/jukisim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(Scenarios/*.yaml)
for file in "${files[@]}"; do
  name=$(basename "$file" .yaml)
  # Wall-clock scenarios measure the machine, not the model: no baseline.
  if grep -q '^clock: wall' "$file"; then echo "skipped $file (clock: wall)"; continue; fi
  # A suite runs scenarios that have baselines of their own.
  if grep -q '^suite:' "$file"; then echo "skipped $file (a suite)"; continue; fi
  "$bin" run "$file" --output "$work/$name" --quiet
  cp "$work/$name/summary.json" "Reports/baselines/$name.json"
  echo "recorded Reports/baselines/$name.json"
done
