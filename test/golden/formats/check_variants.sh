#!/usr/bin/env bash
# Writes each given picture in ~60 variants of the formats cv2.imread reads, with ImageMagick's writers
# (BMP v2/v3/v4 with alpha, 16-bit subtypes, RLE4/RLE8; ASCII and binary PBM/PGM/PPM, 16-bit, PAM, PFM;
# TIFF LZW/Deflate+predictor/JPEG/Group 3/Group 4/LZMA/Zstd/WebP, 16-bit, alpha, CMYK (8/16-bit), Lab,
# palette, tiles, strips of one row, big-endian, BigTIFF, min-is-white, LSB fill order, orientations, float;
# JPEG 2000 JP2/J2K lossless, lossy, 16-bit, grey, alpha; Sun raster; Radiance HDR; 16-bit PNG;
# CMYK JPEG; not 4-channel PAM, whose cv2 pixels are undefined), then compares perception's PHash(16)
# of each with `media-dedupe hash` (check_folder.py).
# Larger and more ordinary files than the golden fixtures, written by another encoder.
#
#   npm run build
#   PERCEPTION_SRC=... PERCEPTION_META=... bash test/golden/formats/check_variants.sh PICTURE...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
n=0
for src in "$@"; do
  n=$((n + 1))
  b="$out/base$n.png"
  convert "$src" -resize '333x>' -strip "$b"
  convert "$b" BMP3:"$out/$n-bmp3.bmp"
  convert "$b" BMP2:"$out/$n-bmp2.bmp"
  convert "$b" -alpha set -channel A -evaluate set 50% BMP:"$out/$n-bmp4a.bmp"
  convert "$b" -type palette -colors 200 BMP3:"$out/$n-pal8.bmp"
  convert "$b" -type palette -colors 200 -compress RLE BMP3:"$out/$n-rle8.bmp"
  convert "$b" -colors 16 -compress RLE BMP3:"$out/$n-rle4.bmp"
  convert "$b" -monochrome BMP3:"$out/$n-mono.bmp"
  convert "$b" -type grayscale BMP3:"$out/$n-grey.bmp"
  for st in RGB565 ARGB4444 RGB555; do convert "$b" -define bmp:subtype=$st BMP:"$out/$n-$st.bmp"; done
  convert "$b" -compress none "$out/$n-ascii.ppm"
  convert "$b" -compress none -type grayscale "$out/$n-ascii.pgm"
  convert "$b" -compress none -monochrome "$out/$n-ascii.pbm"
  convert "$b" "$out/$n.ppm"
  convert "$b" -depth 16 "$out/$n-16.ppm"
  convert "$b" -type grayscale -depth 16 "$out/$n-16.pgm"
  convert "$b" -monochrome "$out/$n.pbm"
  convert "$b" "$out/$n.pam"
  convert "$b" -type grayscale "$out/$n-g.pam"
  convert "$b" "$out/$n.pfm"
  convert "$b" -compress lzw "$out/$n-lzw.tif"
  convert "$b" -compress zip -define tiff:predictor=2 "$out/$n-zippred.tif"
  convert "$b" -compress jpeg "$out/$n-jpeg.tif"
  convert "$b" -depth 16 -compress zip "$out/$n-16.tif"
  convert "$b" -alpha set -depth 16 "$out/$n-16a.tif"
  convert "$b" -colorspace cmyk "$out/$n-cmyk.tif"
  convert "$b" -type palette "$out/$n-pal.tif"
  convert "$b" -monochrome -compress group4 "$out/$n-g4.tif"
  convert "$b" -define tiff:tile-geometry=64x64 "$out/$n-tiled.tif"
  convert "$b" -type grayscale -depth 16 "$out/$n-g16.tif"
  convert "$b" -endian MSB "$out/$n-msb.tif"
  convert "$b" -define quantum:format=floating-point -depth 32 "$out/$n-f32.tif"
  convert "$b" TIFF64:"$out/$n-big.tif"
  convert "$b" -type grayscale -define tiff:photometric=min-is-white "$out/$n-miniswhite.tif"
  convert "$b" -define tiff:fill-order=lsb "$out/$n-fill.tif"
  convert "$b" -define tiff:rows-per-strip=1 "$out/$n-rps1.tif"
  for c in lzma zstd webp; do convert "$b" -compress $c "$out/$n-$c.tif"; done
  convert "$b" -type grayscale -alpha set "$out/$n-ga.tif"
  convert "$b" -type grayscale -alpha set -depth 16 "$out/$n-ga16.tif"
  convert "$b" -colorspace cmyk -depth 16 "$out/$n-cmyk16.tif"
  convert "$b" -colorspace Lab "$out/$n-lab.tif"
  convert "$b" -orient right-top "$out/$n-orient6.tif"
  convert "$b" -depth 16 -orient bottom-right "$out/$n-orient3-16.tif"
  convert "$b" -type bilevel -compress fax "$out/$n-fax.tif"
  convert "$b" "$out/$n.jp2"
  convert "$b" -quality 40 "$out/$n-q40.jp2"
  convert "$b" "$out/$n.j2k"
  convert "$b" -depth 16 "$out/$n-16.jp2"
  convert "$b" -type grayscale "$out/$n-g.jp2"
  convert "$b" -alpha set "$out/$n-a.jp2"
  convert "$b" SUN:"$out/$n.ras"
  convert "$b" -type palette SUN:"$out/$n-pal.ras"
  convert "$b" HDR:"$out/$n.hdr"
  convert "$b" -depth 16 "$out/$n-16.png"
  convert "$b" -alpha set -depth 16 "$out/$n-16a.png"
  convert "$b" -colorspace cmyk "$out/$n-cmyk.jpg"
  rm "$b"
done
/usr/bin/python3 "$here/check_folder.py" "$out"
