import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pairActionChanges, keepThisChanges } from '../decisions/facts.js';
import { fakeResult, withManifestDir } from '../testing/manifestFixtures.js';
import { appendHistory, historyStacks, readHistory, HISTORY_LIMIT } from './history.js';
import { commitManifest, loadDecisions, redoDecision, undoDecision } from './store.js';
import { lockPathFor } from './lock.js';
import { readManifest, pairVerdictFromManifest, serializeManifest } from './index.js';

const withDir = withManifestDir;
const scanOf = (dir: string, over: Parameters<typeof fakeResult>[0] = {}) => fakeResult({ root: dir, ...over });

test('a decision saved while a scan runs survives the scan’s write (the scan merges at write time)', async () => {
  await withDir(async (path, dir) => {
    await commitManifest(path, { scan: scanOf(dir) });
    // The scan starts (it reads nothing it will write back), then the gallery saves a decision.
    const scanning = scanOf(dir);
    await commitManifest(path, { snapshot: scanOf(dir), changes: pairActionChanges('dogs/d.jpg', 'dogs/d2.jpg', 'not-duplicate'), label: 'not a duplicate' });
    const after = await commitManifest(path, { scan: scanning });
    assert.deepEqual(after.manifest.notDuplicates, [['dogs/d.jpg', 'dogs/d2.jpg']]);
    assert.ok(!after.manifest.remove.includes('dogs/d2.jpg'));
    assert.deepEqual((await readManifest(path))!.notDuplicates, [['dogs/d.jpg', 'dogs/d2.jpg']]);
  });
});

test('a stale writer (a gallery revived with an older scan) never rolls the manifest back; its new decision is merged', async () => {
  await withDir(async (path, dir) => {
    const old = scanOf(dir);
    await commitManifest(path, { scan: old });
    // A re-scan finds fewer pairs, and someone marks a pair not a duplicate.
    const newer = scanOf(dir, { pairs: old.pairs.slice(0, 2) });
    await commitManifest(path, { scan: newer });
    await commitManifest(path, { changes: pairActionChanges('cats/a.jpg', 'cats/a_small.jpg', 'not-duplicate') });
    const before = (await readManifest(path))!;
    assert.equal(before.summary.pairs, 2);
    // The revived gallery still holds `old` (3 pairs) and decides on a pair.
    const stale = await commitManifest(path, { snapshot: old, changes: pairActionChanges('cats/a.jpg', 'cats/a_copy.jpg', 'keep-b') });
    assert.equal(stale.manifest.summary.pairs, 2, 'pairs are the disk’s, not the stale copy’s');
    assert.equal(stale.manifest.summary.scanHash, before.summary.scanHash);
    assert.deepEqual(stale.manifest.notDuplicates, [['cats/a.jpg', 'cats/a_small.jpg']]);
    assert.deepEqual(stale.manifest.reviews, [{ a: 'cats/a.jpg', b: 'cats/a_copy.jpg', decision: 'keep-b' }]);
  });
});

test('a folder offline for one scan keeps its decisions (orphaned, reviewed removals still in remove) until prune', async () => {
  await withDir(async (path, dir) => {
    const full = scanOf(dir);
    await commitManifest(path, { scan: full });
    await commitManifest(path, { changes: pairActionChanges('dogs/d2.jpg', 'dogs/d.jpg', 'keep-a') });
    const offline = scanOf(dir, { files: full.files.filter((f) => !f.path.startsWith('dogs/')), pairs: full.pairs.filter((p) => !p.a.startsWith('dogs/')) });
    const m = (await commitManifest(path, { scan: offline })).manifest;
    assert.deepEqual(m.reviews, [{ a: 'dogs/d.jpg', b: 'dogs/d2.jpg', decision: 'keep-b' }]);
    assert.deepEqual(m.orphaned, ['dogs/d.jpg', 'dogs/d2.jpg']);
    assert.ok(m.remove.includes('dogs/d.jpg'), 'the reviewed removal of an offline file stays in remove');
    assert.deepEqual(
      m.files.filter((f) => f.orphaned).map((f) => f.path),
      ['dogs/d.jpg', 'dogs/d2.jpg'],
      'their last known records are kept',
    );
    assert.equal(m.summary.orphaned, 2);
    // Back online: everything as before, nothing lost.
    const back = (await commitManifest(path, { scan: full })).manifest;
    assert.deepEqual(back.orphaned, []);
    assert.ok(back.remove.includes('dogs/d.jpg'));
    // Offline again, then pruned on request.
    await commitManifest(path, { scan: offline });
    const pruned = await commitManifest(path, { prune: true });
    assert.deepEqual(pruned.pruned, ['dogs/d.jpg', 'dogs/d2.jpg']);
    assert.deepEqual(pruned.manifest.reviews, []);
    assert.deepEqual(pruned.manifest.orphaned, []);
    assert.ok(!pruned.manifest.remove.includes('dogs/d.jpg'));
  });
});

