/**
 * Identical hashes as one node: the step before the search (findPairs.ts). Rows whose hash bytes are
 * equal (and whose group is the same) become one node; the strategies search the distinct hashes only,
 * so 20,000 copies of one picture cost one row, not 200 million pair tests, and a million-row dataset
 * with many repeats searches fewer rows. The pairs inside a node are implied (distance 0) and a pair of
 * nodes stands for every pair of their rows: expandNodes() enumerates them (what perception prints).
 * Items identical under every hasher are grouped one level up, before this step (findPairs'
 * `identical: 'nodes'`), so the result stays linear in them.
 */
import type { PackedHashes } from './packed.js';
import type { PairSink } from './pairSet.js';

export interface IdenticalRows {
  /** distinct hashes */
  readonly nodes: number;
  /** the node of every row; nodes are numbered in the order of their first row */
  readonly nodeOf: Uint32Array;
  /** the first row of every node: node k's hash is row firstRow[k] (so firstRow is increasing) */
  readonly firstRow: Uint32Array;
  /** the rows of the nodes that hold more than one, in row order: node -> rows */
  readonly repeated: ReadonlyMap<number, Uint32Array>;
}

/** 32-bit mix of a row's words and its group (murmur3's finaliser per word). */
function rowHash(words: Uint32Array, at: number, count: number, group: number): number {
  let h = group ^ 0x9e3779b9;
  for (let w = 0; w < count; w++) {
    let k = Math.imul(words[at + w], 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * Rows with equal bytes and equal group key (`groupOf[row]`, default one group) share a node. Linear: an
 * open-addressing table of node ids keyed by a hash of the row, each hit confirmed byte for byte.
 */
export function collapseIdentical(hashes: PackedHashes, groupOf?: ArrayLike<number>): IdenticalRows {
  const n = hashes.count;
  const wordsPerRow = hashes.strideBytes / 4;
  const words = new Uint32Array(hashes.bytes.buffer, hashes.bytes.byteOffset, n * wordsPerRow);
  let size = 1024;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  const nodeOf = new Uint32Array(n);
  const first: number[] = [];
  const counts: number[] = [];
  const same = (a: number, b: number): boolean => {
    if (groupOf && groupOf[a] !== groupOf[b]) return false;
    for (let w = 0; w < wordsPerRow; w++) if (words[a * wordsPerRow + w] !== words[b * wordsPerRow + w]) return false;
    return true;
  };
  for (let r = 0; r < n; r++) {
    let s = rowHash(words, r * wordsPerRow, wordsPerRow, groupOf ? groupOf[r] : 0) & mask;
    for (;;) {
      const node = table[s];
      if (node < 0) {
        table[s] = first.length;
        nodeOf[r] = first.length;
        first.push(r);
        counts.push(1);
        break;
      }
      if (same(first[node], r)) {
        nodeOf[r] = node;
        counts[node]++;
        break;
      }
      s = (s + 1) & mask;
    }
  }
  const repeated = new Map<number, Uint32Array>();
  const fill = new Map<number, number>();
  for (let node = 0; node < counts.length; node++) {
    if (counts[node] < 2) continue;
    repeated.set(node, new Uint32Array(counts[node]));
    fill.set(node, 0);
  }
  if (repeated.size) {
    for (let r = 0; r < n; r++) {
      const rows = repeated.get(nodeOf[r]);
      if (!rows) continue;
      const at = fill.get(nodeOf[r])!;
      rows[at] = r;
      fill.set(nodeOf[r], at + 1);
    }
  }
  return { nodes: first.length, nodeOf, firstRow: Uint32Array.from(first), repeated };
}

/**
 * The item of each node for the kernels' "never pair one item with itself" check: the rows' item when
 * they all share one, else a value no row has (-1 - node), so the kernel keeps the pair and the sink
 * below drops the same-item row pairs inside it.
 */
export function nodeItems(ids: IdenticalRows, items: ArrayLike<number>): Int32Array {
  const out = new Int32Array(ids.nodes);
  for (let node = 0; node < ids.nodes; node++) out[node] = items[ids.firstRow[node]];
  for (const [node, rows] of ids.repeated) for (const r of rows) if (items[r] !== out[node]) out[node] = -1 - node;
  return out;
}

/**
 * A sink for pairs of nodes that passes on pairs of rows: every row of one node with every row of the
 * other (rows of one item skipped), and, from `addImplied`, the pairs inside each node at distance 0.
 */
export function expandNodes(ids: IdenticalRows, out: PairSink, items?: ArrayLike<number>) {
  const rowsOf = (node: number): ArrayLike<number> => ids.repeated.get(node) ?? [ids.firstRow[node]];
  const emit = (a: number, b: number, d: number, tag?: number): void => {
    if (a === b || (items && items[a] === items[b])) return;
    if (a < b) out.add(a, b, d, tag);
    else out.add(b, a, d, tag);
  };
  return {
    sink: {
      add(i: number, j: number, d: number, tag?: number) {
        const a = rowsOf(i);
        const b = rowsOf(j);
        for (let x = 0; x < a.length; x++) for (let y = 0; y < b.length; y++) emit(a[x], b[y], d, tag);
      },
    } satisfies PairSink,
    /** The pairs inside nodes: distance 0, quadratic in a node's rows. */
    addImplied(tag?: number): void {
      for (const node of ids.repeated.keys()) {
        const rows = rowsOf(node);
        for (let x = 0; x < rows.length; x++) for (let y = x + 1; y < rows.length; y++) emit(rows[x], rows[y], 0, tag);
      }
    },
  };
}
