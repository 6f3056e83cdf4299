/**
 * Distances from a colour to small convex sets of colours (points of RGB space as [r, g, b]), for the
 * colour check: "could this colour come from that one by laying white or black over it (a watermark, a
 * text overlay), or by mixing it with a neighbouring cell (a shift of a fraction of a cell)?"
 * Black is the origin, so every set below contains it as a vertex.
 */

export type Vec3 = readonly [number, number, number] | Float64Array;

const WHITE = 255;

/** Squared distance from p to the triangle (a, b, c). Ericson, Real-Time Collision Detection, 5.1.5. */
export function triangleDist2(p: Vec3, a: Vec3, b: Vec3, c: Vec3): number {
  const abx = b[0] - a[0],
    aby = b[1] - a[1],
    abz = b[2] - a[2];
  const acx = c[0] - a[0],
    acy = c[1] - a[1],
    acz = c[2] - a[2];
  const apx = p[0] - a[0],
    apy = p[1] - a[1],
    apz = p[2] - a[2];
  const d1 = abx * apx + aby * apy + abz * apz;
  const d2 = acx * apx + acy * apy + acz * apz;
  if (d1 <= 0 && d2 <= 0) return dist2(p, a[0], a[1], a[2]);
  const bpx = p[0] - b[0],
    bpy = p[1] - b[1],
    bpz = p[2] - b[2];
  const d3 = abx * bpx + aby * bpy + abz * bpz;
  const d4 = acx * bpx + acy * bpy + acz * bpz;
  if (d3 >= 0 && d4 <= d3) return dist2(p, b[0], b[1], b[2]);
  const vc = d1 * d4 - d3 * d2;
  if (vc <= 0 && d1 >= 0 && d3 <= 0) {
    const v = d1 - d3 === 0 ? 0 : d1 / (d1 - d3);
    return dist2(p, a[0] + v * abx, a[1] + v * aby, a[2] + v * abz);
  }
  const cpx = p[0] - c[0],
    cpy = p[1] - c[1],
    cpz = p[2] - c[2];
  const d5 = abx * cpx + aby * cpy + abz * cpz;
  const d6 = acx * cpx + acy * cpy + acz * cpz;
  if (d6 >= 0 && d5 <= d6) return dist2(p, c[0], c[1], c[2]);
  const vb = d5 * d2 - d1 * d6;
  if (vb <= 0 && d2 >= 0 && d6 <= 0) {
    const w = d2 - d6 === 0 ? 0 : d2 / (d2 - d6);
    return dist2(p, a[0] + w * acx, a[1] + w * acy, a[2] + w * acz);
  }
  const va = d3 * d6 - d5 * d4;
  if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
    const w = d4 - d3 + (d5 - d6) === 0 ? 0 : (d4 - d3) / (d4 - d3 + (d5 - d6));
    return dist2(p, b[0] + w * (c[0] - b[0]), b[1] + w * (c[1] - b[1]), b[2] + w * (c[2] - b[2]));
  }
  const sum = va + vb + vc;
  if (sum === 0) return Math.min(dist2(p, a[0], a[1], a[2]), dist2(p, b[0], b[1], b[2]), dist2(p, c[0], c[1], c[2])); // degenerate: a point
  const v = vb / sum;
  const w = vc / sum;
  return dist2(p, a[0] + abx * v + acx * w, a[1] + aby * v + acy * w, a[2] + abz * v + acz * w);
}

const ORIGIN: Vec3 = [0, 0, 0];
const WHITE3: Vec3 = [WHITE, WHITE, WHITE];

/** Distance from p to {a overlaid with any grey at any opacity}: the triangle (black, a, white). */
export function overlayDist(p: Vec3, a: Vec3): number {
  return Math.sqrt(triangleDist2(p, ORIGIN, a, WHITE3));
}

/**
 * Distance from p to {any mix of a and b, overlaid with any grey at any opacity}: the tetrahedron
 * (black, a, b, white). Zero inside; otherwise the nearest of its four faces.
 */
export function mixOverlayDist(p: Vec3, a: Vec3, b: Vec3): number {
  if (insideTetra(p, a, b)) return 0;
  return Math.sqrt(
    Math.min(triangleDist2(p, ORIGIN, a, b), triangleDist2(p, ORIGIN, a, WHITE3), triangleDist2(p, ORIGIN, b, WHITE3), triangleDist2(p, a, b, WHITE3)),
  );
}

/** p = la * a + lb * b + lw * white with every weight >= 0 and their sum <= 1 (black takes the rest). */
function insideTetra(p: Vec3, a: Vec3, b: Vec3): boolean {
  // Solve [a b white] * l = p by Cramer's rule (triple products); a flat tetrahedron has no inside.
  const det = triple(a, b, WHITE3);
  if (Math.abs(det) < 1e-3 * WHITE * WHITE * WHITE) return false;
  const la = triple(p, b, WHITE3) / det;
  const lb = triple(a, p, WHITE3) / det;
  const lw = triple(a, b, p) / det;
  return la >= 0 && lb >= 0 && lw >= 0 && la + lb + lw <= 1;
}

/** u . (v x w) */
function triple(u: Vec3, v: Vec3, w: Vec3): number {
  return u[0] * (v[1] * w[2] - v[2] * w[1]) - u[1] * (v[0] * w[2] - v[2] * w[0]) + u[2] * (v[0] * w[1] - v[1] * w[0]);
}

function dist2(p: Vec3, x: number, y: number, z: number): number {
  const dx = p[0] - x;
  const dy = p[1] - y;
  const dz = p[2] - z;
  return dx * dx + dy * dy + dz * dz;
}
