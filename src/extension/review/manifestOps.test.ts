import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyReview, buildManifest, readManifest } from '../../core/manifest/index.js';
import type { DecideAction } from '../../shared/protocol.js';
import { fixtureResult } from '../testing/fixtureResult.js';
import { syntheticResult } from '../testing/synthetic.js';
import { decisionsView, galleryFiles } from '../gallery/galleryModel.js';
import { conflictGroups, manifestOps, scanPathsIn } from './manifestOps.js';

describe('review session on the real manifest', () => {
  it('writes a batch of decisions exactly as one applyReview per decision', async () => {
    const root = mkdtempSync(join(tmpdir(), 'md-session-'));
    const path = join(root, 'dedupe-manifest.json');
    const { result } = syntheticResult(fixtureResult(root), 40);
    const fixed = { ...result, files: result.files.map((f, i) => ({ ...f, fingerprint: i.toString(16).padStart(64, '0') })) };
    const m = buildManifest(fixed);
    const P = fixed.pairs;
    const edits: { kind: 'pair'; a: string; b: string; action: DecideAction }[] = [
      { kind: 'pair', a: P[0]!.a, b: P[0]!.b, action: 'keep-a' },
      { kind: 'pair', a: P[1]!.b, b: P[1]!.a, action: 'keep-a' }, // given as (b, a): the engine flips it
      { kind: 'pair', a: P[2]!.a, b: P[2]!.b, action: 'not-duplicate' },
      { kind: 'pair', a: P[0]!.a, b: P[0]!.b, action: 'undo' },
      { kind: 'pair', a: P[3]!.a, b: P[3]!.b, action: 'keep-both' },
      { kind: 'pair', a: P[2]!.a, b: P[2]!.b, action: 'keep-b' },
    ];
    let oneByOne = m;
    for (const e of edits) oneByOne = applyReview(oneByOne, e.a, e.b, e.action);
    const shown = await manifestOps(root, path).commit(fixed, edits, true);
    assert.deepEqual(await readManifest(path), oneByOne);
    assert.deepEqual(shown.remove, oneByOne.remove);
  });

  it("the extension's keep policy decides which file is kept, in the preview and on disk; unset, the manifest's own stays", async () => {
    const root = mkdtempSync(join(tmpdir(), 'md-policy-'));
    const path = join(root, 'dedupe-manifest.json');
    const result = fixtureResult(root);
    const keptOf = (clusters: readonly { keep: string }[]): string[] => clusters.map((c) => c.keep).sort();
    // The default policy keeps the highest resolution (big.png); "prefer sub/" keeps sub/c.tif instead.
    const plain = manifestOps(root, path).preview(result);
    assert.deepEqual(keptOf(plain.clusters), ['big.png']);
    const policy = ['folder:sub/**', 'resolution'];
    const ops = manifestOps(root, path, () => ({ keepPolicy: policy }));
    assert.deepEqual(keptOf(ops.preview(result).clusters), ['sub/c.tif']);
    const written = await ops.commit(result, [], true);
    assert.deepEqual(keptOf(written.clusters), ['sub/c.tif']);
    assert.deepEqual((await readManifest(path))?.settings.keepPolicy, policy);
    // A later session without the setting leaves the manifest's policy as it is.
    const again = await manifestOps(root, path).commit(result, [], false);
    assert.deepEqual(keptOf(again.clusters), ['sub/c.tif']);
    assert.deepEqual((await readManifest(path))?.settings.keepPolicy, policy);
  });

  it("groups a cluster's conflicts from its members, in the scan's paths, when the manifest sits outside the scanned folder", async () => {
    const top = mkdtempSync(join(tmpdir(), 'md-conflict-'));
    const root = join(top, 'photos');
    mkdirSync(root);
    const path = join(top, 'dedupe-manifest.json');
    const base = fixtureResult(root);
    const result = { ...base, pairs: [...base.pairs, { a: 'b.jpg', b: 'big.png', distance: 0.06, hasher: 'phash16' }] };
    // keep a over b, b over big, big over a: a cycle, so all three are kept until a person chooses.
    const cycle: { kind: 'pair'; a: string; b: string; action: DecideAction }[] = [
      { kind: 'pair', a: 'a.jpg', b: 'b.jpg', action: 'keep-a' },
      { kind: 'pair', a: 'b.jpg', b: 'big.png', action: 'keep-a' },
      { kind: 'pair', a: 'a.jpg', b: 'big.png', action: 'keep-b' },
    ];
    const state = await manifestOps(root, path).commit(result, cycle, true);
    const onDisk = (await readManifest(path))!.clusters.flatMap((c) => c.conflicts ?? []);
    assert.equal(onDisk.length, 3, 'decide writes one line per file');
    assert.ok(
      onDisk.every((l) => l.startsWith('photos/')),
      `the manifest's lines name its own paths, which the scan's do not prefix: ${onDisk.join(' | ')}`,
    );
    const conflicts = state.clusters.flatMap((c) => c.conflicts);
    assert.equal(conflicts.length, 1, 'the one contradiction, once');
    assert.deepEqual([...conflicts[0]!.files].sort(), ['a.jpg', 'b.jpg', 'big.png']);
    assert.match(conflicts[0]!.reason, /^reviews form a cycle/);
    // The reason names the files as the gallery does, not by the manifest's own paths.
    assert.doesNotMatch(conflicts[0]!.reason, /photos\//, conflicts[0]!.reason);
    assert.match(conflicts[0]!.reason, /\ba\.jpg\b/);
    for (const p of ['a.jpg', 'b.jpg', 'big.png']) {
      assert.equal(state.file(p).decision, 'keep', `${p} is kept while the reviews contradict each other`);
      assert.equal(state.file(p).conflict, true, `${p} carries the manifest's conflict flag`);
      assert.doesNotMatch(state.file(p).reason ?? '', /photos\//, `${p}'s reason names scan paths`);
    }
    // The page gets the same files as indices of its own list.
    const gf = galleryFiles(result);
    const shown = decisionsView(state, result.pairs, gf).clusters.flatMap((c) => c.conflicts);
    assert.deepEqual(shown[0]!.files.map((i) => gf.files[i]!.path).sort(), ['a.jpg', 'b.jpg', 'big.png']);
    // And the per-file flag the pair badges and Clusters both read.
    const view = decisionsView(state, result.pairs, gf);
    assert.deepEqual(view.fileConflict.map((i) => gf.files[i]!.path).sort(), ['a.jpg', 'b.jpg', 'big.png']);
  });

  it("names a cluster's doubtful links by the scan's paths, as its reasons and conflicts, when the manifest sits outside the scanned folder", () => {
    const top = mkdtempSync(join(tmpdir(), 'md-doubtful-'));
    const root = join(top, 'photos');
    mkdirSync(root);
    // b.jpg (through a.jpg) and sub/c.tif (through b.jpg) are only linked to the kept big.png: the cluster is doubtful.
    const state = manifestOps(root, join(top, 'dedupe-manifest.json')).preview(fixtureResult(root));
    assert.deepEqual(
      state.clusters.flatMap((c) => c.doubtful),
      [
        'b.jpg is only linked to big.png through a.jpg (not within threshold of the kept file)',
        'sub/c.tif is only linked to big.png through b.jpg (not within threshold of the kept file)',
      ],
    );
    assert.match(state.file('sub/c.tif').reason ?? '', /only linked through b\.jpg\b/);
    assert.doesNotMatch(state.file('sub/c.tif').reason ?? '', /photos\//);
  });

  it('keeps a conflict line no record accounts for (an older manifest, a hand edit): Clusters shows what the manifest says', () => {
    const cycle = 'conflict: reviews form a cycle (keep a.jpg over b.jpg over a.jpg)';
    const cluster = {
      keep: 'a.jpg',
      keepReason: cycle,
      keepBy: 'review' as const,
      conflicts: [`a.jpg: ${cycle}`, `b.jpg: ${cycle}`, 'c.jpg: conflict: written by hand'],
      members: [
        { path: 'b.jpg', distance: 0.1, decision: 'keep' as const, by: 'review' as const, reason: cycle, conflict: true as const },
        { path: 'c.jpg', distance: 0.1, decision: 'keep' as const, by: 'review' as const, reason: 'kept by review' },
      ],
    };
    assert.deepEqual(
      conflictGroups(cluster, (p) => `scan/${p}`),
      [
        // Named as the scan names the files (the manifest's paths are its own), here with the scan's prefix.
        { reason: 'reviews form a cycle (keep scan/a.jpg over scan/b.jpg over scan/a.jpg)', files: ['scan/a.jpg', 'scan/b.jpg'] },
        { reason: 'scan/c.jpg: conflict: written by hand', files: [] },
      ],
    );
  });
});

describe('scanPathsIn', () => {
  it('names the cluster’s files by the scan’s paths where they stand alone, and leaves look-alikes', () => {
    const c = { keep: 'photos/a.jpg', members: [{ path: 'photos/aa.jpg' }, { path: 'photos/x/a.jpg' }] } as never;
    const said = scanPathsIn(c, (p) => p.replace(/^photos\//, ''));
    assert.equal(said('keep photos/a.jpg over photos/aa.jpg (photos/x/a.jpg); kept'), 'keep a.jpg over aa.jpg (x/a.jpg); kept');
    assert.equal(said('photos/a.jpg: conflict: by hand'), 'a.jpg: conflict: by hand');
    assert.equal(said('notphotos/a.jpg and photos/a.jpgx'), 'notphotos/a.jpg and photos/a.jpgx');
    // The manifest in the scanned folder: nothing to rename.
    assert.equal(scanPathsIn(c, (p) => p)('keep photos/a.jpg'), 'keep photos/a.jpg');
  });
});
