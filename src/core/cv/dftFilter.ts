/**
 * cv::filter2D(src8u, dst32f, kernel) for kernels of 50+ taps, as OpenCV 4.6 runs it: crossCorr in
 * 256x256 tiles through its own float32 DFT (power-of-two radix-4/radix-2 butterflies, CCS packing
 * of real rows and columns, mulSpectrums in double, inverse with 1/(256*256) scaling). The DFT's
 * rounding noise decides near-ties in MarrHildreth on flat images, so every float32 operation is
 * reproduced in OpenCV's order. Only what MarrHildreth needs is implemented: power-of-two tiles.
 */
import { reflect101, roundHalfEven } from './rounding.js';

const f32 = Math.fround;

/** cos/sin(2*pi/2^m) as OpenCV's DFTTab stores them (double literals). */
const DFT_TAB: ReadonlyArray<readonly [number, number]> = [
  [1.0, 0.0],
  [-1.0, 0.0],
  [0.0, 1.0],
  [0.70710678118654757, 0.70710678118654746],
  [0.92387953251128674, 0.38268343236508978],
  [0.98078528040323043, 0.19509032201612825],
  [0.99518472667219693, 0.0980171403295606],
  [0.99879545620517241, 0.04906767432741802],
  [0.99969881869620425, 0.02454122852291229],
  [0.9999247018391445, 0.01227153828571993],
  [0.99998117528260111, 0.00613588464915448],
];

/** Twiddles and bit-reversal for one transform length (OpenCV's DFTInit for a power of two). */
class DftPlan {
  readonly wave: Float32Array; // n complex, interleaved
  readonly bits: number;

  constructor(readonly n: number) {
    const m = Math.log2(n);
    if (!Number.isInteger(m) || m < 2 || m >= DFT_TAB.length) throw new RangeError(`dft: unsupported length ${n}`);
    this.bits = m;
    const wave = new Float32Array(2 * n);
    const w1re = DFT_TAB[m][0];
    const w1im = -DFT_TAB[m][1];
    let wre = w1re;
    let wim = w1im;
    const half = n >> 1;
    wave[0] = 1;
    wave[1] = 0;
    wave[2 * half] = -1;
    wave[2 * half + 1] = 0;
    for (let i = 1; i < half; i++) {
      wave[2 * i] = wre;
      wave[2 * i + 1] = wim;
      wave[2 * (n - i)] = wre;
      wave[2 * (n - i) + 1] = -wim;
      const t = wre * w1re - wim * w1im; // the recurrence runs in double
      wim = wre * w1im + wim * w1re;
      wre = t;
    }
    this.wave = wave;
  }
}

function bitReverse(i: number, bits: number): number {
  let r = 0;
  for (let b = 0; b < bits; b++, i >>= 1) r = (r << 1) | (i & 1);
  return r;
}

const permCache = new Map<number, Int32Array>();
function permutation(n: number): Int32Array {
  let p = permCache.get(n);
  if (!p) {
    const bits = Math.log2(n);
    p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = bitReverse(i, bits);
    permCache.set(n, p);
  }
  return p;
}

/**
 * The end of a radix-4 butterfly, the same in the first (untwiddled) and the other columns of a stage: with
 * x the element at a0 and y the one at a1 (twiddled; OpenCV's r4/r2 names), r1/i1 and r3/i3 the sum and the
 * turned difference of the b0 and b1 elements, the four outputs (f32 sums as OpenCV's float arithmetic;
 * x + y is y + x exactly, so both of OpenCV's orders give the same bits).
 */
function radix4Out(
  d: Float32Array,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  yr: number,
  yi: number,
  r1: number,
  i1: number,
  r3: number,
  i3: number,
): void {
  const xr = d[a0],
    xi = d[a0 + 1];
  const r0 = f32(xr + yr),
    i0 = f32(xi + yi);
  const r2 = f32(xr - yr),
    i2 = f32(xi - yi);
  d[a0] = r0 + r1;
  d[a0 + 1] = i0 + i1;
  d[b0] = r0 - r1;
  d[b0 + 1] = i0 - i1;
  d[a1] = r2 + r3;
  d[a1 + 1] = i2 + i3;
  d[b1] = r2 - r3;
  d[b1 + 1] = i2 - i3;
}

