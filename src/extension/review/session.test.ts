import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pairVerdictFromManifest } from '../../core/manifest/index.js';
import type { DecideAction } from '../../shared/protocol.js';
import { fixtureResult } from '../testing/fixtureResult.js';
import { manifestOps } from './manifestOps.js';
import { Session, type ManifestOps, type ReviewEdit, type ReviewState } from './session.js';

/** A manifest reduced to pair decisions; a write log. */
type Fake = Record<string, DecideAction>;
const key = (a: string, b: string) => [a, b].sort().join('|');
function fakeState(d: Fake, hash = 'h'): ReviewState {
  return {
    contentHash: hash,
    removeMode: 'all',
    remove: [],
    removedFiles: [],
    file: () => ({ decision: 'keep', by: 'auto' }),
    verdict: (a, b) => {
      const v = d[key(a, b)];
      return v
        ? { verdict: v === 'keep-a' ? 'keep-left' : v === 'keep-b' ? 'keep-right' : v === 'not-duplicate' ? 'not-duplicate' : 'keep-both', by: 'review' }
        : { verdict: 'undecided', by: 'auto' };
    },
    clusters: [],
    totals: { remove: 0, removeReviewed: 0, removeAuto: 0, suggested: 0, clusters: 0, doubtful: 0, conflicts: 0, orphaned: 0 },
    history: { canUndo: false, canRedo: false },
  };
}
function fakeOps(disk: { value?: Fake; writes: number; delayMs?: number; fresh?: boolean[]; steps?: string[] }): ManifestOps {
  return {
    load: async () => (disk.value ? fakeState(structuredClone(disk.value)) : undefined),
    preview: () => fakeState({}, ''),
    // As the engine's writer does: the edits go on top of what the disk holds at write time.
    commit: async (_r, edits: readonly ReviewEdit[], fresh) => {
      await new Promise((r) => setTimeout(r, disk.delayMs ?? 0));
      const decisions = { ...(disk.value ?? {}) };
      for (const e of edits) {
        if (e.kind !== 'pair') continue;
        if (e.action === 'undo') delete decisions[key(e.a, e.b)];
        else decisions[key(e.a, e.b)] = e.action;
      }
      disk.value = decisions;
      disk.writes++;
      disk.fresh?.push(fresh);
      return fakeState(structuredClone(decisions));
    },
    step: async (_r, direction) => {
      disk.steps?.push(direction);
      return fakeState(structuredClone(disk.value ?? {}));
    },
  };
}

