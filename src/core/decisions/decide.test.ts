import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from './decide.js';
import { NO_FACTS, type DecideEdge, type DecideFile, type DecideInput, type Decisions, type Facts } from './types.js';

const f = (path: string, width = 100, size = 1000, extra: Partial<DecideFile> = {}): DecideFile => ({ path, width, height: width, size, ...extra });
const e = (a: string, b: string, distance: number): DecideEdge => ({ a, b, distance });
const facts = (over: Partial<Facts>): Facts => ({ ...NO_FACTS, ...over });
const of = (d: Decisions, path: string) => d.files.find((x) => x.path === path);
const verdict = (d: Decisions, a: string, b: string) => {
  const p = d.pairs.find((x) => x.a === a && x.b === b);
  return p ? `${p.verdict}/${p.by}` : undefined;
};

// a (best) ~ b ~ c: c is not within threshold of a, only of b.
const chain = (): DecideInput => ({
  files: [f('a.jpg', 200), f('b.jpg', 100), f('c.jpg', 50)],
  edges: [e('a.jpg', 'b.jpg', 0.1), e('b.jpg', 'c.jpg', 0.15)],
  facts: NO_FACTS,
});

test('automatic: the kept file by the keep policy, direct copies removed, with reasons; totals', () => {
  const d = decide({
    files: [f('a.jpg', 200), f('b.jpg', 100), f('x.jpg'), f('y.jpg', 100, 2000)],
    edges: [e('a.jpg', 'b.jpg', 0.1), e('x.jpg', 'y.jpg', 0.05)],
    facts: NO_FACTS,
  });
  assert.equal(d.clusters.length, 2);
  assert.deepEqual(
    d.clusters.map((c) => [c.keep, c.keepReason, c.keepBy]),
    [
      ['a.jpg', 'kept: highest resolution, 200x200', 'auto'],
      ['y.jpg', 'kept: largest file, 2,000 bytes', 'auto'],
    ],
  );
  assert.deepEqual(d.clusters[0].members, [{ path: 'b.jpg', distance: 0.1, decision: 'remove', by: 'auto', reason: 'removed: copy of a.jpg (distance 0.1)' }]);
  assert.deepEqual(d.remove, ['b.jpg', 'x.jpg']);
  assert.equal(d.totals.removeAuto, 2);
  assert.equal(d.totals.removeReviewed, 0);
  assert.equal(verdict(d, 'a.jpg', 'b.jpg'), 'keep-left/auto');
  assert.equal(verdict(d, 'x.jpg', 'y.jpg'), 'keep-right/auto');
});

test('a chained member is not removed automatically: it stays, with the file it is linked through, and the cluster is doubtful', () => {
  const d = decide(chain());
  const [c] = d.clusters;
  assert.equal(c.keep, 'a.jpg');
  const m = c.members.find((x) => x.path === 'c.jpg')!;
  assert.equal(m.decision, 'keep');
  assert.equal(m.by, 'auto');
  assert.equal(m.chained, true);
  assert.equal(m.via, 'b.jpg');
  assert.equal(m.viaDistance, 0.15);
  assert.equal(m.distance, null);
  assert.match(m.reason, /only linked through b\.jpg/);
  assert.equal(c.doubtful.length, 1);
  assert.match(c.doubtful[0], /c\.jpg is only linked to a\.jpg through b\.jpg/);
  assert.deepEqual(d.remove, ['b.jpg']);
  // b is removed as a copy of a; c stays: the pair (b, c) shows c kept and b removed.
  assert.equal(verdict(d, 'b.jpg', 'c.jpg'), 'keep-right/auto');
  assert.equal(d.totals.doubtful, 1);
});

