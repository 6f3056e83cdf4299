/**
 * A set of (i, j, distance) pairs with i < j, in typed arrays: LSH finds the same true pair in many tables,
 * and a JS Set of numbers stops at 2^24 entries and costs ~50 bytes each.
 *
 * Self-contained on purpose (no imports, no references to module scope): lshKernel.ts ships this class's
 * source text to worker threads.
 */
export class PairSet {
  private ki: Uint32Array;
  private kj: Uint32Array;
  private kd: Uint16Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let cap = 1024;
    while (cap < capacity * 2) cap *= 2;
    this.ki = new Uint32Array(cap).fill(0xffffffff);
    this.kj = new Uint32Array(cap);
    this.kd = new Uint16Array(cap);
    this.mask = cap - 1;
  }

  /** Adds (i, j) with i < j; returns false when it was already there. */
  add(i: number, j: number, d: number): boolean {
    if (this.size * 2 >= this.mask) this.grow();
    let s = (Math.imul(i, 0x9e3779b1) ^ Math.imul(j + 0x7f4a7c15, 0x85ebca77)) & this.mask;
    for (;;) {
      const ki = this.ki[s];
      if (ki === 0xffffffff) {
        this.ki[s] = i;
        this.kj[s] = j;
        this.kd[s] = d;
        this.size++;
        return true;
      }
      if (ki === i && this.kj[s] === j) return false;
      s = (s + 1) & this.mask;
    }
  }

  /** The pairs sorted by (i, j), so results do not depend on hashing or on how work was split. */
  toArrays(): { i: Uint32Array; j: Uint32Array; dist: Uint16Array } {
    const n = this.size;
    const i = new Uint32Array(n);
    const j = new Uint32Array(n);
    const dist = new Uint16Array(n);
    let maxI = 0;
    for (let s = 0; s <= this.mask; s++) if (this.ki[s] !== 0xffffffff && this.ki[s] > maxI) maxI = this.ki[s];
    if (maxI < 0x200000) {
      // i * 2^32 + j is exact below 2^53: a native numeric sort of doubles, then distances looked up again.
      const keys = new Float64Array(n);
      let c = 0;
      for (let s = 0; s <= this.mask; s++) if (this.ki[s] !== 0xffffffff) keys[c++] = this.ki[s] * 4294967296 + this.kj[s];
      keys.sort();
      for (let q = 0; q < n; q++) {
        i[q] = Math.floor(keys[q] / 4294967296);
        j[q] = keys[q] - i[q] * 4294967296;
        dist[q] = this.get(i[q], j[q]);
      }
      return { i, j, dist };
    }
    const slots: number[] = [];
    for (let s = 0; s <= this.mask; s++) if (this.ki[s] !== 0xffffffff) slots.push(s);
    slots.sort((a, b) => this.ki[a] - this.ki[b] || this.kj[a] - this.kj[b]);
    slots.forEach((s, q) => {
      i[q] = this.ki[s];
      j[q] = this.kj[s];
      dist[q] = this.kd[s];
    });
    return { i, j, dist };
  }

  /** The stored distance of (i, j), or 0xffff when absent. */
  get(i: number, j: number): number {
    let s = (Math.imul(i, 0x9e3779b1) ^ Math.imul(j + 0x7f4a7c15, 0x85ebca77)) & this.mask;
    for (;;) {
      const ki = this.ki[s];
      if (ki === 0xffffffff) return 0xffff;
      if (ki === i && this.kj[s] === j) return this.kd[s];
      s = (s + 1) & this.mask;
    }
  }

  private grow(): void {
    const { ki, kj, kd } = this;
    const cap = (this.mask + 1) * 2;
    this.ki = new Uint32Array(cap).fill(0xffffffff);
    this.kj = new Uint32Array(cap);
    this.kd = new Uint16Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let s = 0; s < ki.length; s++) if (ki[s] !== 0xffffffff) this.add(ki[s], kj[s], kd[s]);
  }
}
