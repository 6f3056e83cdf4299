/**
 * Pairs found by a bit-hash search: parallel typed arrays, because a search can return millions of
 * pairs and objects would cost ten times the memory. `d` is the number of differing bits.
 */
export interface BitPairs {
  readonly count: number;
  readonly i: Uint32Array;
  readonly j: Uint32Array;
  readonly d: Uint32Array;
}

export const NO_PAIRS: BitPairs = { count: 0, i: new Uint32Array(0), j: new Uint32Array(0), d: new Uint32Array(0) };

/** A growable list of (i, j, d). */
export class PairBuilder {
  private i = new Uint32Array(1024);
  private j = new Uint32Array(1024);
  private d = new Uint32Array(1024);
  count = 0;

  push(i: number, j: number, d: number): void {
    if (this.count === this.i.length) this.grow(this.count + 1);
    this.i[this.count] = i;
    this.j[this.count] = j;
    this.d[this.count] = d;
    this.count++;
  }

  /** Appends n (i, j, d) triples stored one after another, as the kernels write them. */
  pushTriples(t: Uint32Array, n: number): void {
    if (this.count + n > this.i.length) this.grow(this.count + n);
    for (let k = 0, c = this.count; k < n; k++, c++) {
      this.i[c] = t[3 * k];
      this.j[c] = t[3 * k + 1];
      this.d[c] = t[3 * k + 2];
    }
    this.count += n;
  }

  private grow(min: number): void {
    const size = Math.max(min, this.i.length * 2);
    for (const key of ['i', 'j', 'd'] as const) {
      const next = new Uint32Array(size);
      next.set(this[key].subarray(0, this.count));
      this[key] = next;
    }
  }

  finish(): BitPairs {
    return { count: this.count, i: this.i.slice(0, this.count), j: this.j.slice(0, this.count), d: this.d.slice(0, this.count) };
  }
}

export function concatPairs(parts: readonly BitPairs[]): BitPairs {
  const count = parts.reduce((n, p) => n + p.count, 0);
  const out = { count, i: new Uint32Array(count), j: new Uint32Array(count), d: new Uint32Array(count) };
  let at = 0;
  for (const p of parts) {
    out.i.set(p.i.subarray(0, p.count), at);
    out.j.set(p.j.subarray(0, p.count), at);
    out.d.set(p.d.subarray(0, p.count), at);
    at += p.count;
  }
  return out;
}

/**
 * Sorts by i, then j. Workers finish tiles in any order; sorted output makes every run print the
 * same thing. A counting sort on i (rows are dense indices) keeps it linear for millions of pairs.
 */
export function sortPairs(p: BitPairs): BitPairs {
  const n = p.count;
  if (n < 2) return p;
  let maxI = 0;
  for (let k = 0; k < n; k++) if (p.i[k] > maxI) maxI = p.i[k];
  const start = new Uint32Array(maxI + 2);
  for (let k = 0; k < n; k++) start[p.i[k] + 1]++;
  for (let r = 0; r <= maxI; r++) start[r + 1] += start[r];
  const fill = start.slice(0, maxI + 1);
  const out = { count: n, i: new Uint32Array(n), j: new Uint32Array(n), d: new Uint32Array(n) };
  for (let k = 0; k < n; k++) {
    const at = fill[p.i[k]]++;
    out.i[at] = p.i[k];
    out.j[at] = p.j[k];
    out.d[at] = p.d[k];
  }
  // Within a row: usually a handful of pairs (insertion sort), sometimes thousands (a typed-array sort
  // of j and d packed into one double; d < 2^21 bits).
  for (let r = 0; r <= maxI; r++) {
    const len = start[r + 1] - start[r];
    if (len > 16) {
      const keys = new Float64Array(len);
      for (let k = 0; k < len; k++) keys[k] = out.j[start[r] + k] * 2097152 + out.d[start[r] + k];
      keys.sort();
      for (let k = 0; k < len; k++) {
        out.j[start[r] + k] = Math.floor(keys[k] / 2097152);
        out.d[start[r] + k] = keys[k] % 2097152;
      }
      continue;
    }
    for (let a = start[r] + 1; a < start[r + 1]; a++) {
      const j = out.j[a];
      const d = out.d[a];
      let b = a - 1;
      while (b >= start[r] && out.j[b] > j) {
        out.j[b + 1] = out.j[b];
        out.d[b + 1] = out.d[b];
        b--;
      }
      out.j[b + 1] = j;
      out.d[b + 1] = d;
    }
  }
  return out;
}

/** The pairs as objects, for callers that want to iterate or print. */
export function* iteratePairs(p: BitPairs): Generator<{ i: number; j: number; d: number }> {
  for (let k = 0; k < p.count; k++) yield { i: p.i[k], j: p.j[k], d: p.d[k] };
}
