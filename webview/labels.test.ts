import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conflictNotes, fileLabel, pairCountText, pairLabel, reviewedText, shortPairLabel, verdictLabel } from './labels.js';
import type { FileShown, PairShown } from './decisionState.js';

describe('verdict labels', () => {
  it('marks the keep policy’s verdicts apart from a person’s', () => {
    assert.equal(verdictLabel('keep-left', 'review'), 'kept left');
    assert.equal(verdictLabel('keep-left', 'auto'), 'auto: remove right');
    assert.equal(verdictLabel('keep-right', 'auto'), 'auto: remove left');
    assert.equal(verdictLabel('undecided', 'auto'), 'auto: undecided');
    assert.equal(verdictLabel('not-duplicate', 'review'), 'not a duplicate');
  });

  it('says who decided a file', () => {
    assert.equal(fileLabel('remove', 'auto'), 'remove · auto');
    assert.equal(fileLabel('keep', 'protect'), 'keep · protected');
    assert.equal(fileLabel('keep', 'auto', true), 'keep · auto proposes remove');
  });

  it('a pair whose two files are both removed says so and names the file its cluster keeps (not "undecided")', () => {
    const file = (decision: 'keep' | 'remove', by: FileShown['by'] = 'auto', suggested = false): FileShown => ({
      decision,
      by,
      suggested,
      reason: undefined,
      conflict: false,
    });
    const names = ['originals/o1.jpg', 'variants/o1__a.jpg', 'variants/o1__b.jpg'];
    const nameOf = (i: number): string => names[i]!;
    const both: PairShown = { verdict: 'undecided', by: 'auto', left: file('remove'), right: file('remove'), keep: 0 };
    assert.equal(pairLabel(both, nameOf), 'auto: remove both (keep originals/o1.jpg)');
    // Removed by reviews of other pairs: no "auto:".
    assert.equal(pairLabel({ ...both, left: file('remove', 'review'), right: file('remove', 'review') }, nameOf), 'remove both (keep originals/o1.jpg)');
    // --remove reviewed: the keep policy only proposes.
    assert.equal(
      pairLabel({ ...both, left: file('keep', 'auto', true), right: file('keep', 'auto', true) }, nameOf),
      'auto: proposes removing both (keep originals/o1.jpg)',
    );
    // Anything else reads as before.
    assert.equal(pairLabel({ ...both, verdict: 'keep-left', right: file('remove'), left: file('keep') }, nameOf), 'auto: remove right');
    assert.equal(pairLabel({ ...both, left: file('keep'), right: file('keep'), keep: undefined }, nameOf), 'auto: undecided');
  });

  it("a narrow row's badge says which file goes, in at most ten characters, as the long label does", () => {
    const file = (decision: 'keep' | 'remove', by: FileShown['by'] = 'auto', suggested = false, reason?: string): FileShown => ({
      decision,
      by,
      suggested,
      reason,
      conflict: reason?.startsWith('conflict:') === true,
    });
    const pair = (verdict: PairShown['verdict'], by: PairShown['by'], left: FileShown, right: FileShown): PairShown => ({
      verdict,
      by,
      left,
      right,
      keep: undefined,
    });
    const cases: [PairShown, string][] = [
      [pair('keep-left', 'auto', file('keep'), file('remove')), '✕ right'],
      [pair('keep-right', 'review', file('remove', 'review'), file('keep', 'review')), '✕ left'],
      [pair('keep-both', 'review', file('keep', 'review'), file('keep', 'review')), 'kept both'],
      [pair('keep-both', 'auto', file('keep'), file('keep')), 'keep both'],
      [pair('not-duplicate', 'review', file('keep'), file('keep')), 'not dup.'],
      [pair('undecided', 'auto', file('keep'), file('keep')), 'undecided'],
      [pair('undecided', 'auto', file('remove'), file('remove')), '✕ both'],
      [pair('undecided', 'auto', file('keep', 'auto', true), file('keep', 'auto', true)), '✕ both?'],
      [pair('keep-left', 'review', file('keep', 'review', false, 'conflict: reviews form a cycle (…)'), file('keep', 'review')), 'conflict'],
    ];
    for (const [shown, short] of cases) {
      assert.equal(
        shortPairLabel(shown),
        short,
        pairLabel(shown, () => 'x'),
      );
      assert.ok(short.length <= 10, short);
    }
  });

  it('a pair with a file kept by a conflict says so', () => {
    const file = (decision: 'keep' | 'remove', conflict: boolean, reason?: string): FileShown => ({
      decision,
      by: 'review',
      suggested: false,
      reason,
      conflict,
    });
    const cyc: PairShown = {
      verdict: 'keep-left',
      by: 'review',
      left: file('keep', true, 'reviews form a cycle (...)'),
      right: file('keep', false, 'kept by review'),
    };
    assert.equal(
      pairLabel(cyc, () => ''),
      'kept left · conflict: choose in Clusters',
    );
    assert.equal(shortPairLabel(cyc), 'conflict');
    // The flag decides, not the wording: a reason that happens to start with "conflict:" is no conflict.
    const worded: PairShown = { ...cyc, left: file('keep', false, 'conflict: a name'), right: file('keep', false) };
    assert.equal(
      pairLabel(worded, () => ''),
      'kept left',
    );
    assert.equal(shortPairLabel(worded), '✕ right');
  });
});

