/**
 * The ingest gate: which new files are already in a dataset? The new files are hashed (through their own
 * folder's cache) and searched against the hashes the dataset's last scan saved in its cache folder, so
 * the dataset's media are never opened, decoded or hashed again: `datasetFilesOpened` counts every file
 * of the dataset folder this reads (its manifest for the hasher settings, and its cache). The search is
 * findPairs' query search (new hashes against the saved ones: exact on every core, LSH past the exact range, choose.ts).
 * With `cropResistant` (a dataset scanned with --crop-resistant) the saved content-box and window hashes
 * take part as in the scan's crop-resistant strategy (pairs/cropPairs.ts), in both directions: a new file
 * that is a bordered or cropped copy of a dataset file, and one that a dataset file is such a copy of.
 */
import { dirname, join, relative, sep } from 'node:path';
import { promises as fsp, statSync } from 'node:fs';
import { entryOfOutcome, HashCache, listCaches, type CachedCrops } from '../cache/hashCache.js';
import { cropColorsAgree } from '../colorcheck/cropColors.js';
import { holdsHasher, parseSettingsKey, settingsKey } from '../cache/settingsKey.js';
import { CROP_LAYOUT } from '../crops/cropWindows.js';
import { invalidOption } from '../errors.js';
import { compileExclude, compileInclude, DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from '../files/filters.js';
import { comparePaths } from '../files/paths.js';
import { walk, type WalkEntry } from '../files/walk.js';
import { normalizeHasher, prepareTables, type TableSpec } from '../hashers/configure.js';
import { readManifest } from '../manifest/io.js';
import { MANIFEST_FILE_NAME } from '../manifest/types.js';
import { describeSearch } from '../pairs/choose.js';
import { findPairs, packHashStrings, type HasherInput } from '../pairs/findPairs.js';
import { BOX_RATIO, cropViewsAgree, viewsOfFile, WINDOW_RATIO } from '../pairs/cropPairs.js';
import { tagHasher } from '../pairs/pairSet.js';
import { DEFAULT_SCAN_OPTIONS } from '../scan/options.js';
import type { HasherConfig, PairVia, SkippedRecord } from '../types.js';

export interface CompareInput {
  /** New files and folders (absolute paths); folders are walked for media as a scan walks them. */
  readonly inputs: readonly string[];
  /** The dataset folder a scan saved its hashes in (absolute). */
  readonly dataset: string;
  /** Hashers and thresholds; default: the dataset manifest's, else the scan's default (phash:16@0.2). */
  readonly hashers?: readonly (Partial<HasherConfig> & { readonly name: string })[];
  /** Keep the new files' hashes in their folder's cache (default true). */
  readonly useCache?: boolean;
  /** New files are shown relative to this folder (the CLI: the current folder); absolute otherwise. */
  readonly cwd?: string;
  /**
   * Also match bordered and cropped copies (the scan's --crop-resistant): new files are hashed with their
   * content boxes and windows, and the dataset's saved ones are searched too. The dataset must have been
   * scanned with --crop-resistant by this version. Default: as the dataset's manifest says.
   */
  readonly cropResistant?: boolean;
  readonly log?: (msg: string) => void;
}

export interface CompareMatch {
  readonly path: string; // dataset path, relative to the dataset folder
  readonly distance: number;
  readonly hasher: string;
  /** How a crop-resistant match was found (as Pair.via): absent for a match of the whole files. */
  readonly via?: PairVia;
}

export interface CompareResult {
  readonly dataset: string;
  readonly hashers: readonly { readonly label: string; readonly threshold: number; readonly search: string }[];
  /** Dataset files whose saved hashes were searched. */
  readonly searched: number;
  /** Every new file (as given, or relative to the folder given) with its matches, nearest first; sorted by path. */
  readonly files: readonly { readonly path: string; readonly matches: readonly CompareMatch[] }[];
  readonly skipped: readonly SkippedRecord[];
  readonly hashed: number;
  readonly cached: number;
  /** Files of the dataset folder opened: its manifest and cache, never its media. */
  readonly datasetFilesOpened: number;
  readonly seconds: number;
}

/** A new file: where it is, how it is named in the result, and which cache folder keeps its hashes. */
interface NewFile extends WalkEntry {
  readonly shown: string;
}

export async function compareAgainst(input: CompareInput): Promise<CompareResult> {
  const t0 = performance.now();
  const log = input.log ?? (() => {});
  let opened = 0;
  // The manifest only for its hasher settings and its crop-resistant setting, when they were not given.
  let configs = input.hashers;
  let crop = input.cropResistant;
  if (!configs || crop === undefined) {
    const manifestPath = join(input.dataset, MANIFEST_FILE_NAME);
    const m = await readManifest(manifestPath).catch(() => null);
    if (m) opened++;
    configs ??= m ? m.settings.hashers : DEFAULT_SCAN_OPTIONS.hashers;
    crop ??= m?.settings.cropResistant === true;
  }
  const tables = prepareTables(configs.map((c, i) => normalizeHasher(c, i)));

  const caches = await listCaches(input.dataset);
  opened += caches.length; // each cache's header was read to find the right one
  const saved = caches.find((c) => tables.every((t) => holdsHasher(c.settingsKey, t.key)));
  if (!saved)
    throw invalidOption(
      '--against',
      `a folder scanned with ${tables.map((t) => t.label).join(' and ')} by this version (run "media-dedupe scan ${input.dataset}" first)`,
      input.dataset,
    );
  const data = await HashCache.readOnly(input.dataset, { settingsKey: saved.settingsKey, hashKeys: parseSettingsKey(saved.settingsKey)!.hasherKeys, log });
  const dataEntries = [...data.all()].filter((e) => e.hashes !== undefined).sort((a, b) => comparePaths(a.path, b.path));

  if (crop) {
    const without = dataEntries.filter((e) => e.crops?.layout !== CROP_LAYOUT).length;
    if (without === dataEntries.length && dataEntries.length > 0)
      throw invalidOption(
        '--crop-resistant',
        `a dataset scanned with --crop-resistant by this version (run "media-dedupe scan ${input.dataset} --crop-resistant" first)`,
        input.dataset,
      );
    if (without > 0)
      log(
        `${without} of ${dataEntries.length} dataset files have no crop hashes saved (not scanned with --crop-resistant since they changed): their whole hashes only`,
      );
  }

  const { files, skipped: walkSkipped } = await newFiles(input.inputs, input.cwd);
  const hashedNew = await hashNew(files, tables, input.useCache !== false, crop, log);
  const skipped = [...walkSkipped, ...hashedNew.skipped].sort((a, b) => comparePaths(a.path, b.path));

  const ok = files.filter((f) => hashedNew.hashes.has(f.abs));
  // One search per hasher (whole against whole), and with crop-resistant three more per hasher, each
  // remembered with the table it belongs to and how its matches are marked.
  const hashers: HasherInput[] = [];
  const kinds: { table: number; via?: PairVia }[] = [];
  const dataCrops = (k: number, key: string) => (dataEntries[k].crops?.layout === CROP_LAYOUT ? dataEntries[k].crops!.hashes[key] : undefined);
  tables.forEach((t, ti) => {
    const pack = (strings: string[]) => packHashStrings(strings, t.hasher.dtype, t.hasher.hashLength);
    const dataWhole = dataEntries.flatMap((e, k) => (typeof e.hashes![t.key] === 'string' ? [k] : []));
    const newWhole = ok.flatMap((f, k) => (typeof hashedNew.hashes.get(f.abs)![t.key] === 'string' ? [k] : []));
    const search = (data: Side, queries: Side, threshold: number, via?: PairVia) => {
      // The whole-file search is always there (it describes the hasher's search); a crop one only with hashes on both sides.
      if (via && (data.strings.length === 0 || queries.strings.length === 0)) return;
      // Query items are numbered after the data's: items with one id are never paired.
      hashers.push({
        hashes: pack(data.strings),
        queries: pack(queries.strings),
        items: data.items,
        queryItems: queries.items.map((k) => dataEntries.length + k),
        threshold,
      });
      kinds.push({ table: ti, ...(via ? { via } : {}) });
    };
    const whole = (rows: number[], hash: (k: number) => string): Side => ({ items: rows, strings: rows.map(hash) });
    const dataHash = (k: number) => dataEntries[k].hashes![t.key]!;
    const newHash = (k: number) => hashedNew.hashes.get(ok[k].abs)![t.key]!;
    search(whole(dataWhole, dataHash), whole(newWhole, newHash), t.threshold);
    if (!crop) return;
    // As the scan's strategy (pairs/cropPairs.ts): whole-or-box against whole-or-box, windows only against whole-or-box.
    const dataViews = views(dataWhole, dataHash, (k) => dataCrops(k, t.key));
    const newViews = views(newWhole, newHash, (k) => hashedNew.crops.get(ok[k].abs)?.hashes[t.key]);
    search(dataViews.boxes, newViews.boxes, t.threshold * BOX_RATIO, 'content-box');
    search(dataViews.boxes, newViews.windows, t.threshold * WINDOW_RATIO, 'crop-window');
    search(dataViews.windows, newViews.boxes, t.threshold * WINDOW_RATIO, 'crop-window');
  });
  const found = await findPairs({ hashers });
  // As the scan does (pairs/cropPairs.ts): a crop match whose matched views differ in colour is dropped.
  const cropColorsMatch = (q: number, d: number, via: PairVia, t: TableSpec): boolean => {
    const { dtype, hashLength, distanceMetric } = t.hasher;
    const mine = hashedNew.crops.get(ok[q].abs);
    const theirs = dataEntries[d].crops?.layout === CROP_LAYOUT ? dataEntries[d].crops : undefined;
    return cropViewsAgree(
      distanceMetric,
      viewsOfFile(hashedNew.hashes.get(ok[q].abs)![t.key], mine?.hashes[t.key], dtype, hashLength),
      viewsOfFile(dataEntries[d].hashes![t.key], theirs?.hashes[t.key], dtype, hashLength),
      via,
      (vq, vd) => cropColorsAgree(mine?.colors, theirs?.colors, vq, vd),
    );
  };
  const matches = new Map<number, Map<number, CompareMatch>>();
  const p = found.pairs;
  for (let k = 0; k < p.count; k++) {
    const q = p.i[k] - dataEntries.length;
    const d = p.j[k];
    const kind = kinds[tagHasher(p.tag[k])];
    if (kind.via && !cropColorsMatch(q, d, kind.via, tables[kind.table])) continue;
    const m: CompareMatch = { path: dataEntries[d].path, distance: p.distance[k], hasher: tables[kind.table].label, ...(kind.via ? { via: kind.via } : {}) };
    const per = matches.get(q) ?? matches.set(q, new Map()).get(q)!;
    const old = per.get(d);
    // A match of the whole files wins over a crop-resistant one; otherwise the nearest.
    if (
      !old ||
      (old.via !== undefined && m.via === undefined) ||
      (old.via !== undefined && m.distance < old.distance) ||
      (m.via === undefined && m.distance < old.distance)
    )
      per.set(d, m);
  }
  return {
    dataset: input.dataset,
    // The whole-file search of each hasher describes it (the crop-resistant ones follow it in `kinds`).
    hashers: tables.map((t, h) => ({ label: t.label, threshold: t.threshold, search: describeSearch(found.searches[kinds.findIndex((k) => k.table === h)]) })),
    searched: dataEntries.length,
    files: ok
      .map((f, k) => ({
        path: f.shown,
        matches: [...(matches.get(k)?.values() ?? [])].sort((a, b) => a.distance - b.distance || comparePaths(a.path, b.path)),
      }))
      .sort((a, b) => comparePaths(a.path, b.path)),
    skipped,
    hashed: hashedNew.hashed,
    cached: hashedNew.cached,
    datasetFilesOpened: opened,
    seconds: Math.round(performance.now() - t0) / 1000,
  };
}

/** Items and their hash strings for one side of a search. */
interface Side {
  readonly items: number[];
  readonly strings: string[];
}

/** A side's whole-or-box hashes (each file's whole hash and content box's) and its windows' hashes, for files with crop hashes. */
function views(
  rows: readonly number[],
  whole: (k: number) => string,
  crops: (k: number) => readonly (string | null)[] | undefined,
): { boxes: Side; windows: Side } {
  const boxes: Side = { items: [], strings: [] };
  const windows: Side = { items: [], strings: [] };
  for (const k of rows) {
    const c = crops(k);
    if (!c) continue; // whole hashes only: found by the whole-file search
    boxes.items.push(k);
    boxes.strings.push(whole(k));
    c.forEach((h, w) => {
      if (h === null) return;
      const side = w === 0 ? boxes : windows;
      side.items.push(k);
      side.strings.push(h);
    });
  }
  return { boxes, windows };
}

/** The new files: folders walked (default include and exclude, as a scan), files taken as they are; each with the folder its cache lives in. */
async function newFiles(
  inputs: readonly string[],
  cwd: string | undefined,
): Promise<{ files: (NewFile & { readonly root: string })[]; skipped: SkippedRecord[] }> {
  const files: (NewFile & { root: string })[] = [];
  const skipped: SkippedRecord[] = [];
  const shownOf = (abs: string): string => (cwd ? relative(cwd, abs).split(sep).join('/') || '.' : abs);
  for (const p of inputs) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw invalidOption('<files-or-dir>', 'existing files or folders', p);
    }
    if (isDir) {
      const w = await walk(p, { include: compileInclude(DEFAULT_INCLUDE), exclude: compileExclude(DEFAULT_EXCLUDE) });
      for (const f of w.files) files.push({ ...f, root: p, shown: shownOf(f.abs) });
      for (const s of w.skipped) skipped.push({ ...s, path: shownOf(join(p, s.path)) });
    } else {
      const st = await fsp.stat(p);
      files.push({
        rel: p.slice(dirname(p).length + 1),
        abs: p,
        size: st.size,
        mtimeMs: st.mtimeMs,
        id: `${st.dev}:${st.ino}`,
        root: dirname(p),
        shown: shownOf(p),
      });
    }
  }
  const seen = new Set<string>();
  return { files: files.filter((f) => !seen.has(f.abs) && seen.add(f.abs)), skipped };
}