test('with an exact distance function, a chained member gets its real distance to the kept file; a match there makes it direct', () => {
  const far = decide({ ...chain(), distance: (x, y) => ([x, y].sort().join() === 'a.jpg,c.jpg' ? { distance: 0.3, match: false } : null) });
  const c1 = far.clusters[0].members.find((x) => x.path === 'c.jpg')!;
  assert.equal(c1.distance, 0.3);
  assert.equal(c1.decision, 'keep');
  assert.match(c1.reason, /distance 0\.3 to the kept file/);
  const near = decide({ ...chain(), distance: (x, y) => ([x, y].sort().join() === 'a.jpg,c.jpg' ? { distance: 0.18, match: true } : null) });
  const c2 = near.clusters[0].members.find((x) => x.path === 'c.jpg')!;
  assert.equal(c2.decision, 'remove');
  assert.equal(c2.chained, undefined);
  assert.equal(c2.distance, 0.18);
});

test('a not-duplicate answer cuts the chain: the files behind it leave the cluster', () => {
  const d = decide({ ...chain(), facts: facts({ notDuplicates: [['b.jpg', 'c.jpg']] }) });
  assert.equal(d.clusters.length, 1);
  assert.deepEqual(
    d.clusters[0].members.map((m) => m.path),
    ['b.jpg'],
  );
  assert.equal(of(d, 'c.jpg'), undefined, 'c is in no cluster');
  assert.equal(verdict(d, 'b.jpg', 'c.jpg'), 'not-duplicate/review');
  // Marked not a duplicate of the kept file while still linked through another member: kept, doubtful.
  const tri = decide({
    files: [f('a.jpg', 200), f('b.jpg', 100), f('c.jpg', 50)],
    edges: [e('a.jpg', 'b.jpg', 0.1), e('b.jpg', 'c.jpg', 0.1), e('a.jpg', 'c.jpg', 0.1)],
    facts: facts({ notDuplicates: [['a.jpg', 'c.jpg']] }),
  });
  const c = tri.clusters[0].members.find((m) => m.path === 'c.jpg')!;
  assert.equal(c.decision, 'keep');
  assert.match(c.reason, /marked not a duplicate of a\.jpg/);
  assert.match(tri.clusters[0].doubtful.join('\n'), /chain through a not-duplicate answer/);
});

test('review beats auto: a reviewed keep of the smaller file makes it the kept one and removes the other by review', () => {
  const d = decide({
    files: [f('a.jpg', 200), f('b.jpg', 100)],
    edges: [e('a.jpg', 'b.jpg', 0.1)],
    facts: facts({ reviews: [{ a: 'a.jpg', b: 'b.jpg', decision: 'keep-b' }] }),
  });
  assert.equal(d.clusters[0].keep, 'b.jpg');
  assert.equal(d.clusters[0].keepBy, 'review');
  assert.deepEqual(of(d, 'a.jpg'), { path: 'a.jpg', decision: 'remove', by: 'review', reason: 'removed by review (keep b.jpg)', cluster: 0 });
  assert.equal(of(d, 'b.jpg')!.by, 'review');
  assert.equal(verdict(d, 'a.jpg', 'b.jpg'), 'keep-right/review');
  assert.equal(d.totals.removeReviewed, 1);
  assert.equal(d.totals.removeAuto, 0);
});

test('a file a review kept is never removed automatically; keep-both is pair-local', () => {
  // a > c by policy; the person kept c over b. c must not then be removed as a copy of a.
  const d = decide({
    files: [f('a.jpg', 300), f('b.jpg', 100), f('c.jpg', 200)],
    edges: [e('a.jpg', 'b.jpg', 0.1), e('a.jpg', 'c.jpg', 0.1), e('b.jpg', 'c.jpg', 0.1)],
    facts: facts({ reviews: [{ a: 'b.jpg', b: 'c.jpg', decision: 'keep-b' }] }),
  });
  assert.equal(of(d, 'c.jpg')!.decision, 'keep');
  assert.equal(of(d, 'c.jpg')!.by, 'review');
  assert.equal(of(d, 'b.jpg')!.decision, 'remove');
  // keep-both: neither removed because of the other, but a third file's copy is still removed.
  const kb = decide({
    files: [f('a.jpg', 300), f('b.jpg', 100), f('c.jpg', 200)],
    edges: [e('a.jpg', 'b.jpg', 0.1), e('a.jpg', 'c.jpg', 0.1)],
    facts: facts({ reviews: [{ a: 'a.jpg', b: 'b.jpg', decision: 'keep-both' }] }),
  });
  assert.deepEqual(kb.remove, ['c.jpg']);
  assert.equal(verdict(kb, 'a.jpg', 'b.jpg'), 'keep-both/review');
  assert.equal(verdict(kb, 'a.jpg', 'c.jpg'), 'keep-left/auto');
});

