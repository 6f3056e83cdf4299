import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { DecideAction, PairStatus } from '../../shared/protocol.js';
import { fixtureResult } from '../testing/fixtureResult.js';
import { manifestOps } from './manifestOps.js';
import { Session, type ManifestOps } from './session.js';

/** A manifest reduced to what a session needs: decisions by pair, and a write log. */
interface Fake {
  decisions: Record<string, PairStatus>;
}
function fakeOps(disk: { value?: Fake; writes: number; delayMs?: number; fresh?: boolean[] }): ManifestOps<Fake> {
  const key = (a: string, b: string) => [a, b].sort().join('|');
  return {
    load: async () => (disk.value ? structuredClone(disk.value) : undefined),
    preview: () => ({ decisions: {} }),
    // As the engine's writer does: the edits go on top of what the disk holds at write time.
    commit: async (_r, edits, fresh) => {
      await new Promise((r) => setTimeout(r, disk.delayMs ?? 0));
      const decisions = { ...(disk.value?.decisions ?? {}) };
      for (const { a, b, action } of edits as { a: string; b: string; action: DecideAction }[]) {
        if (action === 'undo') delete decisions[key(a, b)];
        else decisions[key(a, b)] = action;
      }
      disk.value = { decisions };
      disk.writes++;
      disk.fresh?.push(fresh);
      return structuredClone(disk.value);
    },
    step: () => Promise.reject(new Error('the fake has no history')),
    history: async () => ({ canUndo: false, canRedo: false }),
    status: (m, a, b) => m.decisions[key(a, b)] ?? 'undecided',
    removed: () => [],
    removedFiles: () => [],
    clusters: () => [],
  };
}

describe('review session (fake manifest)', () => {
  it('starts undecided, records decisions and writes them', async () => {
    const disk = { writes: 0 };
    const s = await Session.open(fixtureResult(), '/m.json', fakeOps(disk));
    assert.equal(s.undecided, 3);
    assert.equal(s.manifestOnDisk, false);
    const { updates, saved } = s.decide(0, 'keep-a');
    assert.deepEqual(updates, [{ index: 0, status: 'keep-a' }]);
    await saved;
    assert.equal(disk.writes, 1);
    assert.equal(s.undecided, 2);
    assert.equal(s.manifestOnDisk, true);
    assert.throws(() => s.decide(3, 'keep-a'), /no pair 3/);
  });

  it('coalesces a burst of decisions into few writes, ending with all of them', async () => {
    const disk: { value?: Fake; writes: number; delayMs: number } = { writes: 0, delayMs: 20 };
    const s = await Session.open(fixtureResult(), '/m.json', fakeOps(disk));
    const saves = [s.decide(0, 'keep-a').saved, s.decide(1, 'keep-b').saved, s.decide(2, 'not-duplicate').saved];
    await Promise.all(saves);
    assert.equal(disk.writes, 1, 'one write for the burst');
    assert.deepEqual(Object.values(disk.value!.decisions).sort(), ['keep-a', 'keep-b', 'not-duplicate']);
  });

  it('shows the decisions already on disk and refreshes that manifest with a fresh scan, but not after a cancelled scan', async () => {
    const disk: { value?: Fake; writes: number; fresh: boolean[] } = { value: { decisions: { 'a.jpg|b.jpg': 'keep-b' } }, writes: 0, fresh: [] };
    const s = await Session.open(fixtureResult(), '/m.json', fakeOps(disk), true);
    assert.equal(s.status(0), 'keep-b');
    assert.equal(await s.refreshOnDisk(), true);
    assert.equal(disk.writes, 1);
    const cancelled = await Session.open({ ...fixtureResult(), cancelled: true }, '/m.json', fakeOps(disk), true);
    assert.equal(await cancelled.refreshOnDisk(), false);
    assert.equal(disk.writes, 1);
    // The scan's pairs go with the first write only.
    await s.decide(0, 'keep-a').saved;
    assert.deepEqual(disk.fresh, [true, false]);
  });

  it('a session revived from storage never writes its stored scan, only its own decisions, on top of the disk', async () => {
    const disk: { value?: Fake; writes: number; fresh: boolean[] } = { value: { decisions: { 'a.jpg|b.jpg': 'keep-b' } }, writes: 0, fresh: [] };
    const revived = await Session.open(fixtureResult(), '/m.json', fakeOps(disk));
    assert.equal(await revived.refreshOnDisk(), false);
    disk.value = { decisions: { 'a.jpg|b.jpg': 'keep-b', 'b.jpg|sub/c.tif': 'not-duplicate' } }; // someone else wrote meanwhile
    await revived.decide(0, 'keep-a').saved;
    assert.deepEqual(disk.fresh, [false]);
    assert.deepEqual(disk.value.decisions, { 'a.jpg|b.jpg': 'keep-a', 'b.jpg|sub/c.tif': 'not-duplicate' });
  });
});

