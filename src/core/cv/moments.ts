/**
 * cv::moments for an 8-bit single channel and cv::HuMoments. OpenCV sums exact integer moments
 * in 32x32 tiles and merges the tiles in double with a fixed formula; we replicate that order
 * (and completeMomentState's) so the doubles, and the Hu invariants, come out identical.
 */

const TILE = 32;

export interface NormalizedMoments {
  readonly nu20: number;
  readonly nu11: number;
  readonly nu02: number;
  readonly nu30: number;
  readonly nu21: number;
  readonly nu12: number;
  readonly nu03: number;
}

/**
 * Moments of channel `channel` of an interleaved image with `channels` samples per pixel
 * (so ColorMoment needs no cv::split copy).
 */
export function momentsU8(data: Uint8Array, width: number, height: number, channels = 1, channel = 0): NormalizedMoments {
  let m00 = 0,
    m10 = 0,
    m01 = 0,
    m20 = 0,
    m11 = 0,
    m02 = 0,
    m30 = 0,
    m21 = 0,
    m12 = 0,
    m03 = 0;
  const mom = new Float64Array(10);
  for (let y = 0; y < height; y += TILE) {
    const th = Math.min(TILE, height - y);
    for (let x = 0; x < width; x += TILE) {
      const tw = Math.min(TILE, width - x);
      tileMoments(data, width, channels, channel, x, y, tw, th, mom);
      const xm = x * mom[0];
      const ym = y * mom[0];
      m00 += mom[0];
      m10 += mom[1] + xm;
      m01 += mom[2] + ym;
      m20 += mom[3] + x * (mom[1] * 2 + xm);
      m11 += mom[4] + x * (mom[2] + ym) + y * mom[1];
      m02 += mom[5] + y * (mom[2] * 2 + ym);
      m30 += mom[6] + x * (3 * mom[3] + x * (3 * mom[1] + xm));
      m21 += mom[7] + x * (2 * (mom[4] + y * mom[1]) + x * (mom[2] + ym)) + y * mom[3];
      m12 += mom[8] + y * (2 * (mom[4] + x * mom[2]) + y * (mom[1] + xm)) + x * mom[5];
      m03 += mom[9] + y * (3 * mom[5] + y * (3 * mom[2] + ym));
    }
  }
  // completeMomentState
  let cx = 0,
    cy = 0,
    invM00 = 0;
  if (Math.abs(m00) > Number.EPSILON) {
    invM00 = 1 / m00;
    cx = m10 * invM00;
    cy = m01 * invM00;
  }
  const mu20 = m20 - m10 * cx;
  let mu11 = m11 - m10 * cy;
  const mu02 = m02 - m01 * cy;
  const mu11Out = mu11;
  const mu30 = m30 - cx * (3 * mu20 + cx * m10);
  mu11 += mu11;
  const mu21 = m21 - cx * (mu11 + cx * m01) - cy * mu20;
  const mu12 = m12 - cy * (mu11 + cy * m10) - cx * mu02;
  const mu03 = m03 - cy * (3 * mu02 + cy * m01);
  const invSqrtM00 = Math.sqrt(Math.abs(invM00));
  const s2 = invM00 * invM00;
  const s3 = s2 * invSqrtM00;
  return {
    nu20: mu20 * s2,
    nu11: mu11Out * s2,
    nu02: mu02 * s2,
    nu30: mu30 * s3,
    nu21: mu21 * s3,
    nu12: mu12 * s3,
    nu03: mu03 * s3,
  };
}

/** momentsInTile<uchar, int, int>: every term is an integer below 2^31, so doubles hold them exactly. */
function tileMoments(data: Uint8Array, width: number, cn: number, ch: number, x0: number, y0: number, tw: number, th: number, mom: Float64Array): void {
  mom.fill(0);
  for (let y = 0; y < th; y++) {
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    let p = ((y0 + y) * width + x0) * cn + ch;
    for (let x = 0; x < tw; x++, p += cn) {
      const v = data[p];
      const xp = x * v;
      const xxp = xp * x;
      s0 += v;
      s1 += xp;
      s2 += xxp;
      s3 += xxp * x;
    }
    const py = y * s0;
    const sy = y * y;
    mom[9] += py * sy;
    mom[8] += s1 * sy;
    mom[7] += s2 * y;
    mom[6] += s3;
    mom[5] += s0 * sy;
    mom[4] += s1 * y;
    mom[3] += s2;
    mom[2] += py;
    mom[1] += s1;
    mom[0] += s0;
  }
}

/** cv::HuMoments, same expression order. */
export function huMoments(m: NormalizedMoments, out: Float64Array | Float32Array = new Float64Array(7), offset = 0): Float64Array | Float32Array {
  let t0 = m.nu30 + m.nu12;
  let t1 = m.nu21 + m.nu03;
  let q0 = t0 * t0;
  let q1 = t1 * t1;
  const n4 = 4 * m.nu11;
  const s = m.nu20 + m.nu02;
  const d = m.nu20 - m.nu02;
  out[offset] = s;
  out[offset + 1] = d * d + n4 * m.nu11;
  out[offset + 3] = q0 + q1;
  out[offset + 5] = d * (q0 - q1) + n4 * t0 * t1;
  t0 *= q0 - 3 * q1;
  t1 *= 3 * q0 - q1;
  q0 = m.nu30 - 3 * m.nu12;
  q1 = 3 * m.nu21 - m.nu03;
  out[offset + 2] = q0 * q0 + q1 * q1;
  out[offset + 4] = q0 * t0 + q1 * t1;
  out[offset + 6] = q1 * t0 - q0 * t1;
  return out;
}
