import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { pairActionChanges } from '../decisions/facts.js';
import { fakeResult, withManifestDir } from '../testing/manifestFixtures.js';
import type { ScanResult } from '../types.js';
import { historyPathFor } from './history.js';
import { memoPathFor } from './commitMemo.js';
import { checkManifestWritable, commitManifest, type CommitResult } from './store.js';

const withDir = withManifestDir;
/** A scan result as scanFolder gives it after a scan with the cache: with the digest of its inputs. */
const scanOf = (dir: string, inputs = 'inputs-1', over: Parameters<typeof fakeResult>[0] = {}): ScanResult => ({
  ...fakeResult({ root: dir, ...over }),
  inputs,
});
/** A reused commit derives its manifest only when read (a getter); a full one carries it. */
const reused = (c: CommitResult): boolean => Object.getOwnPropertyDescriptor(c, 'manifest')?.get !== undefined;

test('commit memo: committing the same scan onto the bytes it wrote is reused, with the same manifest, decisions and totals as the full path', async () => {
  await withDir(async (path, dir) => {
    const first = await commitManifest(path, { scan: scanOf(dir) });
    assert.equal(reused(first), false);
    const bytes = readFileSync(path, 'utf8');
    const again = await commitManifest(path, { scan: scanOf(dir) });
    assert.equal(reused(again), true);
    assert.equal(again.written, false);
    assert.equal(readFileSync(path, 'utf8'), bytes);
    assert.deepEqual(again.totals, first.totals);
    assert.deepEqual(again.manifest, first.manifest);
    assert.deepEqual(again.decisions, first.decisions);
    assert.equal(again.contentHash, first.contentHash);
    // Without a digest of its inputs (--no-cache, a gallery's snapshot) a scan always takes the full path.
    const plain = fakeResult({ root: dir });
    assert.equal(reused(await commitManifest(path, { scan: plain })), false);
  });
});

test('commit memo: a decision, a hand edit, other settings, another scan or a changed history take the full path; no decision is lost', async () => {
  await withDir(async (path, dir) => {
    await commitManifest(path, { scan: scanOf(dir) });
    // A decision from the gallery changes the bytes: the re-scan merges it and keeps it.
    await commitManifest(path, { changes: pairActionChanges('dogs/d.jpg', 'dogs/d2.jpg', 'not-duplicate'), label: 'not a duplicate' });
    const afterDecision = await commitManifest(path, { scan: scanOf(dir) });
    assert.equal(reused(afterDecision), false);
    assert.deepEqual(afterDecision.manifest.notDuplicates, [['dogs/d.jpg', 'dogs/d2.jpg']]);
    assert.equal(reused(await commitManifest(path, { scan: scanOf(dir) })), true);
    assert.deepEqual((await commitManifest(path, { scan: scanOf(dir) })).manifest.notDuplicates, [['dogs/d.jpg', 'dogs/d2.jpg']]);

    // A hand edit: cats/a_copy.jpg taken out of `remove` is merged as a decision.
    const m = JSON.parse(readFileSync(path, 'utf8')) as { remove: string[] };
    assert.ok(m.remove.includes('cats/a_copy.jpg'));
    m.remove = m.remove.filter((p) => p !== 'cats/a_copy.jpg');
    writeFileSync(path, JSON.stringify(m, null, 2) + '\n');
    await checkManifestWritable(path);
    const edited = await commitManifest(path, { scan: scanOf(dir) });
    assert.equal(reused(edited), false);
    assert.equal(edited.handEdits.length, 1);
    assert.ok(!edited.manifest.remove.includes('cats/a_copy.jpg'));
    assert.equal(reused(await commitManifest(path, { scan: scanOf(dir) })), true);

    // Other decision settings, other --all-pairs, other inputs.
    const reviewed = await commitManifest(path, { scan: scanOf(dir), settings: { remove: 'reviewed' } });
    assert.equal(reused(reviewed), false);
    assert.equal(reviewed.manifest.settings.remove, 'reviewed');
    assert.equal(reused(await commitManifest(path, { scan: scanOf(dir), settings: { remove: 'reviewed' } })), true);
    assert.equal(reused(await commitManifest(path, { scan: scanOf(dir) })), true, 'no setting given: the manifest’s stay');
    assert.equal(reused(await commitManifest(path, { scan: scanOf(dir), allPairs: true })), false);
    const fewer = await commitManifest(path, { scan: scanOf(dir, 'inputs-2', { pairs: fakeResult().pairs.slice(0, 1) }) });
    assert.equal(reused(fewer), false);
    assert.equal(fewer.manifest.summary.pairs, 1);

    // The history journal changed (another writer's operation): the full path.
    assert.equal(reused(await commitManifest(path, { scan: scanOf(dir, 'inputs-2', { pairs: fakeResult().pairs.slice(0, 1) }) })), true);
    appendFileSync(historyPathFor(dir), '');
    writeFileSync(historyPathFor(dir), readFileSync(historyPathFor(dir), 'utf8') + '\n');
    assert.equal(reused(await commitManifest(path, { scan: scanOf(dir, 'inputs-2', { pairs: fakeResult().pairs.slice(0, 1) }) })), false);
    // Every decision made along the way is still there.
    const last = await commitManifest(path, { scan: scanOf(dir, 'inputs-2', { pairs: fakeResult().pairs.slice(0, 1) }) });
    assert.deepEqual(last.manifest.notDuplicates, [['dogs/d.jpg', 'dogs/d2.jpg']]);
    assert.ok(!last.manifest.remove.includes('cats/a_copy.jpg'));
  });
});