/**
 * The butterfly passes of OpenCV's DFT() on data already in bit-reversed order: radix-4 stages,
 * then one radix-2 stage if log2(n) is odd. `tabSize` is the length the twiddle table was built for
 * (a real transform runs an n/2 complex DFT on the n-point table).
 */
function butterflies(d: Float32Array, n: number, tabSize: number, wave: Float32Array): void {
  let len = 1;
  let dw0 = tabSize;
  for (; len * 4 <= n;) {
    const nx = len;
    len *= 4;
    dw0 /= 4;
    for (let i = 0; i < n; i += len) {
      {
        const a0 = 2 * i,
          a1 = 2 * (i + nx),
          b0 = 2 * (i + 2 * nx),
          b1 = 2 * (i + 3 * nx);
        const r0 = d[b0],
          i0 = d[b0 + 1];
        const r4 = d[b1],
          i4 = d[b1 + 1];
        const r1 = f32(r0 + r4),
          i1 = f32(i0 + i4);
        const r3 = f32(i0 - i4),
          i3 = f32(r4 - r0);
        radix4Out(d, a0, a1, b0, b1, d[a1], d[a1 + 1], r1, i1, r3, i3);
      }
      for (let j = 1, dw = dw0; j < nx; j++, dw += dw0) {
        const a0 = 2 * (i + j),
          a1 = 2 * (i + j + nx),
          b0 = 2 * (i + j + 2 * nx),
          b1 = 2 * (i + j + 3 * nx);
        const w1r = wave[2 * dw],
          w1i = wave[2 * dw + 1];
        const w2r = wave[4 * dw],
          w2i = wave[4 * dw + 1];
        const w3r = wave[6 * dw],
          w3i = wave[6 * dw + 1];
        const r2 = f32(f32(d[a1] * w2r) - f32(d[a1 + 1] * w2i));
        const i2 = f32(f32(d[a1] * w2i) + f32(d[a1 + 1] * w2r));
        const r0 = f32(f32(d[b0] * w1i) + f32(d[b0 + 1] * w1r));
        const i0 = f32(f32(d[b0] * w1r) - f32(d[b0 + 1] * w1i));
        let r3 = f32(f32(d[b1] * w3i) + f32(d[b1 + 1] * w3r));
        let i3 = f32(f32(d[b1] * w3r) - f32(d[b1 + 1] * w3i));
        const r1 = f32(i0 + i3),
          i1 = f32(r0 + r3);
        r3 = f32(r0 - r3);
        i3 = f32(i3 - i0);
        radix4Out(d, a0, a1, b0, b1, r2, i2, r1, i1, r3, i3);
      }
    }
  }
  for (; len < n;) {
    len *= 2;
    dw0 /= 2;
    const nx = len / 2;
    for (let i = 0; i < n; i += len) {
      {
        const a = 2 * i,
          b = 2 * (i + nx);
        const r0 = f32(d[a] + d[b]),
          i0 = f32(d[a + 1] + d[b + 1]);
        const r1 = f32(d[a] - d[b]),
          i1 = f32(d[a + 1] - d[b + 1]);
        d[a] = r0;
        d[a + 1] = i0;
        d[b] = r1;
        d[b + 1] = i1;
      }
      for (let j = 1, dw = dw0; j < nx; j++, dw += dw0) {
        const a = 2 * (i + j),
          b = 2 * (i + j + nx);
        const wr = wave[2 * dw],
          wi = wave[2 * dw + 1];
        const r1 = f32(f32(d[b] * wr) - f32(d[b + 1] * wi));
        const i1 = f32(f32(d[b + 1] * wr) + f32(d[b] * wi));
        const r0 = d[a],
          i0 = d[a + 1];
        d[a] = r0 + r1;
        d[a + 1] = i0 + i1;
        d[b] = r0 - r1;
        d[b + 1] = i0 - i1;
      }
    }
  }
}

/** Complex DFT of `n` points from src to dst (interleaved), forward or inverse (OpenCV: conjugate in, conjugate out; unscaled). */
function complexDft(src: Float32Array, dst: Float32Array, plan: DftPlan, inverse: boolean): void {
  const n = plan.n;
  const p = permutation(n);
  for (let i = 0; i < n; i++) {
    dst[2 * i] = src[2 * p[i]];
    dst[2 * i + 1] = inverse ? -src[2 * p[i] + 1] : src[2 * p[i] + 1];
  }
  butterflies(dst, n, n, plan.wave);
  if (inverse) for (let i = 0; i < n; i++) dst[2 * i + 1] = -dst[2 * i + 1];
}