test('hand edits of remove: a known path added or deleted becomes a file decision; the line is named when refused and the file left untouched', async () => {
  await withDir(async (path, dir) => {
    await commitManifest(path, { scan: scanOf(dir, { options: { protect: ['cats/a_small.jpg'] } }) });
    const text = readFileSync(path, 'utf8');
    const m = JSON.parse(text) as { remove: string[] };
    assert.deepEqual(m.remove, ['cats/a_copy.jpg', 'dogs/d2.jpg']);
    // Deleted dogs/d2.jpg from remove, added dogs/d.jpg (a person prefers d2).
    m.remove = ['cats/a_copy.jpg', 'dogs/d.jpg'];
    writeFileSync(path, JSON.stringify(m, null, 2) + '\n');
    const merged = await commitManifest(path, { snapshot: scanOf(dir) });
    assert.deepEqual(
      merged.handEdits.map((c) => [c.key, c.value]),
      [
        [{ kind: 'file', path: 'dogs/d.jpg' }, 'remove'],
        [{ kind: 'file', path: 'dogs/d2.jpg' }, 'keep'],
      ],
    );
    assert.deepEqual(merged.manifest.remove, ['cats/a_copy.jpg', 'dogs/d.jpg']);
    assert.deepEqual(merged.manifest.fileDecisions, [
      { path: 'dogs/d.jpg', decision: 'remove' },
      { path: 'dogs/d2.jpg', decision: 'keep' },
    ]);
    // The next scan keeps them.
    assert.deepEqual((await commitManifest(path, { scan: scanOf(dir, { options: { protect: ['cats/a_small.jpg'] } }) })).manifest.remove, [
      'cats/a_copy.jpg',
      'dogs/d.jpg',
    ]);
    // Refused: a protected file, and a path the manifest does not describe.
    const good = readFileSync(path, 'utf8');
    const bad = good.replace('"remove": [\n', '"remove": [\n    "cats/a_small.jpg",\n    "nope.jpg",\n');
    writeFileSync(path, bad);
    const lines = bad.split('\n');
    const start = lines.findIndex((l) => l.includes('"remove": ['));
    const line = (s: string): number => lines.findIndex((l, i) => i > start && l.trim() === `"${s}",`) + 1;
    await assert.rejects(commitManifest(path, { changes: pairActionChanges('cats/a.jpg', 'cats/a_copy.jpg', 'keep-a') }), (e: Error) => {
      assert.match(e.message, new RegExp(`dedupe-manifest\\.json:${line('cats/a_small.jpg')}: "cats/a_small\\.jpg" is protected`));
      assert.match(e.message, new RegExp(`dedupe-manifest\\.json:${line('nope.jpg')}: "nope\\.jpg" is not a file this manifest describes`));
      return true;
    });
    assert.equal(readFileSync(path, 'utf8'), bad, 'a refused edit leaves the file as the person left it');
  });
});

test('hand edits of a member decision: merged; a member and the remove list contradicting each other is refused', async () => {
  await withDir(async (path, dir) => {
    await commitManifest(path, { scan: scanOf(dir) });
    const m = JSON.parse(readFileSync(path, 'utf8')) as { clusters: { members: { path: string; decision: string }[] }[]; remove: string[] };
    m.clusters[0].members.find((x) => x.path === 'cats/a_small.jpg')!.decision = 'keep';
    m.remove = m.remove.filter((p) => p !== 'cats/a_small.jpg');
    writeFileSync(path, JSON.stringify(m, null, 2));
    const merged = await commitManifest(path, {});
    assert.deepEqual(merged.manifest.fileDecisions, [{ path: 'cats/a_small.jpg', decision: 'keep' }]);
    assert.equal(merged.history.undoLabel, 'hand edit of the manifest');
  });
});

test('undo restores the previous decision (not "undecided"), redo re-applies it, and both survive a reload (the history is on disk)', async () => {
  await withDir(async (path, dir) => {
    await commitManifest(path, { scan: scanOf(dir) });
    const a = 'dogs/d.jpg';
    const b = 'dogs/d2.jpg';
    await commitManifest(path, { changes: pairActionChanges(a, b, 'keep-a'), label: 'keep left' });
    await commitManifest(path, { changes: pairActionChanges(a, b, 'keep-b'), label: 'keep right' });
    const verdict = async () => pairVerdictFromManifest((await readManifest(path))!, a, b);
    assert.deepEqual(await verdict(), { verdict: 'keep-right', by: 'review' });
    const u = await undoDecision(path);
    assert.equal(u.undone, 'keep right');
    assert.deepEqual(await verdict(), { verdict: 'keep-left', by: 'review' }, 'the earlier decision, not undecided');
    assert.equal(u.history.redoLabel, 'keep right');
    // "Reload": nothing in memory; the journal says what to redo.
    const r = await redoDecision(path);
    assert.equal(r.redone, 'keep right');
    assert.deepEqual(await verdict(), { verdict: 'keep-right', by: 'review' });
    await undoDecision(path);
    await undoDecision(path);
    assert.deepEqual(await verdict(), { verdict: 'keep-left', by: 'auto' }, 'undoing the first decision returns the pair to the automatic one');
    const none = await undoDecision(path);
    assert.equal(none.undone, undefined);
    assert.equal(none.written, false);
    // A new decision clears what could be redone.
    await commitManifest(path, { changes: pairActionChanges(a, b, 'not-duplicate'), label: 'not a duplicate' });
    const state = (await loadDecisions(path))!.history;
    assert.equal(state.canRedo, false);
    assert.equal(state.undoLabel, 'not a duplicate');
  });
});