test('file decisions (bulk actions, hand edits) hold; a reviewed removal stays even when the pair is no longer found', () => {
  const d = decide({
    files: [f('a.jpg', 200), f('b.jpg', 100), f('c.jpg', 100)],
    edges: [e('a.jpg', 'b.jpg', 0.1), e('a.jpg', 'c.jpg', 0.1)],
    facts: facts({
      fileDecisions: [
        { path: 'b.jpg', decision: 'keep' },
        { path: 'a.jpg', decision: 'remove' },
      ],
    }),
  });
  assert.deepEqual(d.remove, ['a.jpg']);
  assert.equal(d.clusters[0].keep, 'b.jpg', 'the file kept by review anchors the cluster');
  // c was a copy of a, not of b: with a gone it is only linked through a, so it stays (doubtful).
  assert.equal(of(d, 'c.jpg')!.decision, 'keep');
  assert.equal(d.clusters[0].members.find((m) => m.path === 'c.jpg')!.via, 'a.jpg');
});

test('protected files are never removed: a review that would remove one is a conflict, and it is kept', () => {
  const files = [f('train/a.jpg', 200), f('val/a.jpg', 100, 1000, { protectedBy: 'val/**' })];
  const auto = decide({ files, edges: [e('train/a.jpg', 'val/a.jpg', 0.05)], facts: NO_FACTS });
  // Protecting means "never remove it", not "keep it instead of the file the keep policy prefers": both stay.
  assert.equal(auto.clusters[0].keep, 'train/a.jpg', 'the keep policy still chooses the kept file');
  assert.equal(auto.clusters[0].keepReason, 'kept: highest resolution, 200x200');
  assert.deepEqual(auto.remove, []);
  assert.equal(of(auto, 'val/a.jpg')!.by, 'protect');
  assert.equal(of(auto, 'val/a.jpg')!.reason, 'kept: protected by --protect val/**');
  const review = decide({
    files,
    edges: [e('train/a.jpg', 'val/a.jpg', 0.05)],
    facts: facts({ reviews: [{ a: 'train/a.jpg', b: 'val/a.jpg', decision: 'keep-a' }] }),
  });
  assert.equal(of(review, 'val/a.jpg')!.decision, 'keep');
  assert.equal(of(review, 'val/a.jpg')!.conflict, true);
  assert.equal(of(review, 'val/a.jpg')!.by, 'protect');
  assert.ok(!review.remove.includes('val/a.jpg'));
  assert.equal(review.totals.conflicts, 1);
  const bulk = decide({ files, edges: [e('train/a.jpg', 'val/a.jpg', 0.05)], facts: facts({ fileDecisions: [{ path: 'val/a.jpg', decision: 'remove' }] }) });
  assert.ok(!bulk.remove.includes('val/a.jpg'));
  assert.match(of(bulk, 'val/a.jpg')!.reason, /^conflict: protected/);
});