describe('review session on the real manifest', () => {
  it('writes decisions to dedupe-manifest.json; they survive a re-scan and undo removes them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'md-session-'));
    const path = join(root, 'dedupe-manifest.json');
    const r = fixtureResult(root);
    const s1 = await Session.open(r, path, manifestOps(root, path));
    await s1.decide(0, 'keep-a').saved;
    await s1.decide(2, 'not-duplicate').saved;
    const m = JSON.parse(readFileSync(path, 'utf8'));
    assert.deepEqual(m.reviews, [{ a: 'a.jpg', b: 'b.jpg', decision: 'keep-a' }]);
    assert.deepEqual(m.notDuplicates, [['b.jpg', 'sub/c.tif']]);
    assert.ok(m.remove.includes('b.jpg'));
    assert.deepEqual(s1.removed(), m.remove);

    const s2 = await Session.open(r, path, manifestOps(root, path));
    assert.deepEqual(s2.allStatuses(), ['keep-a', 'undecided', 'not-duplicate']);
    await s2.decide(0, 'undo').saved;
    const s3 = await Session.open(r, path, manifestOps(root, path));
    assert.deepEqual(s3.allStatuses(), ['undecided', 'undecided', 'not-duplicate']);
  });

  it('undo restores the previous decision (not "undecided"), redo re-applies it, and both survive a reload', async () => {
    const root = mkdtempSync(join(tmpdir(), 'md-session-'));
    const path = join(root, 'dedupe-manifest.json');
    const r = fixtureResult(root);
    const s1 = await Session.open(r, path, manifestOps(root, path), true);
    assert.deepEqual(await s1.history(), { canUndo: false, canRedo: false });
    await s1.decide(0, 'keep-a').saved;
    s1.decide(0, 'keep-b'); // not awaited: undo waits for it, so the last key press is what is undone
    const u = await s1.undo();
    assert.equal(u.label, 'keep-b: a.jpg | b.jpg');
    assert.deepEqual(u.updates, [{ index: 0, status: 'keep-a' }]);
    assert.equal(u.history.canRedo, true);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')).reviews, [{ a: 'a.jpg', b: 'b.jpg', decision: 'keep-a' }]);

    // A window reload: a new session on the stored scan, the journal on disk.
    const s2 = await Session.open(r, path, manifestOps(root, path));
    assert.equal(s2.status(0), 'keep-a');
    assert.deepEqual(await s2.history(), { canUndo: true, canRedo: true, undoLabel: 'keep-a: a.jpg | b.jpg', redoLabel: 'keep-b: a.jpg | b.jpg' });
    const re = await s2.redo();
    assert.deepEqual(re.updates, [{ index: 0, status: 'keep-b' }]);
    assert.ok(JSON.parse(readFileSync(path, 'utf8')).remove.includes('a.jpg'));
    await s2.undo();
    const first = await s2.undo();
    assert.deepEqual(first.updates, [{ index: 0, status: 'undecided' }], 'the first decision undone: back to what the scan proposed');
    assert.equal(first.history.canUndo, false);
    const none = await s2.undo();
    assert.equal(none.label, undefined);
    assert.deepEqual(none.updates, []);
    // A new decision clears what could be redone.
    await s2.decide(1, 'not-duplicate').saved;
    assert.equal((await s2.history()).canRedo, false);
  });

  it('a gallery revived with an older scan after a re-scan adds its decision without rolling the manifest back', async () => {
    const root = mkdtempSync(join(tmpdir(), 'md-session-'));
    const path = join(root, 'dedupe-manifest.json');
    const newer = fixtureResult(root);
    const older = { ...newer, pairs: newer.pairs.slice(0, 2) }; // what the window stored before the re-scan
    const scan = await Session.open(newer, path, manifestOps(root, path), true);
    await scan.decide(2, 'keep-a').saved; // the re-scan's session writes its pairs with a decision
    const revived = await Session.open(older, path, manifestOps(root, path));
    await revived.decide(0, 'keep-b').saved;
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
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(root, 'out'));
    const s = await Session.open(fixtureResult(root), path, manifestOps(root, path));
    await s.decide(0, 'keep-b').saved;
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
    assert.equal(again.status(0), 'keep-b');
  });
});
