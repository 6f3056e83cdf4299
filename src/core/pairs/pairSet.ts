/**
 * The one result type of every pair search and the one accumulator that builds it.
 *
 * Pairs are parallel typed arrays, because a search can return millions of pairs and objects would cost
 * ten times the memory. Every producer (the exact kernel's threads, LSH tables, isometric variants,
 * brute force, several hashers) adds into a PairSet, which keeps one entry per (i, j) key: the smallest
 * distance, ties to the smallest tag. The same true pair found by many LSH tables, by several variants
 * or by several hashers is so reduced to one entry by one rule, whatever order threads finish in.
 */
export interface FoundPairs {
  readonly count: number;
  readonly i: Uint32Array;
  readonly j: Uint32Array;
  /** Whatever the producer measures: differing bits inside a strategy; perception's distance in findPairs' result. */
  readonly distance: Float64Array;
  /** Which hasher and isometric variant gave the distance (see tagOf). */
  readonly tag: Uint32Array;
}

/** Receives pairs: a PairSet, or findPairs' sink that names rows by their items. */
export interface PairSink {
  add(i: number, j: number, distance: number, tag?: number): void;
}

/**
 * Tie-break order on equal distances: the earlier hasher, then the earlier dihedral variant, then the
 * variant of the pair's first item (`whose` 0) before the second's (1).
 */
export const tagOf = (hasher: number, variant = 0, whose = 0): number => hasher * 16 + variant * 2 + whose;
export const tagHasher = (tag: number): number => tag >>> 4;
export const tagVariant = (tag: number): number => (tag >>> 1) & 7;
export const tagWhose = (tag: number): number => tag & 1;

const EMPTY = 0xffffffff;

/** An open-addressing hash set of (i, j) keys; a JS Set of numbers stops at 2^24 entries and costs ~50 bytes each. */
export class PairSet implements PairSink {
  private ki: Uint32Array;
  private kj: Uint32Array;
  private kd: Float64Array;
  private kt: Uint32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let cap = 1024;
    while (cap < capacity * 2) cap *= 2;
    this.ki = new Uint32Array(cap).fill(EMPTY);
    this.kj = new Uint32Array(cap);
    this.kd = new Float64Array(cap);
    this.kt = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  private slot(i: number, j: number): number {
    let s = (Math.imul(i, 0x9e3779b1) ^ Math.imul(j + 0x7f4a7c15, 0x85ebca77)) & this.mask;
    while (this.ki[s] !== EMPTY && (this.ki[s] !== i || this.kj[s] !== j)) s = (s + 1) & this.mask;
    return s;
  }

  /** Adds (i, j), or lowers its distance (and tag) when this one is smaller. */
  add(i: number, j: number, distance: number, tag = 0): void {
    if (this.size * 2 >= this.mask) this.grow();
    const s = this.slot(i, j);
    if (this.ki[s] === EMPTY) {
      this.ki[s] = i;
      this.kj[s] = j;
      this.size++;
    } else if (!(distance < this.kd[s] || (distance === this.kd[s] && tag < this.kt[s]))) return;
    this.kd[s] = distance;
    this.kt[s] = tag;
  }

  /** Adds every pair of `p`. */
  addAll(p: FoundPairs): void {
    for (let k = 0; k < p.count; k++) this.add(p.i[k], p.j[k], p.distance[k], p.tag[k]);
  }

  /** The stored distance of (i, j), or undefined. */
  get(i: number, j: number): number | undefined {
    const s = this.slot(i, j);
    return this.ki[s] === EMPTY ? undefined : this.kd[s];
  }

  /**
   * The pairs sorted by (i, j), so results do not depend on hashing or on how work was split: a stable
   * radix sort of the slots, 16 bits of j then of i at a time (linear; passes over zero digits skipped).
   */
  toPairs(): FoundPairs {
    const n = this.size;
    // Compacted first, so the sort reads sequential memory rather than the sparse table.
    const slots = new Uint32Array(n);
    const ci = new Uint32Array(n);
    const cj = new Uint32Array(n);
    let order = new Uint32Array(n);
    let high = 0;
    for (let s = 0, c = 0; s <= this.mask; s++) {
      if (this.ki[s] === EMPTY) continue;
      slots[c] = s;
      order[c] = c;
      high |= (ci[c] = this.ki[s]) | (cj[c++] = this.kj[s]);
    }
    let spare = new Uint32Array(n);
    const count = new Uint32Array(65537);
    for (const [keys, shift] of [
      [cj, 0],
      [cj, 16],
      [ci, 0],
      [ci, 16],
    ] as const) {
      if (shift && high >>> 16 === 0) continue;
      count.fill(0);
      for (let k = 0; k < n; k++) count[((keys[order[k]] >>> shift) & 0xffff) + 1]++;
      for (let d = 0; d < 65536; d++) count[d + 1] += count[d];
      for (let k = 0; k < n; k++) spare[count[(keys[order[k]] >>> shift) & 0xffff]++] = order[k];
      [order, spare] = [spare, order];
    }
    const out = { count: n, i: new Uint32Array(n), j: new Uint32Array(n), distance: new Float64Array(n), tag: new Uint32Array(n) };
    for (let q = 0; q < n; q++) {
      const c = order[q];
      out.i[q] = ci[c];
      out.j[q] = cj[c];
      out.distance[q] = this.kd[slots[c]];
      out.tag[q] = this.kt[slots[c]];
    }
    return out;
  }

  private grow(): void {
    const { ki, kj, kd, kt } = this;
    const cap = (this.mask + 1) * 2;
    this.ki = new Uint32Array(cap).fill(EMPTY);
    this.kj = new Uint32Array(cap);
    this.kd = new Float64Array(cap);
    this.kt = new Uint32Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let s = 0; s < ki.length; s++) if (ki[s] !== EMPTY) this.add(ki[s], kj[s], kd[s], kt[s]);
  }
}

/** The typed arrays of `p`, to hand to postMessage's transfer list. */
export const transferables = (p: FoundPairs): ArrayBuffer[] => [p.i, p.j, p.distance, p.tag].map((a) => a.buffer as ArrayBuffer);
