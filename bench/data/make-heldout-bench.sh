#!/usr/bin/env bash
# Regenerates the two local (not for publishing) image benchmarks from the shared benchmark tools:
#   OUT/bench-heldout  held-out accuracy benchmark: 3,000 originals from 13 source families, none of the
#                      public benchmark's files, hard negatives (recoloured icons, flags sharing a layout,
#                      emoji skin tones, moon phases, painting pieces, stereo pairs), natural duplicates, and
#                      families.json (file -> source family) for leave-one-family-out folds
#   OUT/bench-large    the 13,200-file speed benchmark of the tools README (openclipart + GCompris)
# Downloads Debian packages (apt-get download, nothing installed) and one npm tarball into WORK on
# first use (about 1.5 GB).
#   usage: bench/data/make-heldout-bench.sh WORK OUT [SHARED]     e.g. ... /var/tmp/dedupe-work /data
# SHARED defaults to ../shared next to the repository (it holds tools/ and bench/images/).
# Needs: apt-get install -y python3-pil python3-numpy ffmpeg fonts-dejavu-core poppler-utils
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mkdir -p "$1" && cd "$1" && pwd)
out=$(mkdir -p "$2" && cd "$2" && pwd)
shared=${3:-$here/../../../shared}
tools=$shared/tools
py=/usr/bin/python3
t0=$SECONDS

# 1. every package collect_sources.py knows (photos, clip art, Tux Paint stamps, Stellarium, GCompris,
#    wallpapers, stereo pairs, camera sequences, Twemoji) -> WORK/sources
$py "$tools/collect_sources.py" --work "$work" --out "$work/sources" >/dev/null
echo "collect: $((SECONDS - t0)) s" >&2

# 2. held-out families + extra packages (KGeography flags and maps, Yaru and Oxygen icons, GIMP/KStars/
#    Marble/GNOME handbook screenshots, KStars and xplanet astronomy, Debian desktop themes, Noto emoji,
#    LaTeX manual pages, GCompris paintings),
#    without any file the public benchmark derives from -> WORK/sources-heldout
$py "$here/heldout_sources.py" --work "$work" --public-gt "$shared/bench/images/ground_truth.json" \
    --out "$work/sources-heldout" --seed 12 --cap 560 >&2
echo "held-out sources: $((SECONDS - t0)) s" >&2

# 3. the held-out benchmark: 3,000 originals, 12 % of them with all 17 variants
s=$work/sources-heldout
$py "$tools/make_bench.py" images --src "$s/orig" --hardneg "$s/hardneg" --natural "$s/natural_dups" \
    --out "$out/bench-heldout" --seed 12 --n 3000 --dup-frac 0.12 --max-side 640 --dedupe-bits 40 >/dev/null
$py "$here/heldout_sources.py" --label "$out/bench-heldout" --out "$s" >/dev/null
# originals that are the same picture (pixels only: trimmed borders, scale) -> same_pictures.json, which
# the scorers apply to the ground truth (bench/groundTruth.ts)
$py "$here/same_pictures.py" "$out/bench-heldout" >/dev/null
echo "bench-heldout: $((SECONDS - t0)) s" >&2

# 4. the larger speed benchmark, exactly as in the tools README (its own sources folder, so that
#    step 1's folder keeps every package)
$py "$tools/collect_sources.py" --work "$work" --out "$work/sources-large" --packages openclipart-png,gcompris-qt-data >/dev/null
$py "$tools/make_bench.py" images --src "$work/sources-large/clipart" --src "$work/sources-large/scale" \
    --out "$out/bench-large" --seed 1 --n 3000 --dup-frac 0.2 --max-side 1024 --dedupe-bits 12 >/dev/null
echo "bench-large: $((SECONDS - t0)) s" >&2
du -sh "$out/bench-heldout" "$out/bench-large"