test('commit memo: a damaged memo, or a manifest that is no longer what was written, is checked in full before a scan', async () => {
  await withDir(async (path, dir) => {
    await commitManifest(path, { scan: scanOf(dir) });
    writeFileSync(memoPathFor(path), '{"format":');
    assert.equal(reused(await commitManifest(path, { scan: scanOf(dir) })), false);
    assert.equal(reused(await commitManifest(path, { scan: scanOf(dir) })), true);
    // A hand edit that cannot be merged is refused before the scan, though a memo exists: the file is no longer the one written.
    const good = readFileSync(path, 'utf8');
    const m = JSON.parse(good) as { remove: string[] };
    writeFileSync(path, JSON.stringify({ ...m, remove: [...m.remove, 'not/described.jpg'].sort() }, null, 2) + '\n');
    await assert.rejects(checkManifestWritable(path), /not a file this manifest describes/);
    writeFileSync(path, good);
    await checkManifestWritable(path);
    // A broken manifest is refused before the scan, memo or not.
    writeFileSync(path, readFileSync(path, 'utf8').replace('"version": 2', '"version": 2,,'));
    await assert.rejects(checkManifestWritable(path), /not valid JSON/);
    await assert.rejects(commitManifest(path, { scan: scanOf(dir) }), /not valid JSON/);
  });
});

test('commit memo: a memo whose settings, totals or leak summary are of another shape is not used', async () => {
  await withDir(async (path, dir) => {
    await commitManifest(path, { scan: scanOf(dir) });
    const memo = JSON.parse(readFileSync(memoPathFor(path), 'utf8')) as Record<string, unknown>;
    assert.equal(reused(await commitManifest(path, { scan: scanOf(dir) })), true);
    const leaks = { dropFrom: 'train', leaks: { 'val↔train': 2 }, leaksUnresolved: { 'val↔train': 1 }, unresolved: 1, outsideSplits: 0 };
    const variants: [string, Record<string, unknown>, boolean][] = [
      ['a whole leak summary', { leaks }, true],
      ['an empty leak summary', { leaks: {} }, false],
      ['leak counts as text', { leaks: { ...leaks, leaks: { 'val↔train': '2' } } }, false],
      ['no unresolved count', { leaks: { ...leaks, unresolved: undefined } }, false],
      ['leaks as a list', { leaks: [] }, false],
      ['a total as text', { totals: { ...(memo.totals as object), remove: '1' } }, false],
      ['a total missing', { totals: { ...(memo.totals as object), orphaned: undefined } }, false],
      ['another remove mode', { settings: { ...(memo.settings as object), remove: 'some' } }, false],
    ];
    for (const [what, change, usable] of variants) {
      writeFileSync(memoPathFor(path), JSON.stringify({ ...memo, ...change }));
      const c = await commitManifest(path, { scan: scanOf(dir) });
      assert.equal(reused(c), usable, what);
      if (usable) assert.deepEqual(c.leaks, leaks, what);
    }
  });
});