describe('review session (fake manifest)', () => {
  it('starts with what the manifest says, records decisions and writes them', async () => {
    const disk = { writes: 0 };
    const s = await Session.open(fixtureResult(), '/m.json', fakeOps(disk));
    assert.equal(s.current().verdict('a.jpg', 'b.jpg').verdict, 'undecided');
    assert.equal(s.manifestOnDisk, false);
    const seen: string[] = [];
    s.onDidChange((st) => seen.push(st.verdict('a.jpg', 'b.jpg').verdict));
    await s.decide(0, 'keep-a');
    assert.equal(disk.writes, 1);
    assert.deepEqual(seen, ['keep-left']);
    assert.equal(s.current().verdict('a.jpg', 'b.jpg').by, 'review');
    assert.equal(s.manifestOnDisk, true);
    assert.throws(() => s.decide(3, 'keep-a'), /no pair 3/);
  });

  it('coalesces a burst of decisions into few writes, ending with all of them; undo and redo keep their order', async () => {
    const disk: { value?: Fake; writes: number; delayMs: number; steps: string[] } = { writes: 0, delayMs: 20, steps: [] };
    const s = await Session.open(fixtureResult(), '/m.json', fakeOps(disk));
    const saves = [s.decide(0, 'keep-a'), s.decide(1, 'keep-b'), s.decide(2, 'not-duplicate')];
    await Promise.all(saves);
    assert.equal(disk.writes, 1, 'one write for the burst');
    assert.deepEqual(Object.values(disk.value!).sort(), ['keep-a', 'keep-b', 'not-duplicate']);
    await Promise.all([s.decide(0, 'keep-both'), s.undo(), s.redo(), s.decide(1, 'undo')]);
    assert.equal(disk.writes, 3);
    assert.deepEqual(disk.steps, ['undo', 'redo']);
  });

  it('a multi-selection is one write (one operation), even while an earlier write is under way', async () => {
    const disk: { value?: Fake; writes: number; delayMs: number } = { writes: 0, delayMs: 20 };
    const s = await Session.open(fixtureResult(), '/m.json', fakeOps(disk));
    const first = s.decide(0, 'keep-a');
    await new Promise((r) => setTimeout(r, 5)); // the first write is now in flight
    const bulk = s.decideMany([1, 2], 'keep-both');
    await Promise.all([first, bulk]);
    assert.equal(disk.writes, 2, 'the single decision, then the whole selection in one write');
    assert.equal(Object.values(disk.value!).filter((v) => v === 'keep-both').length, 2, 'both selected pairs decided');
    assert.throws(() => s.decideMany([1, 9], 'keep-a'), /no pair 9/);
  });

  it('shows the decisions already on disk and refreshes that manifest with a fresh scan, but not after a cancelled scan', async () => {
    const disk: { value?: Fake; writes: number; fresh: boolean[] } = { value: { 'a.jpg|b.jpg': 'keep-b' }, writes: 0, fresh: [] };
    const s = await Session.open(fixtureResult(), '/m.json', fakeOps(disk), true);
    assert.equal(s.current().verdict('a.jpg', 'b.jpg').verdict, 'keep-right');
    assert.equal(await s.refreshOnDisk(), true);
    assert.equal(disk.writes, 1);
    const cancelled = await Session.open({ ...fixtureResult(), cancelled: true }, '/m.json', fakeOps(disk), true);
    assert.equal(await cancelled.refreshOnDisk(), false);
    assert.equal(disk.writes, 1);
    // The scan's pairs go with the first write only.
    await s.decide(0, 'keep-a');
    assert.deepEqual(disk.fresh, [true, false]);
  });

  it('a session revived from storage never writes its stored scan, only its own decisions, on top of the disk', async () => {
    const disk: { value?: Fake; writes: number; fresh: boolean[] } = { value: { 'a.jpg|b.jpg': 'keep-b' }, writes: 0, fresh: [] };
    const revived = await Session.open(fixtureResult(), '/m.json', fakeOps(disk));
    assert.equal(await revived.refreshOnDisk(), false);
    disk.value = { 'a.jpg|b.jpg': 'keep-b', 'b.jpg|sub/c.tif': 'not-duplicate' }; // someone else wrote meanwhile
    await revived.decide(0, 'keep-a');
    assert.deepEqual(disk.fresh, [false]);
    assert.deepEqual(disk.value, { 'a.jpg|b.jpg': 'keep-a', 'b.jpg|sub/c.tif': 'not-duplicate' });
  });

  it('an outside change of the file is merged once; its own writes are not', async () => {
    const disk: { value?: Fake; writes: number } = { value: {}, writes: 0 };
    const s = await Session.open(fixtureResult(), '/m.json', fakeOps(disk));
    assert.equal(await s.outsideChange('h'), false, 'the hash the session knows: nothing to do');
    assert.equal(await s.outsideChange('other'), true);
    assert.equal(disk.writes, 1);
  });
});

/** Every pair's verdict as the session shows it equals what the manifest on disk says (pairVerdictFromManifest). */
function assertShownEqualsDisk(s: Session, path: string): void {
  const m = JSON.parse(readFileSync(path, 'utf8'));
  const st = s.current();
  for (const p of s.pairs) assert.deepEqual(st.verdict(p.a, p.b), pairVerdictFromManifest(m, p.a, p.b), `${p.a} | ${p.b}`);
  assert.deepEqual(st.remove, m.remove);
  for (const f of s.result.files) assert.equal(st.file(f.path).decision, m.remove.includes(f.path) ? 'remove' : 'keep', f.path);
}