test('reviewed removals forming a cycle are a conflict: every file of the cycle is kept and flagged', () => {
  const d = decide({
    files: [f('a.jpg'), f('b.jpg'), f('c.jpg'), f('d.jpg')],
    edges: [e('a.jpg', 'b.jpg', 0.1), e('b.jpg', 'c.jpg', 0.1), e('a.jpg', 'c.jpg', 0.1), e('c.jpg', 'd.jpg', 0.1)],
    facts: facts({
      reviews: [
        { a: 'a.jpg', b: 'b.jpg', decision: 'keep-a' },
        { a: 'b.jpg', b: 'c.jpg', decision: 'keep-a' },
        { a: 'a.jpg', b: 'c.jpg', decision: 'keep-b' },
        { a: 'c.jpg', b: 'd.jpg', decision: 'keep-a' },
      ],
    }),
  });
  for (const p of ['a.jpg', 'b.jpg', 'c.jpg']) {
    assert.equal(of(d, p)!.decision, 'keep', p);
    assert.equal(of(d, p)!.conflict, true, p);
    assert.match(of(d, p)!.reason, /cycle \(keep a\.jpg over b\.jpg, keep b\.jpg over c\.jpg, keep c\.jpg over a\.jpg\)/);
  }
  assert.deepEqual(d.remove, ['d.jpg'], 'the removal outside the cycle stands');
  assert.equal(d.clusters[0].conflicts.length, 3);
  // A plain chain of reviews is not a conflict: keep a over b, b over c removes b and c.
  const chainOnly = decide({
    files: [f('a.jpg'), f('b.jpg'), f('c.jpg')],
    edges: [e('a.jpg', 'b.jpg', 0.1), e('b.jpg', 'c.jpg', 0.1)],
    facts: facts({
      reviews: [
        { a: 'a.jpg', b: 'b.jpg', decision: 'keep-a' },
        { a: 'b.jpg', b: 'c.jpg', decision: 'keep-a' },
      ],
    }),
  });
  assert.deepEqual(chainOnly.remove, ['b.jpg', 'c.jpg']);
  assert.equal(chainOnly.totals.conflicts, 0);
});

test('contradictions are flagged, never resolved silently: kept by a file decision and removed by a pair review; reviewed and not-duplicate', () => {
  const d = decide({
    files: [f('a.jpg'), f('b.jpg')],
    edges: [e('a.jpg', 'b.jpg', 0.1)],
    facts: facts({ reviews: [{ a: 'a.jpg', b: 'b.jpg', decision: 'keep-a' }], fileDecisions: [{ path: 'b.jpg', decision: 'keep' }] }),
  });
  assert.equal(of(d, 'b.jpg')!.decision, 'keep');
  assert.equal(of(d, 'b.jpg')!.conflict, true);
  const both = decide({
    files: [f('a.jpg'), f('b.jpg')],
    edges: [e('a.jpg', 'b.jpg', 0.1)],
    facts: facts({ reviews: [{ a: 'a.jpg', b: 'b.jpg', decision: 'keep-a' }], notDuplicates: [['a.jpg', 'b.jpg']] }),
  });
  assert.deepEqual(both.remove, []);
  assert.equal(both.totals.conflicts, 2);
});

test('removeMode reviewed: automatic removals are suggested, not applied; reviewed removals still are', () => {
  const d = decide({
    files: [f('a.jpg', 200), f('b.jpg', 100), f('c.jpg', 100), f('x.jpg'), f('y.jpg')],
    edges: [e('a.jpg', 'b.jpg', 0.1), e('a.jpg', 'c.jpg', 0.1), e('x.jpg', 'y.jpg', 0.1)],
    facts: facts({ reviews: [{ a: 'x.jpg', b: 'y.jpg', decision: 'keep-a' }] }),
    removeMode: 'reviewed',
  });
  assert.deepEqual(d.remove, ['y.jpg']);
  assert.deepEqual(of(d, 'b.jpg'), {
    path: 'b.jpg',
    decision: 'keep',
    by: 'auto',
    reason: 'suggested: remove, copy of a.jpg (distance 0.1)',
    suggested: 'remove',
    cluster: 0,
  });
  assert.equal(d.totals.suggested, 2);
  assert.equal(verdict(d, 'a.jpg', 'b.jpg'), 'keep-left/auto', 'the pair shows the automatic proposal');
});

