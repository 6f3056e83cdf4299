/**
 * The ids of a hashes file, kept compact: a million JS strings (and a Map over them to find repeated ids)
 * cost ~100 MB; here each id is its canonical JSON text in one byte buffer, ~10 bytes each.
 */
export type Id = string | number;

export class IdTable {
  private bytes = Buffer.allocUnsafe(1 << 16);
  /** ends[k] = byte offset just past id k's text */
  private ends = new Uint32Array(1024);
  private used = 0;
  count = 0;

  /** JSON text is canonical here: 1.0 and 1 are one id, "1" and 1 are two (as in a Python dict). */
  add(id: Id): void {
    const text = JSON.stringify(id);
    const room = this.used + text.length * 3;
    if (room > this.bytes.length) {
      const next = Buffer.allocUnsafe(Math.max(room, this.bytes.length * 2));
      this.bytes.copy(next, 0, 0, this.used);
      this.bytes = next;
    }
    this.used += this.bytes.write(text, this.used, 'utf8');
    if (this.count === this.ends.length) {
      const next = new Uint32Array(this.ends.length * 2);
      next.set(this.ends);
      this.ends = next;
    }
    this.ends[this.count++] = this.used;
  }

  private start(k: number): number {
    return k === 0 ? 0 : this.ends[k - 1];
  }

  get(k: number): Id {
    return JSON.parse(this.bytes.toString('utf8', this.start(k), this.ends[k])) as Id;
  }

  private same(a: number, b: number): boolean {
    const sa = this.start(a);
    const sb = this.start(b);
    const len = this.ends[a] - sa;
    if (this.ends[b] - sb !== len) return false;
    for (let q = 0; q < len; q++) if (this.bytes[sa + q] !== this.bytes[sb + q]) return false;
    return true;
  }

  /**
   * The item of every row, named by the first row that has its id, when some id is on several rows
   * (e.g. video frames); undefined when every id is distinct, the common case, which needs no item checks.
   */
  items(): Int32Array | undefined {
    const n = this.count;
    const { bytes, ends } = this;
    // FNV-1a of each id's text, then rows grouped by it; only rows with equal hashes are compared.
    const keys = new Uint32Array(n);
    for (let k = 0, q = 0; k < n; k++) {
      let h = 0x811c9dc5;
      for (const e = ends[k]; q < e; q++) h = Math.imul(h ^ bytes[q], 0x01000193);
      keys[k] = h >>> 0;
    }
    const order = sortByKey(keys);
    let items: Int32Array | undefined;
    for (let s = 0; s < n;) {
      let e = s + 1;
      while (e < n && keys[order[e]] === keys[order[s]]) e++;
      // Rows of one hash value, in row order (the sort is stable): usually one id, rarely a collision.
      for (let q = s + 1; q < e; q++) {
        const row = order[q];
        for (let p = s; p < q; p++) {
          const first = order[p];
          if ((items ? items[first] : first) !== first || !this.same(first, row)) continue;
          items ??= Int32Array.from({ length: n }, (_, k) => k);
          items[row] = first;
          break;
        }
      }
      s = e;
    }
    return items;
  }
}

/** Row numbers ordered by key, stable: an LSD radix sort in two 16-bit passes (linear, no comparator calls). */
function sortByKey(keys: Uint32Array): Uint32Array {
  const n = keys.length;
  let src = Uint32Array.from({ length: n }, (_, k) => k);
  let dst = new Uint32Array(n);
  const count = new Uint32Array(65537);
  for (const shift of [0, 16]) {
    count.fill(0);
    for (let k = 0; k < n; k++) count[((keys[src[k]] >>> shift) & 0xffff) + 1]++;
    for (let b = 0; b < 65536; b++) count[b + 1] += count[b];
    for (let k = 0; k < n; k++) dst[count[(keys[src[k]] >>> shift) & 0xffff]++] = src[k];
    [src, dst] = [dst, src];
  }
  return src;
}
