/** Undirected graph of duplicate pairs. A null weight is an edge a person asserted (a review) without a measured distance. */
export type Adjacency = Map<string, Map<string, number | null>>;

export function addEdge(adj: Adjacency, a: string, b: string, w: number | null): void {
  if (a === b) return;
  link(adj, a, b, w);
  link(adj, b, a, w);
}

function link(adj: Adjacency, from: string, to: string, w: number | null): void {
  let m = adj.get(from);
  if (!m) adj.set(from, (m = new Map()));
  const old = m.get(to);
  // Keep the smallest measured distance when several hashers (or a review) give the same pair.
  if (old === undefined || (w !== null && (old === null || w < old))) m.set(to, w);
}

/** Connected components (each sorted by the caller as needed). Iterative, so a 100k-file cluster cannot overflow the stack. */
export function components(adj: Adjacency, nodes: Iterable<string>): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const start of nodes) {
    if (seen.has(start)) continue;
    seen.add(start);
    const comp: string[] = [];
    const stack = [start];
    while (stack.length > 0) {
      const u = stack.pop()!;
      comp.push(u);
      for (const v of adj.get(u)?.keys() ?? []) {
        if (!seen.has(v)) {
          seen.add(v);
          stack.push(v);
        }
      }
    }
    out.push(comp);
  }
  return out;
}

/**
 * Bottleneck (minimax) distance from `src` to every node of its component: the smallest possible largest
 * step on a chain of pairs. For a member that is not itself within threshold of the kept file, it says
 * how closely the chain links them. Edges without a distance count as unknown (Infinity).
 */
export function bottleneckFrom(adj: Adjacency, src: string): Map<string, number> {
  const dist = new Map<string, number>([[src, 0]]);
  const heap: [number, string][] = [[0, src]];
  const done = new Set<string>();
  while (heap.length > 0) {
    const [d, u] = heapPop(heap);
    if (done.has(u)) continue;
    done.add(u);
    for (const [v, w] of adj.get(u) ?? []) {
      const nd = Math.max(d, w ?? Infinity);
      if (nd < (dist.get(v) ?? Infinity) || !dist.has(v)) {
        dist.set(v, nd);
        heapPush(heap, [nd, v]);
      }
    }
  }
  return dist;
}

function heapPush(h: [number, string][], item: [number, string]): void {
  h.push(item);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p][0] <= h[i][0]) break;
    [h[p], h[i]] = [h[i], h[p]];
    i = p;
  }
}

function heapPop(h: [number, string][]): [number, string] {
  const top = h[0];
  const last = h.pop()!;
  if (h.length > 0) {
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l][0] < h[m][0]) m = l;
      if (r < h.length && h[r][0] < h[m][0]) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
  return top;
}