/** Hashes of the new files, from their folders' caches where unchanged, hashed otherwise (and cached as a default scan caches them, so a later scan of that folder reuses them). */
async function hashNew(
  files: readonly (NewFile & { readonly root: string })[],
  tables: readonly TableSpec[],
  useCache: boolean,
  crop: boolean,
  log: (m: string) => void,
) {
  const opts = { settingsKey: settingsKey(tables.map((t) => t.key)), hashKeys: tables.map((t) => t.key), log };
  const hashes = new Map<string, Readonly<Record<string, string | null>>>();
  const crops = new Map<string, CachedCrops>();
  const skipped: SkippedRecord[] = [];
  let hashed = 0;
  let cached = 0;
  const roots = [...new Set(files.map((f) => f.root))].sort(comparePaths);
  for (const root of roots) {
    const here = files.filter((f) => f.root === root);
    const cache = useCache ? await HashCache.open(root, opts) : HashCache.memory(opts);
    const toHash: NewFile[] = [];
    for (const f of here) {
      const hit = cache.lookup(f.rel, f.size, f.mtimeMs, false, crop);
      if (hit?.error) skipped.push({ path: f.shown, code: hit.error.code, message: hit.error.message });
      else if (hit?.hashes) {
        hashes.set(f.abs, hit.hashes);
        if (crop && hit.crops) crops.set(f.abs, hit.crops);
        cached++;
      } else toHash.push(f);
    }
    try {
      if (toHash.length > 0) {
        const { hashFiles } = await import('../hashing/hashFiles.js');
        await hashFiles(
          toHash.map((f) => f.abs),
          tables.map((t) => t.spec),
          {
            fingerprint: true,
            cropResistant: crop,
            keepStats: true,
            onResult: (o, i) => {
              const f = toHash[i];
              hashed++;
              if (!o.ok) {
                skipped.push({ path: f.shown, code: o.error.code, message: o.error.message });
                cache.put({ path: f.rel, size: f.size, mtimeMs: f.mtimeMs, error: o.error });
                return;
              }
              const entry = entryOfOutcome(f.rel, o);
              cache.put(entry);
              hashes.set(f.abs, o.hashes);
              if (entry.crops) crops.set(f.abs, entry.crops);
            },
          },
        );
      }
    } finally {
      await cache.close();
    }
  }
  return { hashes, crops, skipped, hashed, cached };
}
