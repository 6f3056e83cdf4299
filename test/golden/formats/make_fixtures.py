#!/usr/bin/python3
"""Regenerates test/golden/formats/: small files of every variant of the formats cv2.imread reads
(BMP, Netpbm, PFM, Sun raster, Radiance HDR, TIFF, JPEG 2000, 16-bit PNG, CMYK JPEG) and expected.json, which records for each
file what cv2.imread(path) (IMREAD_COLOR, the call perception makes) gives: the sha256 of its pixels
converted to RGB (what perception hashes), their size, and perception's own PHash(16) and DHash(16)
of the file, or that cv2 cannot read it.

Run with Debian 12's Python and packages (python3-opencv 4.6, python3-pil, python3-numpy; the files
are written by hand-built headers, PIL, ImageMagick's convert, libtiff's tiffcp and OpenJPEG's
opj_compress: apt-get install imagemagick libtiff-tools libopenjp2-tools) and perception's source:

    PERCEPTION_SRC=/path/to/perception PERCEPTION_META=/path/to/site /usr/bin/python3 test/golden/formats/make_fixtures.py

(PERCEPTION_META: a folder holding perception-<version>.dist-info, see bench/peers/README.md.)
"""
import hashlib
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import cv2
import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'fixtures')

sys.path.insert(0, os.environ['PERCEPTION_SRC'])
if os.environ.get('PERCEPTION_META'):
    sys.path.insert(1, os.environ['PERCEPTION_META'])
from perception import hashers  # noqa: E402

HASHERS = {'phash16': hashers.PHash(hash_size=16), 'dhash16': hashers.DHash(hash_size=16)}
rng = np.random.default_rng(20240612)


