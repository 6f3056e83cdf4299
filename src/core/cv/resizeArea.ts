/**
 * cv2.resize(src, (dw, dh), interpolation=cv2.INTER_AREA) for 8-bit images, bit-exact with OpenCV 4.6
 * (the build perception's reference hashes come from). Every downscale, by integer or non-integer factors,
 * is the INTER_AREA kernel's (kernels/area.ts); when either axis grows, OpenCV silently falls back to a
 * fixed-point bilinear with "area" phase, which is here.
 *
 * `resizeAreaGray` fuses cvtColor(RGB2GRAY / BGR2GRAY) into the downscale so the hot PHash path never
 * materialises a full-resolution grey image; it is defined to equal resizeArea(gray(rgb)).
 */
import { areaPlan } from '../kernels/area.js';
import { GREY_BGR, GREY_RGB, greyInto, type Weights } from '../kernels/grey.js';
import { kernel, KERNELS } from '../kernels/kernels.js';

const fround = Math.fround;

/** Which grey: cv2.COLOR_RGB2GRAY, or BGR2GRAY on the same RGB data (perception does that in some hashers). */
export type GrayOrder = 'rgb' | 'bgr';

export function resizeArea(src: Uint8Array, sw: number, sh: number, channels: number, dw: number, dh: number): Uint8Array {
  checkArgs(src.length, sw, sh, channels, dw, dh);
  return dispatch(src, sw, sh, channels, null, dw, dh);
}

/** resizeArea(gray(rgb)) without the intermediate full-size grey image. `rgb` has 3 interleaved channels. */
export function resizeAreaGray(rgb: Uint8Array, sw: number, sh: number, dw: number, dh: number, order: GrayOrder = 'rgb'): Uint8Array {
  checkArgs(rgb.length, sw, sh, 3, dw, dh);
  return dispatch(rgb, sw, sh, 3, order === 'rgb' ? GREY_RGB : GREY_BGR, dw, dh);
}

function checkArgs(len: number, sw: number, sh: number, cn: number, dw: number, dh: number): void {
  if (!(Number.isInteger(sw) && Number.isInteger(sh) && Number.isInteger(dw) && Number.isInteger(dh) && Number.isInteger(cn))) {
    throw new RangeError(`resizeArea: sizes must be integers (${sw}x${sh}x${cn} -> ${dw}x${dh})`);
  }
  if (!(sw > 0 && sh > 0 && dw > 0 && dh > 0 && cn > 0) || len < sw * sh * cn) {
    throw new RangeError(`resizeArea: bad geometry ${sw}x${sh}x${cn} -> ${dw}x${dh} (buffer ${len} bytes)`);
  }
}

/** `gray` set: src is RGB and the output is the grey conversion (one channel) resized. */
function dispatch(src: Uint8Array, sw: number, sh: number, cn: number, gray: Weights | null, dw: number, dh: number): Uint8Array {
  const plan = areaPlan(sw, sh, dw, dh);
  if (plan) return kernel(KERNELS.area)(src, sw, sh, cn, gray, plan, dw, dh);
  // Upscaling (of either axis) is rare and small: convert to grey first, then the bilinear fallback.
  if (gray) return areaUpscale(greyInto(src, 0, sw * sh, gray, new Uint8Array(sw * sh)), sw, sh, 1, dw, dh);
  return areaUpscale(src, sw, sh, cn, dw, dh);
}

/** Coefficients of OpenCV's bilinear "area mode" used when INTER_AREA upscales: 11-bit fixed point (exported for the kernels' tests). */
export function upscaleTab(ssize: number, dsize: number): UpscaleTab {
  const key = ssize * 65536 + dsize;
  let t = upscaleTabs.get(key);
  if (!t) {
    t = makeUpscaleTab(ssize, dsize);
    if (upscaleTabs.size < UPSCALE_TABS_KEPT) upscaleTabs.set(key, t);
  }
  return t;
}

export interface UpscaleTab {
  readonly ofs: Int32Array;
  readonly a0: Int32Array;
  readonly a1: Int32Array;
}

/**
 * Tables already made, by source and destination size: a crop-resistant scan enlarges nine windows of one
 * size per small picture. The first UPSCALE_TABS_KEPT are kept and later ones made each time (as the view
 * colours' memo does, crops/viewColors.ts), so a scan of many sizes neither grows the memo without bound
 * nor keeps emptying it (it was cleared every 64 sizes, dropping the common ones with the rest).
 */
const upscaleTabs = new Map<number, UpscaleTab>();
const UPSCALE_TABS_KEPT = 64;

function makeUpscaleTab(ssize: number, dsize: number): UpscaleTab {
  const inv = dsize / ssize;
  const scale = 1 / inv;
  const ofs = new Int32Array(dsize);
  const a0 = new Int32Array(dsize);
  const a1 = new Int32Array(dsize);
  for (let d = 0; d < dsize; d++) {
    let s = Math.floor(d * scale);
    let f = fround(d + 1 - (s + 1) * inv);
    f = f <= 0 ? 0 : fround(f - Math.floor(f));
    if (s < 0) {
      f = 0;
      s = 0;
    }
    if (s >= ssize - 1) {
      f = 0;
      s = ssize - 1;
    }
    ofs[d] = s;
    a1[d] = satRoundShort(fround(f * 2048));
    a0[d] = satRoundShort(fround(fround(1 - f) * 2048));
  }
  return { ofs, a0, a1 };
}

function satRoundShort(x: number): number {
  let r = Math.round(x);
  if (r - x === 0.5 && (r & 1) !== 0) r -= 1;
  return r;
}

/**
 * HResizeLinear (exact integers, scaled by 2048) then VResizeLinear. For uint8 OpenCV specialises the
 * vertical step so its scalar tail repeats the SSE2 arithmetic, ((r0>>4)*b0>>16) + ((r1>>4)*b1>>16) then
 * (x+2)>>2, for every byte. The textbook (r0*b0 + r1*b1 + 2^21) >> 22 differs by one now and then, and
 * that flips bits of the reference hashes (e.g. dhash16 of a 12x20 image, whose rows are 51 bytes).
 */
function areaUpscale(src: Uint8Array, sw: number, sh: number, cn: number, dw: number, dh: number): Uint8Array {
  const xt = upscaleTab(sw, dw);
  const yt = upscaleTab(sh, dh);
  const out = new Uint8Array(dw * dh * cn);
  kernel(KERNELS.upscale)(src, sw, sh, cn, xt.ofs, xt.a0, xt.a1, yt.ofs, yt.a0, yt.a1, dw, dh, out);
  return out;
}