test('undo of a bulk action restores every file; a fact changed since by someone else is left alone and named', async () => {
  await withDir(async (path, dir) => {
    const c = await commitManifest(path, { scan: scanOf(dir) });
    const cats = c.decisions.clusters.findIndex((x) => x.keep === 'cats/a.jpg');
    await commitManifest(path, { changes: keepThisChanges(c.decisions, cats, 'cats/a_small.jpg'), label: 'keep this' });
    assert.deepEqual((await readManifest(path))!.remove, ['cats/a.jpg', 'cats/a_copy.jpg', 'dogs/d2.jpg']);
    // Someone else changes one of those facts afterwards.
    await commitManifest(path, { changes: [{ key: { kind: 'file', path: 'cats/a_copy.jpg' }, value: 'keep' }], label: 'other' });
    await undoDecision(path); // undoes "other"
    await commitManifest(path, { changes: [{ key: { kind: 'file', path: 'cats/a.jpg' }, value: 'keep' }] });
    const u = await undoDecision(path); // the latest: a.jpg keep
    assert.deepEqual(u.skipped, []);
    const v = await undoDecision(path); // "keep this"
    assert.equal(v.undone, 'keep this');
    assert.deepEqual(v.manifest.fileDecisions, []);
    assert.deepEqual(v.manifest.remove, ['cats/a_copy.jpg', 'cats/a_small.jpg', 'dogs/d2.jpg']);
  });
});

test('the history is bounded: the journal keeps the last HISTORY_LIMIT operations', async () => {
  await withDir(async (_path, dir) => {
    let entries = await readHistory(dir);
    for (let i = 0; i < HISTORY_LIMIT + 300; i += 100) {
      entries = await appendHistory(
        dir,
        entries,
        Array.from({ length: 100 }, (_, k) => ({ type: 'do' as const, label: `op ${i + k}`, changes: [] })),
      );
    }
    const onDisk = await readHistory(dir);
    assert.ok(onDisk.length <= HISTORY_LIMIT * 1.1 && onDisk.length >= HISTORY_LIMIT, String(onDisk.length));
    const last = onDisk.at(-1)!;
    assert.equal(last.type === 'do' ? last.label : '', `op ${HISTORY_LIMIT + 299}`);
    assert.equal(historyStacks(onDisk).undo.length, onDisk.length);
  });
});

test('lock: a stale lock of a dead process is broken; a live one makes the writer wait, then fail with a clear message', async () => {
  await withDir(async (path, dir) => {
    await commitManifest(path, { scan: scanOf(dir) });
    mkdirSync(join(dir, '.media-dedupe'), { recursive: true });
    writeFileSync(lockPathFor(dir), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), time: Date.now() }));
    const ok = await commitManifest(path, { changes: pairActionChanges('dogs/d.jpg', 'dogs/d2.jpg', 'keep-both') });
    assert.equal(ok.written, true);
    assert.equal(existsSync(lockPathFor(dir)), false, 'released');
    writeFileSync(
      lockPathFor(dir),
      JSON.stringify({ pid: process.ppid, host: (await import('node:os')).hostname(), time: Date.now(), purpose: 'media-dedupe scan' }),
    );
    const t0 = Date.now();
    await assert.rejects(commitManifest(path, { changes: [], lockWaitMs: 300 }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'LOCKED');
      assert.match(e.message, new RegExp(`being written by process ${process.ppid} .*\\(media-dedupe scan\\)`));
      return true;
    });
    assert.ok(Date.now() - t0 >= 250);
  });
});

test('concurrent writers in one process are serialised and none is lost', async () => {
  await withDir(async (path, dir) => {
    await commitManifest(path, { scan: scanOf(dir) });
    await Promise.all([
      commitManifest(path, { changes: pairActionChanges('dogs/d.jpg', 'dogs/d2.jpg', 'keep-b') }),
      commitManifest(path, { changes: pairActionChanges('cats/a.jpg', 'cats/a_copy.jpg', 'keep-both') }),
      commitManifest(path, { scan: scanOf(dir) }),
      commitManifest(path, { changes: pairActionChanges('cats/a.jpg', 'cats/a_small.jpg', 'not-duplicate') }),
    ]);
    const m = (await readManifest(path))!;
    assert.equal(m.reviews.length, 2);
    assert.equal(m.notDuplicates.length, 1);
    assert.equal(serializeManifest(m), readFileSync(path, 'utf8'));
  });
});