def picture(w=45, h=31):
    """An asymmetric colour test picture: gradients, a block, a disc and noise (every flip changes it)."""
    y, x = np.mgrid[0:h, 0:w]
    r = (x * 255 // (w - 1)).astype(np.int32)
    g = (y * 255 // (h - 1)).astype(np.int32)
    b = ((x + y) * 4 % 256).astype(np.int32)
    img = np.stack([r, g, b], axis=-1)
    img[2:9, 3:14] = [250, 30, 40]
    img[((x - 30) ** 2 + (y - 18) ** 2) < 49] = [20, 200, 60]
    img = img + rng.integers(-12, 13, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


RGB = picture()
H, W = RGB.shape[:2]
GREY = (RGB.astype(np.int32) @ np.array([299, 587, 114]) // 1000).astype(np.uint8)


def write(name, data):
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data)


def pil_bytes(img, fmt, **kw):
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


# ---------------------------------------------------------------- BMP, headers written by hand

def bmp(width, height, bpp, rows, palette=b'', compression=0, header=40, masks=b'', clrused=0, topdown=False, image_size=0):
    """rows: the pixel data as stored (already padded/encoded), in file order."""
    pixels = b''.join(rows) if isinstance(rows, list) else rows
    if header == 12:
        info = struct.pack('<IHHHH', 12, width, height, 1, bpp)
    else:
        info = struct.pack('<IiiHHIIiiII', header, width, -height if topdown else height, 1, bpp, compression,
                           image_size or len(pixels), 2835, 2835, clrused, 0)
        info += masks[: max(0, header - 40)].ljust(header - 40, b'\0')
        masks = masks[max(0, header - 40):] if header == 40 else b''
    offset = 14 + len(info) + len(masks) + len(palette)
    head = b'BM' + struct.pack('<IHHI', offset + len(pixels), 0, 0, offset)
    return head + info + masks + palette + pixels


def pad(row):
    return row + b'\0' * (-len(row) % 4)


def bottom_up(rows):
    return list(reversed(rows))


def quantise(img, colours):
    p = Image.fromarray(img).quantize(colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    pal = p.getpalette()[: colours * 3]
    pal += [0] * (colours * 3 - len(pal))
    return np.array(p), pal


def bgr0(pal, n):
    return b''.join(bytes([pal[3 * i + 2], pal[3 * i + 1], pal[3 * i], 0]) for i in range(n))


def pack_bits(indices, bits):
    out = bytearray()
    per = 8 // bits
    for i in range(0, len(indices), per):
        v = 0
        for j in range(per):
            v <<= bits
            if i + j < len(indices):
                v |= int(indices[i + j])
        out.append(v)
    return bytes(out)


def rle8(idx, bad=False):
    """An RLE8 stream mixing encoded runs, absolute runs, end of line, a delta and end of bitmap; `bad`
    ignores where the delta left the position, so a run crosses a line's end (OpenCV refuses the file)."""
    out = bytearray()
    h, w = idx.shape
    start = 0
    for y in range(h - 1, -1, -1):  # bottom-up
        row = idx[y]
        if y == 5:
            out += bytes([0, 2, 3, 1])  # delta: 3 right, 1 down (skipped pixels take palette entry 0)
            start = 0 if bad else 3
            continue
        x, start = start, 0
        while x < w:
            run = 1
            while x + run < w and row[x + run] == row[x] and run < 255:
                run += 1
            if run >= 3 or w - x < 3:
                out += bytes([run, row[x]])
                x += run
            else:
                n = min(w - x, 7)
                out += bytes([0, n]) + bytes(row[x:x + n].tolist()) + (b'\0' if n % 2 else b'')
                x += n
        out += bytes([0, 0])
        if y == 1:
            out += bytes([0, 1])  # end of bitmap one line early: the last line takes palette entry 0
            return bytes(out)
    out += bytes([0, 1])
    return bytes(out)


def rle4(idx):
    out = bytearray()
    h, w = idx.shape
    for y in range(h - 1, -1, -1):
        row = idx[y]
        x = 0
        while x < w:
            if y % 3 == 0 and w - x >= 6:  # absolute run of 6 nibbles
                n = 6
                out += bytes([0, n]) + pack_bits(row[x:x + n], 4) + b'\0'
                x += n
            else:  # encoded run of alternating pairs
                n = min(w - x, 5)
                out += bytes([n, (row[x] << 4) | row[min(x + 1, w - 1)]])
                x += n
        out += bytes([0, 0])
    out += bytes([0, 1])
    return bytes(out)


def make_bmp():
    rgb = RGB
    bgr = rgb[:, :, ::-1]
    rows24 = [pad(bgr[y].tobytes()) for y in range(H)]
    write('bmp_24.bmp', bmp(W, H, 24, bottom_up(rows24)))
    write('bmp_24_topdown.bmp', bmp(W, H, 24, rows24, topdown=True))
    write('bmp_24_pil.bmp', pil_bytes(Image.fromarray(rgb), 'BMP'))
    x = rng.integers(0, 256, (H, W, 1), dtype=np.uint8)
    rows32 = [np.concatenate([bgr, x], axis=2)[y].tobytes() for y in range(H)]
    write('bmp_32.bmp', bmp(W, H, 32, bottom_up(rows32)))
    v5masks = struct.pack('<IIII', 0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000)
    write('bmp_32_bitfields_v5.bmp', bmp(W, H, 32, bottom_up(rows32), compression=3, header=124, masks=v5masks))
    odd = struct.pack('<IIII', 0x000000ff, 0x0000ff00, 0x00ff0000, 0)  # R in the low byte: cv2 ignores the masks
    write('bmp_32_bitfields_rgbx.bmp', bmp(W, H, 32, bottom_up(rows32), compression=3, header=56, masks=odd))
    write('bmp_32_bitfields_v3.bmp', bmp(W, H, 32, bottom_up(rows32), compression=3, header=40, masks=v5masks[:12]))
    r5, g5, b5 = (rgb[:, :, 0] >> 3).astype(np.uint16), (rgb[:, :, 1] >> 3).astype(np.uint16), (rgb[:, :, 2] >> 3).astype(np.uint16)
    v555 = (r5 << 10) | (g5 << 5) | b5
    write('bmp_16_555.bmp', bmp(W, H, 16, bottom_up([pad(v555[y].astype('<u2').tobytes()) for y in range(H)])))
    v565 = (r5 << 11) | ((rgb[:, :, 1] >> 2).astype(np.uint16) << 5) | b5
    rows565 = bottom_up([pad(v565[y].astype('<u2').tobytes()) for y in range(H)])
    write('bmp_16_565.bmp', bmp(W, H, 16, rows565, compression=3, masks=struct.pack('<III', 0xf800, 0x07e0, 0x001f)))
    write('bmp_16_555_bitfields.bmp', bmp(W, H, 16, bottom_up([pad(v555[y].astype('<u2').tobytes()) for y in range(H)]), compression=3,
                                          masks=struct.pack('<III', 0x7c00, 0x03e0, 0x001f)))
    # masks inside a 108-byte header: OpenCV looks for them after the header (in the pixels here), so it refuses the file
    write('bmp_16_565_v4.bmp', bmp(W, H, 16, rows565, compression=3, header=108, masks=struct.pack('<III', 0xf800, 0x07e0, 0x001f)))
    write('bmp_16_444_bitfields.bmp', bmp(W, H, 16, rows565, compression=3, masks=struct.pack('<III', 0x0f00, 0x00f0, 0x000f)))
    idx8, pal8 = quantise(rgb, 256)
    write('bmp_8.bmp', bmp(W, H, 8, bottom_up([pad(idx8[y].tobytes()) for y in range(H)]), palette=bgr0(pal8, 256)))
    write('bmp_8_pil.bmp', pil_bytes(Image.fromarray(rgb).quantize(200), 'BMP'))
    write('bmp_8_grey_pil.bmp', pil_bytes(Image.fromarray(GREY), 'BMP'))
    idx16, pal16 = quantise(rgb, 16)
    # 8-bit indices with a 12-colour palette: indices 12-15 point past it, which OpenCV reads as black
    write('bmp_8_clrused12.bmp', bmp(W, H, 8, bottom_up([pad(idx16[y].astype(np.uint8).tobytes()) for y in range(H)]), palette=bgr0(pal16, 12), clrused=12))
    write('bmp_4.bmp', bmp(W, H, 4, bottom_up([pad(pack_bits(idx16[y], 4)) for y in range(H)]), palette=bgr0(pal16, 16)))
    write('bmp_4_pil.bmp', pil_bytes(Image.fromarray(rgb).quantize(16), 'BMP'))
    mono = (GREY > 110).astype(np.uint8)
    write('bmp_1.bmp', bmp(W, H, 1, bottom_up([pad(pack_bits(mono[y], 1)) for y in range(H)]), palette=bytes([200, 40, 10, 0, 30, 220, 250, 0])))
    write('bmp_1_pil.bmp', pil_bytes(Image.fromarray(GREY).convert('1'), 'BMP'))
    write('bmp_rle8.bmp', bmp(W, H, 8, rle8(idx8), palette=bgr0(pal8, 256), compression=1))
    write('bmp_rle8_run_past_line.bmp', bmp(W, H, 8, rle8(idx8, bad=True), palette=bgr0(pal8, 256), compression=1))
    write('bmp_rle4.bmp', bmp(W, H, 4, rle4(idx16), palette=bgr0(pal16, 16), compression=2))
    write('bmp_os2_24.bmp', bmp(W, H, 24, bottom_up(rows24), header=12))
    pal3 = b''.join(bytes([pal16[3 * i + 2], pal16[3 * i + 1], pal16[3 * i]]) for i in range(16))
    write('bmp_os2_4.bmp', bmp(W, H, 4, bottom_up([pad(pack_bits(idx16[y], 4)) for y in range(H)]), palette=pal3, header=12))
    full = bmp(W, H, 24, bottom_up(rows24))
    write('bmp_truncated.bmp', full[: len(full) - 50])
    write('bmp_jpeg_inside.bmp', bmp(W, H, 24, bottom_up(rows24), compression=4))
    with tempfile.TemporaryDirectory() as t:
        src = os.path.join(t, 'in.png')
        Image.fromarray(rgb).quantize(64).save(src)
        for name, args in {'bmp_rle8_magick.bmp': ['-compress', 'RLE', 'BMP3:'], 'bmp_v5_magick.bmp': ['BMP:'], 'bmp_os2_magick.bmp': ['BMP2:']}.items():
            dst = os.path.join(t, name)
            subprocess.run(['convert', src] + args[:-1] + [args[-1] + dst], check=True)
            shutil.copy(dst, os.path.join(OUT, name))


# ---------------------------------------------------------------- Netpbm and PFM

def ascii_rows(values, per_line=12, comment=False):
    flat = [str(int(v)) for v in values.reshape(-1)]
    lines = [' '.join(flat[i:i + per_line]) for i in range(0, len(flat), per_line)]
    if comment:
        lines.insert(len(lines) // 2, '# a comment between samples')
    return ('\n'.join(lines) + '\n').encode()


def make_pnm():
    mono = (GREY > 110).astype(np.uint8)
    write('pbm_ascii.pbm', b'P1\n# made for media-dedupe\n%d %d\n' % (W, H) + ascii_rows(mono, 30))
    write('pbm_ascii_compact.pbm', b'P1\n%d %d\n' % (W, H) + b'\n'.join(bytes(''.join(map(str, r)), 'ascii') for r in mono) + b'\n')
    write('pbm_binary.pbm', b'P4\n%d %d\n' % (W, H) + b''.join(pack_bits(mono[y], 1) for y in range(H)))
    write('pbm_binary_pil.pbm', pil_bytes(Image.fromarray(mono * 255).convert('1'), 'PPM'))
    write('pgm_ascii.pgm', b'P2\n%d %d\n255\n' % (W, H) + ascii_rows(GREY, comment=True))
    g15 = GREY >> 4
    write('pgm_ascii_maxval15.pgm', b'P2 %d %d 15\n' % (W, H) + ascii_rows(g15))
    over = GREY.astype(np.int32)
    write('pgm_ascii_over_maxval.pgm', b'P2\n%d %d\n200\n' % (W, H) + ascii_rows(over))  # samples above maxval are clipped
    write('pgm_binary.pgm', pil_bytes(Image.fromarray(GREY), 'PPM'))
    write('pgm_binary_maxval15.pgm', b'P5\n%d %d\n15\n' % (W, H) + g15.tobytes())
    g16 = GREY.astype(np.uint16) * 257 + rng.integers(0, 200, GREY.shape).astype(np.uint16)
    write('pgm_binary_16.pgm', b'P5\n%d %d\n65535\n' % (W, H) + g16.astype('>u2').tobytes())
    g10 = (GREY.astype(np.uint16) << 2) | 3
    write('pgm_binary_maxval1023.pgm', b'P5\n%d %d\n1023\n' % (W, H) + g10.astype('>u2').tobytes())
    write('pgm_ascii_16.pgm', b'P2\n%d %d\n65535\n' % (W, H) + ascii_rows(g16))
    write('ppm_ascii.ppm', b'P3\n# comment\n%d %d\n# another\n255\n' % (W, H) + ascii_rows(RGB, comment=True))
    write('ppm_binary.ppm', pil_bytes(Image.fromarray(RGB), 'PPM'))
    rgb16 = RGB.astype(np.uint16) * 257 + rng.integers(0, 200, RGB.shape).astype(np.uint16)
    write('ppm_binary_16.ppm', b'P6\n%d %d\n65535\n' % (W, H) + rgb16.astype('>u2').tobytes())
    write('ppm_binary_maxval100.ppm', b'P6\t%d\r%d\f100\n' % (W, H) + (RGB // 3).tobytes())
    write('pgm_ascii_no_final_newline.pgm', (b'P2\n%d %d\n255\n' % (W, H) + ascii_rows(GREY)).rstrip(b'\n'))
    full = pil_bytes(Image.fromarray(RGB), 'PPM')
    write('ppm_truncated.ppm', full[:-100])
    def pam(depth, maxval, data, tupltype=None):
        head = b'P7\nWIDTH %d\nHEIGHT %d\n# a comment\nDEPTH %d\nMAXVAL %d\n' % (W, H, depth, maxval)
        return head + (b'TUPLTYPE %s\n' % tupltype if tupltype else b'') + b'ENDHDR\n' + data
    write('pam_rgb.pam', pam(3, 255, RGB.tobytes(), b'RGB'))
    write('pam_rgb_no_tupltype.pam', pam(3, 255, RGB.tobytes()))
    write('pam_grey.pam', pam(1, 255, GREY.tobytes(), b'GRAYSCALE'))
    write('pam_rgb16.pam', pam(3, 65535, rgb16.astype('>u2').tobytes(), b'RGB'))
    write('pam_grey16.pam', pam(1, 65535, g16.astype('>u2').tobytes(), b'GRAYSCALE'))
    write('pam_grey16_no_tupltype.pam', pam(1, 65535, g16.astype('>u2').tobytes()))
    write('pam_blackandwhite.pam', pam(1, 1, mono.tobytes(), b'BLACKANDWHITE'))
    rgba = np.concatenate([RGB, np.full((H, W, 1), 255, np.uint8)], axis=2)
    write('pam_rgba.pam', pam(4, 255, rgba.tobytes(), b'RGB_ALPHA'))  # cv2 leaves most of each row unset
    f = RGB.astype(np.float32) + 0.5  # halves: OpenCV rounds them to even
    f[0, 0] = [300.0, -5.0, np.nan]
    write('pfm_rgb_le.pfm', b'PF\n%d %d\n-1.0\n' % (W, H) + f[::-1].astype('<f4').tobytes())
    write('pfm_rgb_be.pfm', b'PF\n%d %d\n1\n' % (W, H) + f[::-1].astype('>f4').tobytes())
    write('pfm_rgb_scale.pfm', b'PF\n%d %d\n-0.37\n' % (W, H) + (f[::-1] * 0.37).astype('<f4').tobytes())
    write('pfm_grey.pfm', b'Pf\n%d %d\n-1.0\n' % (W, H) + GREY[::-1].astype('<f4').tobytes())


# ---------------------------------------------------------------- Sun raster and Radiance HDR

def sun(width, height, bpp, rows, encoding=1, maptype=0, cmap=b'', length=None):
    pixels = b''.join(rows)
    head = struct.pack('>IIIIIIII', 0x59a66a95, width, height, bpp, len(pixels) if length is None else length, encoding, maptype, len(cmap))
    return head + cmap + pixels


def pad2(row):
    return row + b'\0' * (len(row) % 2)


def make_sun(t):
    w = W  # odd: every row is padded to 2 bytes
    bgr = RGB[:, :, ::-1]
    write('ras_24.ras', sun(w, H, 24, [pad2(bgr[y].tobytes()) for y in range(H)]))
    write('ras_24_old.ras', sun(w, H, 24, [pad2(bgr[y].tobytes()) for y in range(H)], encoding=0, length=0))
    x = rng.integers(0, 256, (H, W, 1), dtype=np.uint8)
    write('ras_32.ras', sun(w, H, 32, [np.concatenate([x, bgr], axis=2)[y].tobytes() for y in range(H)]))
    write('ras_8_grey.ras', sun(w, H, 8, [pad2(GREY[y].tobytes()) for y in range(H)]))
    idx, pal = quantise(RGB, 256)
    cmap = bytes(pal[0::3]) + bytes(pal[1::3]) + bytes(pal[2::3])
    write('ras_8_map.ras', sun(w, H, 8, [pad2(idx[y].tobytes()) for y in range(H)], maptype=1, cmap=cmap))
    idx16, pal16 = quantise(RGB, 16)
    short = bytes(pal16[0:36:3]) + bytes(pal16[1:36:3]) + bytes(pal16[2:36:3])  # 12 entries: indices 12-15 are black
    write('ras_8_short_map.ras', sun(w, H, 8, [pad2(idx16[y].astype(np.uint8).tobytes()) for y in range(H)], maptype=1, cmap=short))
    mono = (GREY > 110).astype(np.uint8)
    write('ras_1.ras', sun(w, H, 1, [pad2(pack_bits(mono[y], 1)) for y in range(H)]))
    write('ras_1_map.ras', sun(w, H, 1, [pad2(pack_bits(mono[y], 1)) for y in range(H)], maptype=1, cmap=bytes([200, 30, 40, 220, 10, 250])))
    write('ras_rle.ras', sun(w, H, 8, [pad2(GREY[y].tobytes()) for y in range(H)], encoding=2))  # cv2 refuses RLE
    write('ras_rgb_type.ras', sun(w, H, 24, [pad2(RGB[y].tobytes()) for y in range(H)], encoding=3))  # and the RGB type
    full = sun(w, H, 24, [pad2(bgr[y].tobytes()) for y in range(H)])
    write('ras_truncated.ras', full[:-40])
    ok, enc = cv2.imencode('.ras', bgr)
    write('ras_cv2.ras', enc.tobytes())
    src = os.path.join(t, 'in.png')
    dst = os.path.join(t, 'ras_magick_palette.ras')
    tool('convert', src, '-colors', '64', 'SUN:' + dst)
    shutil.copy(dst, os.path.join(OUT, 'ras_magick_palette.ras'))


def rgbe(f):
    """float RGB (h, w, 3) -> RGBE bytes, as Ward's float2rgbe."""
    v = f.max(axis=2)
    m, e = np.frexp(v)
    scale = np.where(v < 1e-32, 0, m * 256.0 / np.where(v == 0, 1, v))
    out = np.zeros(f.shape[:2] + (4,), np.uint8)
    out[:, :, :3] = (f * scale[:, :, None]).astype(np.uint8)
    out[:, :, 3] = np.where(v < 1e-32, 0, e + 128)
    return out


def rle_line(line):
    """One scanline (w, 4) run-length encoded channel by channel."""
    out = bytearray([2, 2, line.shape[0] >> 8, line.shape[0] & 255])
    for c in range(4):
        ch, i = line[:, c], 0
        while i < len(ch):
            run = 1
            while i + run < len(ch) and ch[i + run] == ch[i] and run < 127:
                run += 1
            if run >= 3:
                out += bytes([128 + run, ch[i]])
                i += run
            else:
                n = min(len(ch) - i, 5)
                out += bytes([n]) + bytes(ch[i:i + n].tolist())
                i += n
    return bytes(out)


def make_hdr(t):
    f = RGB.astype(np.float64) / 255.0
    f[3:8, 20:30] *= 3.0  # above 1.0: white in cv2's 8 bits
    f[10:12, :] = 0
    px = rgbe(f)
    head = b'#?RADIANCE\n# made for media-dedupe\nFORMAT=32-bit_rle_rgbe\nEXPOSURE=1.0\n\n-Y %d +X %d\n' % (H, W)
    write('hdr_rle.hdr', head + b''.join(rle_line(px[y]) for y in range(H)))
    write('hdr_flat.hdr', head + px.tobytes())  # a flat file of width >= 8: read as flat from its first pixel
    mixed = b''.join(rle_line(px[y]) for y in range(5)) + px[5:].tobytes()
    write('hdr_rle_then_flat.hdr', head + mixed)
    narrow = px[:, :7]
    write('hdr_narrow.hdr', b'#?RGBE\nFORMAT=32-bit_rle_rgbe\n\n-Y %d +X 7\n' % H + narrow.tobytes())
    write('hdr_no_format.hdr', b'#?RADIANCE\n\n-Y %d +X %d\n' % (H, W) + px.tobytes())
    write('hdr_plus_y.hdr', b'#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n+Y %d +X %d\n' % (H, W) + px.tobytes())
    full = head + b''.join(rle_line(px[y]) for y in range(H))
    write('hdr_truncated.hdr', full[: len(full) - 30])
    ok, enc = cv2.imencode('.hdr', (f[:, :, ::-1]).astype(np.float32))
    write('hdr_cv2.hdr', enc.tobytes())
    src = os.path.join(t, 'in.png')
    dst = os.path.join(t, 'hdr_magick.hdr')
    tool('convert', src, 'HDR:' + dst)
    shutil.copy(dst, os.path.join(OUT, 'hdr_magick.hdr'))


# ---------------------------------------------------------------- TIFF, JPEG 2000, 16-bit PNG, CMYK JPEG

def tool(*args):
    subprocess.run(list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_tiff(t):
    img = Image.fromarray(RGB)
    for comp in ['raw', 'tiff_lzw', 'tiff_adobe_deflate', 'packbits', 'jpeg']:
        write('tiff_rgb_%s.tif' % comp.replace('tiff_', ''), pil_bytes(img, 'TIFF', compression=comp))
    write('tiff_grey.tif', pil_bytes(Image.fromarray(GREY), 'TIFF'))
    g16 = GREY.astype(np.uint16) * 257 + rng.integers(0, 200, GREY.shape).astype(np.uint16)
    write('tiff_grey16.tif', pil_bytes(Image.fromarray(g16, 'I;16'), 'TIFF'))
    mono = Image.fromarray(GREY).convert('1')
    write('tiff_1bit.tif', pil_bytes(mono, 'TIFF'))
    write('tiff_1bit_g4.tif', pil_bytes(mono, 'TIFF', compression='group4'))
    write('tiff_palette.tif', pil_bytes(img.quantize(64), 'TIFF'))
    rgba = np.concatenate([RGB, rng.integers(0, 256, (H, W, 1), dtype=np.uint8)], axis=2)
    write('tiff_rgba.tif', pil_bytes(Image.fromarray(rgba, 'RGBA'), 'TIFF'))
    write('tiff_cmyk.tif', pil_bytes(img.convert('CMYK'), 'TIFF'))
    write('tiff_float.tif', pil_bytes(Image.fromarray(GREY.astype(np.float32)), 'TIFF'))  # cv2 refuses 32-bit float through RGBA
    for o in range(2, 9):
        write('tiff_orientation%d.tif' % o, pil_bytes(img, 'TIFF', tiffinfo={274: o}))
    # two pages: cv2.imread reads the first
    buf = io.BytesIO()
    img.save(buf, 'TIFF', save_all=True, append_images=[Image.fromarray(RGB[::-1].copy())])
    write('tiff_two_pages.tif', buf.getvalue())
    base = os.path.join(t, 'base.tif')
    img.save(base, 'TIFF')
    for name, args in {'tiff_tiled.tif': ['-t', '-w', '16', '-l', '16'], 'tiff_planar.tif': ['-p', 'separate'],
                       'tiff_strips3.tif': ['-r', '3'], 'tiff_ycbcr_jpeg.tif': ['-c', 'jpeg', '-r', '16']}.items():
        dst = os.path.join(t, name)
        tool('tiffcp', *args, base, dst)
        shutil.copy(dst, os.path.join(OUT, name))
    tiled = os.path.join(t, 'tiled.tif')
    Image.fromarray(RGB).save(os.path.join(t, 'o6.tif'), 'TIFF', tiffinfo={274: 6})
    tool('tiffcp', '-t', '-w', '16', '-l', '16', os.path.join(t, 'o6.tif'), tiled)
    shutil.copy(tiled, os.path.join(OUT, 'tiff_tiled_orientation6.tif'))
    for name, args in {'tiff_rgb16_magick.tif': ['-depth', '16'], 'tiff_4bit_magick.tif': ['-colors', '16', '-depth', '4'],
                       'tiff_minisblack2bit_magick.tif': ['-colorspace', 'gray', '-depth', '2'],
                       'tiff_cmyk16_magick.tif': ['-colorspace', 'cmyk', '-depth', '16']}.items():  # cv2: no RGBA routine
        dst = os.path.join(t, name)
        tool('convert', os.path.join(t, 'in.png'), *args, dst)
        shutil.copy(dst, os.path.join(OUT, name))
    full = pil_bytes(img, 'TIFF', compression='tiff_lzw')
    write('tiff_truncated.tif', full[: len(full) // 2])


def make_jp2(t):
    ppm = os.path.join(t, 'in.ppm')
    pgm = os.path.join(t, 'in.pgm')
    Image.fromarray(RGB).save(ppm)
    Image.fromarray(GREY).save(pgm)
    g12 = os.path.join(t, 'in12.pgm')
    with open(g12, 'wb') as f:
        f.write(b'P5\n%d %d\n4095\n' % (W, H) + ((GREY.astype(np.uint16) << 4) | 9).astype('>u2').tobytes())
    rgb16 = os.path.join(t, 'in16.ppm')
    with open(rgb16, 'wb') as f:
        f.write(b'P6\n%d %d\n65535\n' % (W, H) + (RGB.astype(np.uint16) * 257 + 77).astype('>u2').tobytes())
    jobs = {'jp2_rgb_lossless.jp2': (ppm, []), 'jp2_rgb_lossy.jp2': (ppm, ['-r', '20']), 'j2k_rgb_lossy.j2k': (ppm, ['-r', '10']),
            'jp2_grey.jp2': (pgm, []), 'jp2_grey12.jp2': (g12, []), 'jp2_rgb16.jp2': (rgb16, ['-r', '5']),
            'jp2_tiles.jp2': (ppm, ['-t', '16,16']), 'jp2_offset.jp2': (ppm, ['-d', '3,2'])}
    for name, (src, args) in jobs.items():
        dst = os.path.join(t, name)
        tool('opj_compress', '-i', src, '-o', dst, '-n', '3', *args)  # few resolution levels: the picture is small
        shutil.copy(dst, os.path.join(OUT, name))
    with open(os.path.join(OUT, 'jp2_rgb_lossless.jp2'), 'rb') as f:
        full = f.read()
    write('jp2_truncated.jp2', full[: len(full) * 2 // 3])


def segments(jpeg):
    """The marker segments before the scan, as (marker, bytes) pairs, and the rest of the file."""
    i, out = 2, []
    while jpeg[i + 1] != 0xda:
        n = struct.unpack('>H', jpeg[i + 2:i + 4])[0]
        out.append((jpeg[i + 1], jpeg[i:i + 2 + n]))
        i += 2 + n
    return out, jpeg[i:]


def move_app1_after_sof(jpeg):
    """The EXIF APP1 moved behind the frame header: libjpeg still saves it, so cv2 still turns the image."""
    segs, rest = segments(jpeg)
    app1 = [b for m, b in segs if m == 0xe1]
    others = [(m, b) for m, b in segs if m != 0xe1]
    out = b'\xff\xd8'
    for m, b in others:
        out += b + (b''.join(app1) if m == 0xc0 else b'')
    return out + rest


def make_png16_cmyk(t):
    rgb16 = (RGB.astype(np.uint16) * 257 + rng.integers(0, 256, RGB.shape).astype(np.uint16))
    ok, enc = cv2.imencode('.png', rgb16[:, :, ::-1])
    write('png16_rgb.png', enc.tobytes())
    rgba16 = np.concatenate([rgb16[:, :, ::-1], rng.integers(0, 65536, (H, W, 1)).astype(np.uint16)], axis=2)
    ok, enc = cv2.imencode('.png', rgba16)
    write('png16_rgba.png', enc.tobytes())
    g16 = GREY.astype(np.uint16) * 257 + rng.integers(0, 256, GREY.shape).astype(np.uint16)
    write('png16_grey.png', pil_bytes(Image.fromarray(g16, 'I;16'), 'PNG'))
    write('png16_interlaced.png', pil_bytes(Image.fromarray(g16, 'I;16'), 'PNG', interlace=1) if False else cv2.imencode('.png', rgb16)[1].tobytes())
    img = Image.fromarray(RGB)
    write('cmyk_pil.jpg', pil_bytes(img.convert('CMYK'), 'JPEG', quality=92))
    # EXIF orientation as cv2 applies it: from the first APP1 segment only, whatever it holds
    exif = Image.Exif()
    exif[0x0112] = 6
    turned = pil_bytes(img, 'JPEG', quality=92, exif=exif.tobytes())
    write('jpeg_exif_orientation6.jpg', turned)
    xmp = b'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x="adobe:ns:meta/"/>'
    write('jpeg_xmp_before_exif.jpg', turned[:2] + b'\xff\xe1' + struct.pack('>H', len(xmp) + 2) + xmp + turned[2:])
    write('jpeg_exif_after_sof.jpg', move_app1_after_sof(turned))
    src = os.path.join(t, 'in.png')
    dst = os.path.join(t, 'cmyk_magick.jpg')
    tool('convert', src, '-colorspace', 'CMYK', '-quality', '90', dst)
    shutil.copy(dst, os.path.join(OUT, 'cmyk_magick.jpg'))


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    make_bmp()
    make_pnm()
    with tempfile.TemporaryDirectory() as t:
        Image.fromarray(RGB).save(os.path.join(t, 'in.png'))
        make_tiff(t)
        make_jp2(t)
        make_png16_cmyk(t)
        make_sun(t)
        make_hdr(t)
    expected = {}
    for name in sorted(os.listdir(OUT)):
        expected[name] = describe(os.path.join(OUT, name))
    with open(os.path.join(HERE, 'expected.json'), 'w') as f:
        json.dump({'opencv': cv2.__version__, 'files': expected}, f, indent=1, sort_keys=True)
        f.write('\n')
    print('%d fixtures, %d read by cv2' % (len(expected), sum(1 for e in expected.values() if e['cv2'])))


# cv2.imread returns pixels for these, but most of each row is memory it never wrote: no value to compare with
UNDEFINED = {'pam_rgba.pam'}


def describe(path):
    bgr = cv2.imread(path)
    if bgr is None or os.path.basename(path) in UNDEFINED:
        return {'cv2': None}
    if bgr.ndim == 2:  # a grey PFM: cv2 returns one channel and perception's BGR2RGB refuses it
        rgb = np.repeat(bgr[:, :, None], 3, axis=2)
        hashes = None
    else:
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        hashes = {k: h.compute(path) for k, h in HASHERS.items()}
    return {'cv2': {'width': int(rgb.shape[1]), 'height': int(rgb.shape[0]), 'sha256': hashlib.sha256(np.ascontiguousarray(rgb).tobytes()).hexdigest()},
            'perception': hashes}


if __name__ == '__main__':
    main()