test('identical-hash groups are nodes: an edge to one member stands for all, pairs inside are implied', () => {
  const copies = Array.from({ length: 50 }, (_, i) => f(`copies/${String(i).padStart(2, '0')}.jpg`, 100));
  const d = decide({
    files: [f('orig.jpg', 400), ...copies, f('other.jpg', 50)],
    identical: [copies.map((c) => c.path)],
    edges: [e('copies/07.jpg', 'orig.jpg', 0.02), e('copies/03.jpg', 'other.jpg', 0.1)],
    facts: NO_FACTS,
  });
  assert.equal(d.clusters.length, 1);
  assert.equal(d.clusters[0].keep, 'orig.jpg');
  assert.equal(d.remove.length, 50, 'every copy is directly a duplicate of orig (same hashes as copies/07)');
  const other = d.clusters[0].members.find((m) => m.path === 'other.jpg')!;
  assert.equal(other.decision, 'keep', 'other is only linked through a copy');
  assert.equal(other.chained, true);
  assert.equal(d.pairs.length, 2, 'the 1,225 pairs inside the group are not enumerated');
  // Without an outside file, the group alone is a cluster of identical files.
  const alone = decide({ files: copies, identical: [copies.map((c) => c.path)], edges: [], facts: NO_FACTS });
  assert.equal(alone.clusters[0].keep, 'copies/00.jpg');
  assert.equal(alone.remove.length, 49);
  assert.equal(alone.clusters[0].members[0].distance, 0);
  // A not-duplicate answer inside a group of two splits it.
  const split = decide({
    files: copies.slice(0, 2),
    identical: [[copies[0].path, copies[1].path]],
    edges: [],
    facts: facts({ notDuplicates: [[copies[0].path, copies[1].path]] }),
  });
  assert.equal(split.clusters.length, 0);
});

test('strict: no chaining, every member directly a duplicate of its kept file', () => {
  const d = decide({ ...chain(), strict: true });
  assert.deepEqual(
    d.clusters.map((c) => [c.keep, c.members.map((m) => m.path)]),
    [['a.jpg', ['b.jpg']]],
  );
  assert.equal(of(d, 'c.jpg'), undefined);
  assert.equal(d.totals.doubtful, 0);
});

test('orphaned: decisions about files absent from the scan are kept, and their reviewed removals stay in remove', () => {
  const d = decide({
    files: [f('a.jpg'), f('offline/b.jpg', 100, 1000, { orphaned: true })],
    edges: [],
    facts: facts({ reviews: [{ a: 'a.jpg', b: 'offline/b.jpg', decision: 'keep-a' }], notDuplicates: [['gone/x.jpg', 'gone/y.jpg']] }),
  });
  assert.deepEqual(d.orphaned, ['gone/x.jpg', 'gone/y.jpg', 'offline/b.jpg']);
  assert.deepEqual(d.remove, ['offline/b.jpg']);
  assert.equal(of(d, 'offline/b.jpg')!.orphaned, true);
  assert.match(of(d, 'offline/b.jpg')!.reason, /orphaned/);
  assert.equal(d.totals.orphaned, 3);
  assert.equal(d.clusters.length, 0);
});