describe('review session on the real manifest', () => {
  it('lists each copy of an identical-hash group as a pair against its kept file (N - 1), and a decision on one is written as for any pair', async () => {
    const root = mkdtempSync(join(tmpdir(), 'md-session-'));
    const path = join(root, 'dedupe-manifest.json');
    const base = fixtureResult(root);
    const copies = ['copies/c0.jpg', 'copies/c1.jpg', 'copies/c2.jpg', 'copies/c3.jpg'];
    const r = {
      ...base,
      files: [...base.files, ...copies.map((p) => ({ ...base.files[0]!, path: p }))].sort((x, y) => (x.path < y.path ? -1 : 1)),
      identical: [copies],
    };
    const s = await Session.open(r, path, manifestOps(root, path), true);
    await s.save();
    const m = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(s.pairs.length, r.pairs.length + copies.length - 1, "the scan's pairs, then one per copy");
    assert.equal(s.impliedCount, copies.length - 1);
    assert.deepEqual(s.pairs.slice(0, r.pairs.length), r.pairs, "the scan's pairs keep their indices");
    const cluster = m.clusters.find((c: { keep: string }) => copies.includes(c.keep));
    assert.ok(cluster, 'the manifest has a cluster for the copies');
    const implied = s.pairs.slice(r.pairs.length);
    for (const x of cluster.members) {
      const p = implied.find((q) => (q.a === cluster.keep && q.b === x.path) || (q.b === cluster.keep && q.a === x.path));
      assert.ok(p, `${x.path}, removed by the manifest, is shown against the kept file ${cluster.keep}`);
      assert.equal(p.distance, x.distance);
    }
    // Keep the right-hand copy of the first implied pair: the manifest records the review and keeps it.
    const first = implied[0]!;
    await s.decide(r.pairs.length, 'keep-b');
    const after = JSON.parse(readFileSync(path, 'utf8'));
    assert.deepEqual(after.reviews, [{ a: first.a, b: first.b, decision: 'keep-b' }]);
    assert.ok(after.remove.includes(first.a) && !after.remove.includes(first.b));
    assertShownEqualsDisk(s, path);
  });

  it('writes decisions to dedupe-manifest.json; they survive a re-scan; undo restores the previous decision and redo re-applies it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'md-session-'));
    const path = join(root, 'dedupe-manifest.json');
    const r = fixtureResult(root);
    const s1 = await Session.open(r, path, manifestOps(root, path));
    await s1.decide(0, 'keep-a');
    await s1.decide(2, 'not-duplicate');
    const m = JSON.parse(readFileSync(path, 'utf8'));
    assert.deepEqual(m.reviews, [{ a: 'a.jpg', b: 'b.jpg', decision: 'keep-a' }]);
    assert.deepEqual(m.notDuplicates, [['b.jpg', 'sub/c.tif']]);
    assert.ok(m.remove.includes('b.jpg'));
    assert.deepEqual(s1.removed(), m.remove);
    assertShownEqualsDisk(s1, path);

    const s2 = await Session.open(r, path, manifestOps(root, path));
    assert.deepEqual(
      r.pairs.map((p) => s2.current().verdict(p.a, p.b)),
      [{ verdict: 'keep-left', by: 'review' }, s2.current().verdict('a.jpg', 'big.png'), { verdict: 'not-duplicate', by: 'review' }],
    );
    // Change keep-a to keep-b, then undo: back to keep-a (not "undecided"), in a new session too (the history is on disk).
    await s2.decide(0, 'keep-b');
    assert.equal(s2.current().verdict('a.jpg', 'b.jpg').verdict, 'keep-right');
    const s3 = await Session.open(r, path, manifestOps(root, path));
    assert.equal(s3.current().history.canUndo, true);
    await s3.undo();
    assert.deepEqual(s3.current().verdict('a.jpg', 'b.jpg'), { verdict: 'keep-left', by: 'review' });
    assertShownEqualsDisk(s3, path);
    await s3.redo();
    assert.deepEqual(s3.current().verdict('a.jpg', 'b.jpg'), { verdict: 'keep-right', by: 'review' });
    assertShownEqualsDisk(s3, path);
  });

  it('bulk "keep this" removes the rest of the cluster, and a hand edit of `remove` is merged, never overwritten', async () => {
    const root = mkdtempSync(join(tmpdir(), 'md-session-'));
    const path = join(root, 'dedupe-manifest.json');
    const r = fixtureResult(root);
    const s = await Session.open(r, path, manifestOps(root, path), true);
    await s.save();
    const c = s.current().clusters[0]!;
    const files = [c.keep, ...c.members.map((m) => m.file)];
    const keep = files.find((f) => f !== c.keep)!;
    await s.act(0, 'keep-this', keep);
    const st = s.current();
    for (const f of files) assert.deepEqual([f, st.file(f).decision, st.file(f).by], [f, f === keep ? 'keep' : 'remove', 'review']);
    assertShownEqualsDisk(s, path);

    // A hand edit: a file taken out of `remove`. The next decision keeps it (merged as a file decision).
    const m = JSON.parse(readFileSync(path, 'utf8'));
    const back = m.remove[0] as string;
    m.remove = m.remove.slice(1);
    writeFileSync(path, JSON.stringify(m, null, 2));
    assert.equal(await s.outsideChange(undefined), true);
    assert.equal(s.current().file(back).decision, 'keep');
    await s.decide(2, 'keep-both');
    const after = JSON.parse(readFileSync(path, 'utf8'));
    assert.ok(!after.remove.includes(back), 'the hand edit survives the next decision');
    assertShownEqualsDisk(s, path);
  });

  it('a gallery revived with an older scan after a re-scan adds its decision without rolling the manifest back', async () => {
    const root = mkdtempSync(join(tmpdir(), 'md-session-'));
    const path = join(root, 'dedupe-manifest.json');
    const newer = fixtureResult(root);
    const older = { ...newer, pairs: newer.pairs.slice(0, 2) }; // what the window stored before the re-scan
    const scan = await Session.open(newer, path, manifestOps(root, path), true);
    await scan.decide(2, 'keep-a'); // the re-scan's session writes its pairs with a decision
    const revived = await Session.open(older, path, manifestOps(root, path));
    await revived.decide(0, 'keep-b');
    const m = JSON.parse(readFileSync(path, 'utf8'));
    assert.deepEqual(
      m.pairs.map((p: { a: string; b: string }) => `${p.a}|${p.b}`),
      ['a.jpg|b.jpg', 'a.jpg|big.png', 'b.jpg|sub/c.tif'],
      "the newer scan's pairs stay",
    );
    assert.deepEqual(m.reviews, [
      { a: 'a.jpg', b: 'b.jpg', decision: 'keep-b' },
      { a: 'b.jpg', b: 'sub/c.tif', decision: 'keep-a' },
    ]);
  });

  it('never overwrites a manifest it cannot read', async () => {
    const root = mkdtempSync(join(tmpdir(), 'md-session-'));
    const path = join(root, 'dedupe-manifest.json');
    writeFileSync(path, '{ "version": 1, broken');
    await assert.rejects(Session.open(fixtureResult(root), path, manifestOps(root, path)), /not valid JSON/);
    assert.equal(readFileSync(path, 'utf8'), '{ "version": 1, broken');
  });

  it('keeps manifest paths relative to the manifest when it lives elsewhere', async () => {
    const root = mkdtempSync(join(tmpdir(), 'md-session-'));
    const path = join(root, 'out', 'dedupe-manifest.json');
    mkdirSync(join(root, 'out'));
    const s = await Session.open(fixtureResult(root), path, manifestOps(root, path));
    await s.decide(0, 'keep-b');
    assert.ok(existsSync(path));
    const m = JSON.parse(readFileSync(path, 'utf8'));
    assert.deepEqual(m.reviews, [{ a: '../a.jpg', b: '../b.jpg', decision: 'keep-b' }]);
    assert.ok(m.remove.includes('../a.jpg'));
    assert.deepEqual(
      s.removed(),
      m.remove.map((p: string) => p.slice(3)),
      'removed() gives paths relative to the scanned folder',
    );
    const again = await Session.open(fixtureResult(root), path, manifestOps(root, path));
    assert.deepEqual(again.current().verdict('a.jpg', 'b.jpg'), { verdict: 'keep-right', by: 'review' });
  });
});
