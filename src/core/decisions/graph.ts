/**
 * Graph functions of the decision model, all iterative (a 100k-file cluster cannot overflow the stack) and
 * all deterministic for a given insertion order (callers insert in path order).
 */

/** Union-find over 0..n-1 with path halving and union by size. */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
  }
}

/** Undirected weighted graph on numbered nodes; weight null = linked without a measured distance (a review). */
export type WeightedAdjacency = Map<number, Map<number, number | null>>;

export function addWeightedEdge(adj: WeightedAdjacency, a: number, b: number, w: number | null): void {
  if (a === b) return;
  link(adj, a, b, w);
  link(adj, b, a, w);
}

function link(adj: WeightedAdjacency, x: number, y: number, w: number | null): void {
  let m = adj.get(x);
  if (!m) adj.set(x, (m = new Map()));
  const old = m.get(y);
  // The smallest measured distance wins when several hashers (or a review) give the same pair.
  if (old === undefined || (w !== null && (old === null || w < old))) m.set(y, w);
}

/**
 * Minimax (bottleneck) paths from `src`: for every reachable node, the smallest possible largest step of a
 * chain to it, and its parent on that chain (the next node towards `src`). Edges without a distance count
 * as Infinity. It says how closely a member that is not itself a duplicate of the kept file is linked to it.
 */
export function bottleneckTree(adj: WeightedAdjacency, src: number): { dist: Map<number, number>; parent: Map<number, number> } {
  const dist = new Map<number, number>([[src, 0]]);
  const parent = new Map<number, number>();
  const heap: [number, number][] = [[0, src]];
  const done = new Set<number>();
  while (heap.length > 0) {
    const [d, u] = heapPop(heap);
    if (done.has(u)) continue;
    done.add(u);
    for (const [v, w] of adj.get(u) ?? []) {
      if (done.has(v)) continue;
      const nd = Math.max(d, w ?? Infinity);
      const old = dist.get(v);
      if (old === undefined || nd < old || (nd === old && u < parent.get(v)!)) {
        dist.set(v, nd);
        parent.set(v, u);
        heapPush(heap, [nd, v]);
      }
    }
  }
  return { dist, parent };
}

/** Strongly connected components with more than one node (cycles) of a directed graph; Tarjan's algorithm, iterative. */
export function cycles(n: number, out: readonly (readonly number[])[]): number[][] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const result: number[][] = [];
  let next = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const top = work[work.length - 1];
      const [v, i] = top;
      const edges = out[v] ?? [];
      if (i < edges.length) {
        top[1]++;
        const w = edges[i];
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const u = work[work.length - 1][0];
        low[u] = Math.min(low[u], low[v]);
      }
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1) result.push(comp.sort((a, b) => a - b));
      }
    }
  }
  return result;
}

function heapPush(h: [number, number][], item: [number, number]): void {
  h.push(item);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p][0] < h[i][0] || (h[p][0] === h[i][0] && h[p][1] <= h[i][1])) break;
    [h[p], h[i]] = [h[i], h[p]];
    i = p;
  }
}

function heapPop(h: [number, number][]): [number, number] {
  const top = h[0];
  const last = h.pop()!;
  if (h.length > 0) {
    h[0] = last;
    let i = 0;
    const less = (x: [number, number], y: [number, number]): boolean => x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]);
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && less(h[l], h[m])) m = l;
      if (r < h.length && less(h[r], h[m])) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
  return top;
}