describe("the header's pair count", () => {
  it('counts the pairs implied by identical copies in, and says so plainly when every pair is one', () => {
    assert.equal(pairCountText('data', 12, 0, false), 'data: 12 pairs');
    assert.equal(pairCountText('data', 1, 0, false), 'data: 1 pair');
    assert.equal(pairCountText('data', 12, 5, false), 'data: 12 pairs (incl. 5 implied by identical copies)');
    assert.equal(pairCountText('bulk', 2204, 2204, false), 'bulk: 2,204 pairs, all implied by identical copies');
    assert.equal(pairCountText('bulk', 1, 1, false), 'bulk: 1 pair, implied by identical copies');
    assert.doesNotMatch(pairCountText('bulk', 2204, 2204, false), /incl\./);
    // The header writes counts as the status bar does ("6,214 to review"): thousands separated.
    assert.equal(pairCountText('big', 6214, 1500, false), 'big: 6,214 pairs (incl. 1,500 implied by identical copies)');
  });

  it('a cancelled scan says so in the same phrase', () => {
    assert.equal(pairCountText('bulk', 30, 0, true), 'bulk: 30 pairs found before the scan was cancelled');
    assert.equal(pairCountText('bulk', 30, 10, true), 'bulk: 30 pairs found before the scan was cancelled (incl. 10 implied by identical copies)');
    assert.equal(pairCountText('bulk', 30, 30, true), 'bulk: 30 pairs found before the scan was cancelled, all implied by identical copies');
  });
});

describe("the header's progress", () => {
  it('says "pair" for one pair and "pairs" otherwise, after the total', () => {
    assert.equal(reviewedText(0, 1), '0 of 1 pair reviewed');
    assert.equal(reviewedText(1, 1), '1 of 1 pair reviewed');
    assert.equal(reviewedText(1, 12), '1 of 12 pairs reviewed');
    assert.equal(reviewedText(0, 0), '0 of 0 pairs reviewed');
    assert.equal(reviewedText(1234, 6214), '1,234 of 6,214 pairs reviewed');
  });
});

describe("a cluster's conflict notes", () => {
  const cycle = 'reviews form a cycle (keep a.jpg over c.jpg, keep b.jpg over a.jpg, keep c.jpg over b.jpg); kept until you choose';
  const paths = ['a.jpg', 'b.jpg', 'c.jpg', 'a: b.jpg'];
  it('says each contradiction once, naming its files', () => {
    assert.deepEqual(
      conflictNotes([{ reason: cycle, files: [0, 1, 2] }], (f) => paths[f]!),
      [`Conflict (a.jpg, b.jpg, c.jpg): ${cycle}`],
    );
  });

  it('keeps different reasons apart, names a path holding ": " whole, and a contradiction without known files plainly', () => {
    const other = 'kept by review and removed by review';
    assert.deepEqual(
      conflictNotes(
        [
          { reason: cycle, files: [3] },
          { reason: other, files: [1] },
          { reason: 'odd', files: [] },
        ],
        (f) => paths[f]!,
      ),
      [`Conflict (a: b.jpg): ${cycle}`, 'Conflict (b.jpg): kept by review and removed by review', 'Conflict: odd'],
    );
  });
});