/** RealDFT (forward, scale 1): n reals -> CCS (re0, re1, im1, ..., re(n/2)). */
function realDft(src: Float32Array, dst: Float32Array, plan: DftPlan): void {
  const n = plan.n;
  const n2 = n >> 1;
  const p = permutation(n2);
  for (let i = 0; i < n2; i++) {
    dst[2 * i] = src[2 * p[i]];
    dst[2 * i + 1] = src[2 * p[i] + 1];
  }
  butterflies(dst, n2, n, plan.wave);
  const wave = plan.wave;
  let t = f32(dst[0] - dst[1]);
  dst[0] = dst[0] + dst[1];
  dst[1] = t;
  const t0 = dst[n2];
  t = dst[n - 1];
  dst[n - 1] = dst[1];
  let j = 2;
  for (let w = 1; j < n2; j += 2, w++) {
    let h2re = f32(0.5 * f32(dst[j + 1] + t));
    let h2im = f32(0.5 * f32(dst[n - j] - dst[j]));
    const h1re = f32(0.5 * f32(dst[j] + dst[n - j]));
    const h1im = f32(0.5 * f32(dst[j + 1] - t));
    const wr = wave[2 * w],
      wi = wave[2 * w + 1];
    t = f32(f32(h2re * wr) - f32(h2im * wi));
    h2im = f32(f32(h2re * wi) + f32(h2im * wr));
    h2re = t;
    t = dst[n - j - 1];
    dst[j - 1] = h1re + h2re;
    dst[n - j - 1] = h1re - h2re;
    dst[j] = h1im + h2im;
    dst[n - j] = h2im - h1im;
  }
  if (j <= n2) {
    dst[n2 - 1] = t0;
    dst[n2] = -t;
  }
}

/** CCSIDFT in place: CCS row -> n reals, times `scale`. */
function ccsInverse(d: Float32Array, plan: DftPlan, scale: number): void {
  const n = plan.n;
  const wave = plan.wave;
  let t = d[1];
  const first0 = f32(d[0] + d[n - 1]);
  const first1 = f32(d[n - 1] - d[0]);
  d[0] = first0;
  d[1] = first1;
  const n2 = (n + 1) >> 1;
  let j = 2;
  for (let w = 1; j < n2; j += 2, w++) {
    const h1re = f32(t + d[n - j - 1]);
    const h1im = f32(d[j] - d[n - j]);
    let h2re = f32(t - d[n - j - 1]);
    let h2im = f32(d[j] + d[n - j]);
    const wr = wave[2 * w],
      wi = wave[2 * w + 1];
    t = f32(f32(h2re * wr) + f32(h2im * wi));
    h2im = f32(f32(h2im * wr) - f32(h2re * wi));
    h2re = t;
    t = d[j + 1];
    const t0 = f32(h1re - h2im);
    const t1 = f32(f32(-h1im) - h2re);
    const t2 = f32(h1re + h2im);
    const t3 = f32(h1im - h2re);
    d[j] = t0;
    d[j + 1] = t1;
    d[n - j] = t2;
    d[n - j + 1] = t3;
  }
  if (j <= n2) {
    const a = f32(t * 2);
    const b = f32(d[n2] * 2);
    d[n2] = a;
    d[n2 + 1] = b;
  }
  // n/2-point forward complex DFT in place (bit-reversal permutation, then butterflies)
  const half = n >> 1;
  const p = permutation(half);
  for (let i = 0; i < half; i++) {
    const k = p[i];
    if (k > i) {
      let x = d[2 * i];
      d[2 * i] = d[2 * k];
      d[2 * k] = x;
      x = d[2 * i + 1];
      d[2 * i + 1] = d[2 * k + 1];
      d[2 * k + 1] = x;
    }
  }
  butterflies(d, half, n, wave);
  const negScale = -scale;
  for (let i = 0; i < n; i += 2) {
    d[i] = d[i] * scale;
    d[i + 1] = d[i + 1] * negScale;
  }
}

