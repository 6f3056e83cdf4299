/**
 * The merge of a sharded run: hash shards + plan + pair shards -> the scan's result -> clusters, keep
 * policy and manifest, through the same manifest builder the scan uses (manifest/build.ts), so a
 * sharded run and a scan of the same files decide alike. Identical hashes arrive as nodes: each node's
 * files are linked to its first file at distance 0 (a star, linear in the files) and a node pair
 * becomes one pair of first files, so 20,000 copies of one picture are one cluster, not 200 million pairs.
 * The colour check needs colour signatures the hash shards do not carry: sharded runs decide as
 * perception does (`settings.colorCheck: false` in the manifest).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ErrorCode } from '../errors.js';
import { replaceFileSync } from '../files/atomicWrite.js';
import { comparePairs, comparePaths } from '../files/paths.js';
import { commitManifest } from '../manifest/store.js';
import type { Manifest } from '../manifest/types.js';
import { DEFAULT_SCAN_OPTIONS } from '../scan/options.js';
import type { FileRecord, Pair, ScanResult, SkippedRecord } from '../types.js';
import type { FoundPairs } from '../pairs/pairSet.js';
import { readHashShard } from './hashShardRows.js';
import { NO_NODE, readNodes, readPlan } from './planShards.js';
import { readPairShards } from './shardPairs.js';
import { readShardSet, shardParquet } from './shardSet.js';

export interface ClusterShardsJob {
  readonly hashDir: string;
  readonly pairDir: string;
  readonly manifestPath: string;
  readonly strict?: boolean;
  readonly protect?: readonly string[];
  /** Also write every pair of files (identical ones expanded) as `pairs` prints them: id1,id2,distance. */
  readonly pairsCsv?: string;
}

export interface ClusterShardsOutcome {
  readonly manifest: Manifest;
  readonly written: boolean;
  readonly files: number;
  readonly skipped: number;
  readonly pairs: number;
  readonly identicalFiles: number;
}

export async function clusterShards(job: ClusterShardsJob): Promise<ClusterShardsOutcome> {
  const plan = readPlan(job.hashDir);
  const { pairs: nodePairs } = await readPairShards(job.pairDir, job.hashDir, plan);
  const nodes = readNodes(job.hashDir, plan);
  const h = plan.settings.hasher;
  const stride = Math.ceil(h.bits / 64) * 8;
  const paths: string[] = new Array<string>(plan.rows);
  const files: FileRecord[] = [];
  const skipped: SkippedRecord[] = [];
  let at = 0;
  for (const s of readShardSet(job.hashDir, 'hashes')) {
    const r = await readHashShard(shardParquet(job.hashDir, 'hashes', { index: s.shard, count: s.shards }), s.rows, stride);
    for (let k = 0; k < s.rows; k++) {
      const path = r.paths[k];
      paths[at + k] = path;
      if (r.error[k]) skipped.push({ path, code: r.error[k] as ErrorCode, message: r.message[k] ?? '' });
      else files.push({ path, kind: 'image', size: r.size[k], mtimeMs: r.mtime[k], width: r.width[k], height: r.height[k], fingerprint: r.sha256[k] ?? '' });
    }
    at += s.rows;
  }
  const label = `${h.name}${h.hashSize ?? ''}`;
  // The first file of each node stands for it; its other files hang off it at distance 0.
  const firstOf = new Int32Array(plan.distinct).fill(-1);
  const pairs: Pair[] = [];
  const pair = (x: number, y: number, distance: number): void => {
    const [a, b] = comparePaths(paths[x], paths[y]) <= 0 ? [paths[x], paths[y]] : [paths[y], paths[x]];
    pairs.push({ a, b, distance, hasher: label });
  };
  let identicalFiles = 0;
  for (let r = 0; r < plan.rows; r++) {
    const node = nodes[r];
    if (node === NO_NODE) continue;
    if (firstOf[node] < 0) firstOf[node] = r;
    else if (plan.threshold > 0) {
      pair(firstOf[node], r, 0);
      identicalFiles++;
    }
  }
  const p = nodePairs.toPairs();
  for (let k = 0; k < p.count; k++) pair(firstOf[p.i[k]], firstOf[p.j[k]], p.distance[k]);
  if (job.pairsCsv) writePairsCsv(job.pairsCsv, paths, nodes, plan.threshold, p);
  pairs.sort(comparePairs);
  files.sort((x, y) => comparePaths(x.path, y.path));
  skipped.sort((x, y) => comparePaths(x.path, y.path));

  const options = {
    ...DEFAULT_SCAN_OPTIONS,
    hashers: [
      { name: h.name, ...(h.hashSize !== undefined ? { hashSize: h.hashSize } : {}), ...(h.params ? { params: h.params } : {}), threshold: plan.threshold },
    ],
    strict: job.strict ?? false,
    protect: job.protect ?? [],
    useCache: false,
    colorCheck: false,
  };
  const result: ScanResult = {
    root: plan.settings.root,
    options,
    files,
    skipped,
    pairs,
    clusters: [],
    stats: { files: files.length, hashed: files.length, cached: 0, skipped: skipped.length, pairs: pairs.length, clusters: 0, seconds: 0 },
    cancelled: false,
  };
  const manifestPath = resolve(job.manifestPath);
  mkdirSync(dirname(manifestPath), { recursive: true });
  // The same locked read-merge-write as a scan: the decisions already in the manifest stay.
  const { manifest, written } = await commitManifest(manifestPath, { scan: result, purpose: 'media-dedupe shards cluster' });
  return { manifest, written, files: files.length, skipped: skipped.length, pairs: p.count, identicalFiles };
}

/**
 * Every pair of files, as one `media-dedupe pairs` process prints them (earlier row first, in row order;
 * a CSV field quoted when it needs it): node pairs expanded to their files, files of one node at 0.
 * Quadratic in the size of a node by nature: for comparing with a single process, not for 20,000 copies.
 */
function writePairsCsv(path: string, paths: readonly string[], nodes: Uint32Array, threshold: number, p: FoundPairs): void {
  const rowsOf = new Map<number, number[]>();
  for (let r = 0; r < nodes.length; r++) {
    if (nodes[r] === NO_NODE) continue;
    const list = rowsOf.get(nodes[r]);
    if (list) list.push(r);
    else rowsOf.set(nodes[r], [r]);
  }
  // Streamed (a CSV of every pair can be larger than memory), so not writeFileAtomicSync.
  replaceFileSync(path, (tmp) => {
    const fd = openSync(tmp, 'w');
    try {
      writeCsv(fd, paths, rowsOf, threshold, p);
    } finally {
      closeSync(fd);
    }
  });
}

function writeCsv(fd: number, paths: readonly string[], rowsOf: ReadonlyMap<number, number[]>, threshold: number, p: FoundPairs): void {
  let buf = 'id1,id2,distance\n';
  const csv = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const line = (a: number, b: number, d: number): void => {
    const [x, y] = a < b ? [a, b] : [b, a];
    buf += `${csv(paths[x])},${csv(paths[y])},${d}\n`;
    if (buf.length > 1 << 16) {
      writeSync(fd, buf);
      buf = '';
    }
  };
  if (threshold > 0)
    for (const rows of rowsOf.values()) for (let x = 0; x < rows.length; x++) for (let y = x + 1; y < rows.length; y++) line(rows[x], rows[y], 0);
  for (let k = 0; k < p.count; k++) for (const a of rowsOf.get(p.i[k])!) for (const b of rowsOf.get(p.j[k])!) line(a, b, p.distance[k]);
  writeSync(fd, buf);
}
