#!/usr/bin/env bash
# Real BMP, PNM, TIFF and JPEG 2000 files from Debian 12 packages, checked with check_folder.py
# (perception's PHash(16) of cv2.imread's pixels against `media-dedupe hash`). The packages are only
# downloaded and unpacked into a temporary folder, never installed:
#   libpython3.11-testsuite  CPython's imghdrdata: BMP, PBM, PGM, PPM, TIFF, Sun raster, OpenEXR
#   netpbm                   pcxstd.ppm
#   python3-glymur           nemo.jp2, goodstuff.j2k, heliov.jpx (a palette JPEG 2000)
#   python3-pygame           pygame_icon.bmp, pygame_icon_mac.bmp
#   python3-skimage          multi-page, 16-bit grey (both byte orders) and 3-D TIFFs
#
#   npm run build
#   PERCEPTION_SRC=/path/to/perception PERCEPTION_META=/path/to/site bash test/golden/formats/check_debian.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download -q libpython3.11-testsuite netpbm python3-glymur python3-pygame python3-skimage >/dev/null
mkdir x files
for deb in *.deb; do dpkg-deb -x "$deb" "x/${deb%%_*}"; done
# One copy of each file, named for its package (imghdrdata is also shipped as email test data).
find x -type f -regextype posix-extended -iregex '.*\.(bmp|dib|pbm|pgm|ppm|pnm|pam|pfm|tiff?|jp2|j2k|jpc|j2c|jpx|ras|sr|hdr|pic|exr)' \
  -not -path '*/test_email/*' | while read -r f; do
  pkg="${f#x/}"
  cp "$f" "files/${pkg%%/*}__$(basename "$f")"
done
/usr/bin/python3 "$here/check_folder.py" files