/** OpenCV's ExpandCCS: a CCS column (n floats) -> n complex values with conjugate symmetry, in place. */
function expandCcs(p: Float32Array, n: number): void {
  for (let i = 1; i < (n + 1) >> 1; i++) {
    p[(n - i) * 2] = p[i * 2 - 1];
    p[(n - i) * 2 + 1] = -p[i * 2];
  }
  let m = n;
  if ((n & 1) === 0) {
    p[n] = p[n - 1];
    p[n + 1] = 0;
    m--;
  }
  for (let i = m - 1; i > 0; i--) p[i + 1] = p[i];
  p[1] = 0;
}

/** Square size x size real matrix <-> CCS spectrum, OpenCV's row-then-column order (forward). */
class Dft2D {
  private readonly plan: DftPlan;
  private readonly row: Float32Array;
  private readonly colA: Float32Array;
  private readonly colB: Float32Array;

  constructor(readonly size: number) {
    this.plan = new DftPlan(size);
    this.row = new Float32Array(size);
    this.colA = new Float32Array(2 * size);
    this.colB = new Float32Array(2 * size);
  }

  forward(m: Float32Array, nonzeroRows: number): void {
    const n = this.size;
    const row = this.row;
    for (let r = 0; r < n; r++) {
      const base = r * n;
      if (r >= nonzeroRows) {
        m.fill(0, base, base + n);
        continue;
      }
      realDft(m.subarray(base, base + n), row, this.plan);
      m.set(row, base);
    }
    const a = this.colA,
      b = this.colB;
    // first and last (real) columns: complex DFT of (x, 0), stored CCS-packed down the column
    for (const c of [n - 1, 0]) {
      for (let k = 0; k < n; k++) {
        a[2 * k] = m[k * n + c];
        a[2 * k + 1] = 0;
      }
      complexDft(a, b, this.plan, false);
      m[c] = b[0];
      for (let k = 1; k < n; k++) m[k * n + c] = b[k + 1];
    }
    this.complexColumns(m, false);
  }

  /** The complex columns, in place: element e occupies floats 2e-1, 2e of every row. */
  private complexColumns(m: Float32Array, inverse: boolean): void {
    const n = this.size;
    const a = this.colA,
      b = this.colB;
    for (let e = 1; e < n >> 1; e++) {
      const c = 2 * e - 1;
      for (let k = 0; k < n; k++) {
        a[2 * k] = m[k * n + c];
        a[2 * k + 1] = m[k * n + c + 1];
      }
      complexDft(a, b, this.plan, inverse);
      for (let k = 0; k < n; k++) {
        m[k * n + c] = b[2 * k];
        m[k * n + c + 1] = b[2 * k + 1];
      }
    }
  }

  /** Inverse with DFT_SCALE: columns first, then the first `nonzeroRows` rows (the rest are zeroed). */
  inverse(m: Float32Array, nonzeroRows: number): void {
    const n = this.size;
    const a = this.colA,
      b = this.colB;
    for (const c of [n - 1, 0]) {
      for (let k = 0; k < n; k++) a[k] = m[k * n + c];
      expandCcs(a, n);
      complexDft(a, b, this.plan, true);
      for (let k = 0; k < n; k++) m[k * n + c] = b[2 * k];
    }
    this.complexColumns(m, true);
    const scale = f32(1 / (n * n));
    for (let r = 0; r < n; r++) {
      const base = r * n;
      if (r >= nonzeroRows) m.fill(0, base, base + n);
      else ccsInverse(m.subarray(base, base + n), this.plan, scale);
    }
  }
}

/** mulSpectrums(A, B, A, 0, conjB = true) on 2-D CCS spectra; products in double, stored float32. */
function mulSpectrumsConj(a: Float32Array, b: Float32Array, n: number): void {
  for (const c of [0, n - 1]) {
    a[c] = a[c] * b[c];
    for (let j = 1; j <= n - 2; j += 2) {
      const i0 = j * n + c,
        i1 = (j + 1) * n + c;
      const are = a[i0],
        aim = a[i1],
        bre = b[i0],
        bim = -b[i1];
      a[i0] = are * bre - aim * bim;
      a[i1] = are * bim + aim * bre;
    }
    a[(n - 1) * n + c] = a[(n - 1) * n + c] * b[(n - 1) * n + c];
  }
  for (let r = 0; r < n; r++) {
    const base = r * n;
    for (let j = 1; j < n - 1; j += 2) {
      const are = a[base + j],
        aim = a[base + j + 1],
        bre = b[base + j],
        bim = -b[base + j + 1];
      a[base + j] = are * bre - aim * bim;
      a[base + j + 1] = are * bim + aim * bre;
    }
  }
}

