#!/usr/bin/env bash
# One run of every tool on one benchmark folder, then the scorer: media-dedupe scan (defaults = parity,
# --color-check, --isometric, --crop-resistant), perception phash16 @ 0.2 (plain and isometric) and
# imagededup PHash (threshold 16, scored at perception's precision). Raw outputs and wall times go to
# OUT; the table to OUT/score.md and OUT/score.json.
#   usage: bench/peers/run-baseline.sh BENCH_DIR OUT     (from the repository root, after npm run build)
# Needs PERCEPTION_SRC (and PERCEPTION_META) and IMAGEDEDUP_SRC as in bench/peers/README.md; a peer
# whose source is not set is reported as skipped and left out of the table.
set -euo pipefail
bench=$(cd "$1" && pwd)
out=$(mkdir -p "$2" && cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
py=/usr/bin/python3
times=$out/times.tsv
: > "$times"

timed() { # label command... : runs the command with stdout to OUT/label.json, records the wall time
  local label=$1; shift
  local t0=$EPOCHREALTIME
  "$@" > "$out/$label.json" 2> "$out/$label.err" || { echo "$label failed (see $out/$label.err)" >&2; return 1; }
  awk -v l="$label" -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%s\t%.2f\n", l, b - a }' >> "$times"
}

cli=(node "$repo/dist/cli.js" scan "$bench" --no-cache --json --all-pairs) # every pair, also above the manifest's 20,000
timed media-dedupe-defaults "${cli[@]}" --manifest "$out/media-dedupe-defaults.manifest.json"
timed media-dedupe-color-check "${cli[@]}" --color-check --manifest "$out/media-dedupe-color-check.manifest.json"
timed media-dedupe-isometric "${cli[@]}" --isometric --manifest "$out/media-dedupe-isometric.manifest.json"
timed media-dedupe-crop-resistant "${cli[@]}" --crop-resistant --manifest "$out/media-dedupe-crop-resistant.manifest.json"

runs=("media-dedupe defaults (parity)=$out/media-dedupe-defaults.manifest.json"
      "media-dedupe --crop-resistant=$out/media-dedupe-crop-resistant.manifest.json"
      "media-dedupe --color-check=$out/media-dedupe-color-check.manifest.json"
      "media-dedupe --isometric=$out/media-dedupe-isometric.manifest.json")
peer() { # label file: add the run unless the wrapper said it was skipped
  if grep -q '"skipped"' "$2"; then echo "$1: $(cat "$2")" >&2; else runs+=("$1=$2"); fi
}
nfiles=$(find "$bench" -type f \( -iname '*.jpg' -o -iname '*.png' -o -iname '*.webp' \) | wc -l)
timed perception-phash16 $py "$here/perception_dedup.py" "$bench"
peer "perception phash16@0.2" "$out/perception-phash16.json"
# deduplicate(isometric=True) holds a pdist of (8 x files)^2 / 2 doubles: blockwise above 5,000 files
search=deduplicate; [ "$nfiles" -gt 5000 ] && search=blockwise
timed perception-phash16-isometric $py "$here/perception_dedup.py" "$bench" --isometric --search $search
peer "perception phash16@0.2 isometric" "$out/perception-phash16-isometric.json"
timed imagededup-phash $py "$here/imagededup_phash.py" "$bench" --threshold 16
peer "imagededup phash" "$out/imagededup-phash.json"

match=()
if printf '%s\n' "${runs[@]}" | grep -q '^imagededup phash=' && printf '%s\n' "${runs[@]}" | grep -q '^perception phash16@0.2='; then
  match=(--match-precision "perception phash16@0.2:imagededup phash")
fi
(cd "$repo" && npx tsx bench/scorePairs.ts --bench "$bench" --json "$out/score.json" "${match[@]}" "${runs[@]}") | tee "$out/score.md"
printf '\nwall times (s), one run each:\n' | tee -a "$out/score.md"
tee -a "$out/score.md" < "$times"