test('a cluster across folders compared separately (--group-by) is doubtful', () => {
  const d = decide({
    files: [f('cats/a.jpg', 200, 1, { group: 'cats' }), f('dogs/a.jpg', 100, 1, { group: 'dogs' })],
    edges: [],
    facts: facts({ reviews: [{ a: 'cats/a.jpg', b: 'dogs/a.jpg', decision: 'keep-both' }] }),
  });
  assert.match(d.clusters[0].doubtful.join(), /compared separately.*cats\/, dogs\//);
});

test('identical bytes say so in the reason', () => {
  const d = decide({ files: [f('a.jpg', 100, 5, { sha256: 'x' }), f('b.jpg', 100, 5, { sha256: 'x' })], edges: [e('a.jpg', 'b.jpg', 0)], facts: NO_FACTS });
  assert.equal(of(d, 'b.jpg')!.reason, 'removed: identical to a.jpg (same bytes)');
});

test('deterministic: any permutation of files, edges, groups and facts gives the same decisions', () => {
  const files = Array.from({ length: 30 }, (_, i) => f(`f${String(i).padStart(2, '0')}.jpg`, 50 + ((i * 37) % 7) * 10, 100 + ((i * 11) % 5)));
  const edges: DecideEdge[] = [];
  for (let i = 0; i < 30; i++)
    for (let j = i + 1; j < 30; j++) if ((i * 7 + j * 13) % 9 === 0) edges.push(e(files[i].path, files[j].path, ((i + j) % 10) / 50));
  const input: DecideInput = {
    files,
    edges,
    identical: [[files[3].path, files[4].path, files[5].path]],
    facts: facts({
      reviews: [
        { a: files[1].path, b: files[10].path, decision: 'keep-b' },
        { a: files[2].path, b: files[20].path, decision: 'keep-both' },
      ],
      notDuplicates: [[files[0].path, files[9].path]],
      fileDecisions: [{ path: files[12].path, decision: 'remove' }],
    }),
  };
  const expected = JSON.stringify(decide(input));
  let seed = 7;
  const shuffle = <T>(xs: readonly T[]): T[] => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const j = seed % (i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  for (let round = 0; round < 10; round++) {
    const flipped = shuffle(input.edges).map((x, i) => (i % 2 ? { ...x, a: x.b, b: x.a } : x));
    const again = decide({
      ...input,
      files: shuffle(input.files),
      edges: flipped,
      identical: [shuffle(input.identical![0])],
      facts: { reviews: shuffle(input.facts.reviews), notDuplicates: shuffle(input.facts.notDuplicates), fileDecisions: shuffle(input.facts.fileDecisions) },
    });
    assert.equal(JSON.stringify(again), expected, `round ${round}`);
  }
});

// ---- carried over from the clustering tests of manifest version 1 (same inputs; where a rule changed, it says so) ----

const sized = (entries: Record<string, [number, number, number, boolean?]>): DecideFile[] =>
  Object.entries(entries).map(([p, [w, h, size, prot]]) => ({ path: p, width: w, height: h, size, ...(prot ? { protectedBy: 'originals/**' } : {}) }));

test('clusters are connected components; the kept file is the best one; a far member of a chain is flagged (and now kept)', () => {
  const d = decide({
    files: sized({ 'a.jpg': [100, 100, 10], 'b.jpg': [200, 200, 10], 'c.jpg': [50, 50, 10], 'x.jpg': [10, 10, 1], 'y.jpg': [10, 10, 2] }),
    edges: [e('a.jpg', 'b.jpg', 0.1), e('b.jpg', 'c.jpg', 0.15), e('x.jpg', 'y.jpg', 0.05)],
    facts: NO_FACTS,
  });
  assert.deepEqual(
    d.clusters.map((c) => [c.keep, c.members.map((m) => [m.path, m.distance, m.decision])]),
    [
      [
        'b.jpg', // highest resolution
        [
          ['a.jpg', 0.1, 'remove'],
          ['c.jpg', 0.15, 'remove'],
        ],
      ],
      ['y.jpg', [['x.jpg', 0.05, 'remove']]], // same resolution: larger file
    ],
  );
  // Kept file at one end of the chain: the far member is linked only through the middle one. Version 1
  // removed it with the chain's largest step as its distance; now it stays, linked through b at 0.15.
  const chained = decide({
    files: sized({ 'a.jpg': [300, 300, 1], 'b.jpg': [200, 200, 1], 'c.jpg': [100, 100, 1] }),
    edges: [e('a.jpg', 'b.jpg', 0.1), e('b.jpg', 'c.jpg', 0.15)],
    facts: NO_FACTS,
  });
  assert.deepEqual(
    chained.clusters[0].members.map((m) => [m.path, m.distance, m.chained ?? false, m.via, m.viaDistance, m.decision]),
    [
      ['b.jpg', 0.1, false, undefined, undefined, 'remove'],
      ['c.jpg', null, true, 'b.jpg', 0.15, 'keep'],
    ],
  );
});

test('--strict: no chaining, every member is within threshold of its kept file (carried over)', () => {
  const files = sized({ 'a.jpg': [300, 300, 1], 'b.jpg': [200, 200, 1], 'c.jpg': [100, 100, 1], 'd.jpg': [50, 50, 1] });
  const edges = [e('a.jpg', 'b.jpg', 0.1), e('b.jpg', 'c.jpg', 0.15), e('c.jpg', 'd.jpg', 0.1)];
  const strict = decide({ files, edges, facts: NO_FACTS, strict: true });
  assert.deepEqual(
    strict.clusters.map((c) => [c.keep, c.members.map((m) => m.path)]),
    [
      ['a.jpg', ['b.jpg']],
      ['c.jpg', ['d.jpg']],
    ],
  );
  for (const c of strict.clusters) for (const m of c.members) assert.equal(m.chained, undefined);
  const loose = decide({ files, edges, facts: NO_FACTS });
  assert.deepEqual(
    loose.clusters.map((c) => [c.keep, c.members.length]),
    [['a.jpg', 3]],
  );
});

test('default keep policy on plain files: highest resolution, then largest file, then shortest path, then path order (carried over)', () => {
  const keepOf = (files: DecideFile[]): string =>
    decide({ files, edges: files.slice(1).map((x) => e(files[0].path, x.path, 0.01)), facts: NO_FACTS }).clusters[0].keep;
  assert.equal(keepOf(sized({ 'a.jpg': [10, 10, 999], 'b.jpg': [11, 10, 1] })), 'b.jpg');
  assert.equal(keepOf(sized({ 'a.jpg': [10, 10, 5], 'b.jpg': [10, 10, 6] })), 'b.jpg');
  assert.equal(keepOf(sized({ 'deep/folder/a.jpg': [10, 10, 5], 'b.jpg': [10, 10, 5] })), 'b.jpg');
  assert.equal(keepOf(sized({ 'b.jpg': [10, 10, 5], 'a.jpg': [10, 10, 5] })), 'a.jpg');
});

test('protected files are never removed (carried over; now by "protect"; they no longer displace the kept file)', () => {
  const d = decide({
    files: sized({ 'originals/a.jpg': [100, 100, 1, true], 'originals/a2.jpg': [90, 90, 1, true], 'big/a.png': [400, 400, 9] }),
    edges: [e('big/a.png', 'originals/a.jpg', 0.05), e('originals/a.jpg', 'originals/a2.jpg', 0.02)],
    facts: NO_FACTS,
  });
  const [c] = d.clusters;
  // Version 1 kept the protected file and removed big/a.png; now the keep policy's choice stays kept as well.
  assert.equal(c.keep, 'big/a.png');
  assert.deepEqual(
    c.members.map((m) => [m.path, m.decision, m.by]),
    [
      ['originals/a.jpg', 'keep', 'protect'],
      ['originals/a2.jpg', 'keep', 'protect'],
    ],
  );
  assert.deepEqual(d.remove, []);
  // Preferring a folder as the kept file is the keep policy's job: folder:GLOB.
  const pref = decide({
    files: sized({ 'originals/a.jpg': [100, 100, 1, true], 'originals/a2.jpg': [90, 90, 1, true], 'big/a.png': [400, 400, 9] }),
    edges: [e('big/a.png', 'originals/a.jpg', 0.05), e('originals/a.jpg', 'originals/a2.jpg', 0.02)],
    facts: NO_FACTS,
    policy: ['folder:originals/**', 'resolution'],
  });
  assert.equal(pref.clusters[0].keep, 'originals/a.jpg');
  assert.deepEqual(pref.remove, ['big/a.png']);
});

test('a protected copy never outranks the original: the original stays kept, the protected copy too, only the other copies go', () => {
  // The e2e's cluster: an original, a protected JPEG re-save of it and two other copies.
  const files = [
    f('originals/o00001.jpg', 1280, 300_000, { jpegQuality: 95 }),
    f('variants/o00001__jpeg_q.jpg', 1280, 90_000, { jpegQuality: 40, protectedBy: 'variants/*__jpeg_q.jpg' }),
    f('variants/o00001__to_png.png', 1280, 900_000, { reencoded: true }),
    f('variants/o00001__small.jpg', 640, 40_000, { jpegQuality: 90 }),
  ];
  const edges = [
    e('originals/o00001.jpg', 'variants/o00001__jpeg_q.jpg', 0.02),
    e('originals/o00001.jpg', 'variants/o00001__to_png.png', 0.01),
    e('originals/o00001.jpg', 'variants/o00001__small.jpg', 0.03),
    e('variants/o00001__jpeg_q.jpg', 'variants/o00001__to_png.png', 0.02),
    e('variants/o00001__jpeg_q.jpg', 'variants/o00001__small.jpg', 0.03),
  ];
  const d = decide({ files, edges, facts: NO_FACTS });
  assert.equal(d.clusters.length, 1);
  assert.equal(d.clusters[0].keep, 'originals/o00001.jpg');
  assert.equal(of(d, 'originals/o00001.jpg')!.decision, 'keep');
  assert.equal(of(d, 'variants/o00001__jpeg_q.jpg')!.decision, 'keep');
  assert.equal(of(d, 'variants/o00001__jpeg_q.jpg')!.by, 'protect');
  assert.deepEqual(d.remove, ['variants/o00001__small.jpg', 'variants/o00001__to_png.png']);
  // The pair of the two kept files: both stay, one cluster.
  assert.equal(verdict(d, 'originals/o00001.jpg', 'variants/o00001__jpeg_q.jpg'), 'keep-both/auto');
  // Whatever the input order, the same.
  const again = decide({ files: [...files].reverse(), edges: [...edges].reverse(), facts: NO_FACTS });
  assert.deepEqual(again.remove, d.remove);
  assert.equal(again.clusters[0].keep, 'originals/o00001.jpg');
});

test('notDuplicates unlink a pair; review decisions win over the policy (carried over)', () => {
  const files = sized({ 'a.jpg': [100, 100, 1], 'b.jpg': [50, 50, 1], 'c.jpg': [40, 40, 1] });
  const edges = [e('a.jpg', 'b.jpg', 0.1), e('b.jpg', 'c.jpg', 0.1)];
  const split = decide({ files, edges, facts: facts({ notDuplicates: [['a.jpg', 'b.jpg']] }) });
  assert.deepEqual(
    split.clusters.map((c) => [c.keep, c.members.map((m) => m.path)]),
    [['b.jpg', ['c.jpg']]],
  );
  const reviewed = decide({
    files,
    edges,
    facts: facts({
      fileDecisions: [
        { path: 'c.jpg', decision: 'keep' },
        { path: 'a.jpg', decision: 'remove' },
      ],
    }),
  });
  assert.equal(reviewed.clusters[0].keep, 'c.jpg');
  assert.deepEqual(
    reviewed.clusters[0].members.map((m) => [m.path, m.decision, m.by]),
    [
      ['a.jpg', 'remove', 'review'],
      ['b.jpg', 'remove', 'auto'],
    ],
  );
});

test('clusters do not depend on the order of the input, strict or not (carried over)', () => {
  const files = sized(
    Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}.jpg`, [10 + (i % 7), 10, i % 5]])) as Record<string, [number, number, number]>,
  );
  const edges: DecideEdge[] = [];
  for (let i = 0; i < 30; i++) for (let j = i + 1; j < 30; j++) if ((i * 7 + j * 13) % 11 === 0) edges.push(e(`f${i}.jpg`, `f${j}.jpg`, ((i + j) % 9) / 100));
  for (const strict of [false, true]) {
    const a = decide({ files, edges, facts: NO_FACTS, strict });
    const shuffled = [...edges].reverse().map((x, k) => (k % 2 ? { a: x.b, b: x.a, distance: x.distance } : x));
    assert.deepEqual(decide({ files: [...files].reverse(), edges: shuffled, facts: NO_FACTS, strict }), a);
  }
});