/** The kernel's spectrum depends only on the kernel and the tile size: computed once per kernel. */
const spectra = new WeakMap<Float32Array | Float64Array, Map<number, Float32Array>>();
function kernelSpectrum(engine: Dft2D, kernel: Float32Array | Float64Array, ksize: number): Float32Array {
  let bySize = spectra.get(kernel);
  if (!bySize) spectra.set(kernel, (bySize = new Map()));
  let s = bySize.get(engine.size);
  if (!s) {
    const n = engine.size;
    s = new Float32Array(n * n);
    for (let i = 0; i < ksize; i++) for (let j = 0; j < ksize; j++) s[i * n + j] = kernel[i * ksize + j];
    engine.forward(s, ksize); // rows past the kernel are zero (crossCorr passes nonzero_rows = kernel rows)
    bySize.set(n, s);
  }
  return s;
}

const BLOCK_SCALE = 4.5;
const MIN_BLOCK = 256;

/**
 * filter2D(src, CV_32F, kernel) with anchor at the kernel centre and BORDER_REFLECT_101, through
 * crossCorr's tiling. `kernel` holds float32 values, ksize x ksize (odd); its spectrum is cached
 * per array, so pass a kernel that is never modified afterwards.
 */
export function filter2DViaDft(src: Uint8Array, width: number, height: number, kernel: Float32Array | Float64Array, ksize: number): Float32Array {
  const anchor = ksize >> 1;
  const bw0 = Math.max(roundHalfEven(ksize * BLOCK_SCALE), MIN_BLOCK - ksize + 1); // cvRound: 76.5 -> 76
  const dft = optimalPow2(Math.min(bw0, width) + ksize - 1);
  const dftH = optimalPow2(Math.min(bw0, height) + ksize - 1);
  if (dft !== dftH) throw new RangeError('filter2DViaDft: only square DFT tiles are implemented');
  const bw = Math.min(dft - ksize + 1, width);
  const bh = Math.min(dft - ksize + 1, height);
  const engine = new Dft2D(dft);
  const spectrumK = kernelSpectrum(engine, kernel, ksize);

  const out = new Float32Array(width * height);
  const tile = new Float32Array(dft * dft);
  for (let y = 0; y < height; y += bh) {
    for (let x = 0; x < width; x += bw) {
      const bszW = Math.min(bw, width - x);
      const bszH = Math.min(bh, height - y);
      const dszW = bszW + ksize - 1;
      const dszH = bszH + ksize - 1;
      const x0 = x - anchor;
      const y0 = y - anchor;
      tile.fill(0);
      // The tile clipped to the image, its border made by reflection (copyMakeBorder, isolated).
      for (let r = 0; r < dszH; r++) {
        const sy = reflect101(y0 + r, height) * width;
        for (let c = 0; c < dszW; c++) tile[r * dft + c] = src[sy + reflect101(x0 + c, width)];
      }
      engine.forward(tile, dszH);
      mulSpectrumsConj(tile, spectrumK, dft);
      engine.inverse(tile, bszH);
      for (let r = 0; r < bszH; r++) out.set(tile.subarray(r * dft, r * dft + bszW), (y + r) * width + x);
    }
  }
  return out;
}

/** getOptimalDFTSize restricted to powers of two (all MarrHildreth needs); other sizes are refused. */
function optimalPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  // OpenCV would pick a 2^a 3^b 5^c size; only accept n where that is a power of two.
  for (let m = n; m < p; m++) if (isSmooth(m)) throw new RangeError(`filter2DViaDft: DFT size ${m} is not a power of two`);
  return p;
}

function isSmooth(m: number): boolean {
  for (const f of [2, 3, 5]) while (m % f === 0) m /= f;
  return m === 1;
}
