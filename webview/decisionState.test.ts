import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DecisionsView, PairView } from '../src/shared/protocol.js';
import { DecisionState } from './decisionState.js';

const pairs: PairView[] = [
  { a: 0, b: 1, distance: 0.01, hasher: 'phash16' },
  { a: 1, b: 2, distance: 0.02, hasher: 'phash16' },
];
const view: DecisionsView = {
  manifestHash: 'abc',
  removeMode: 'reviewed',
  fileDecision: [0, 1, 0],
  fileBy: [0, 1, 2],
  fileSuggested: [2],
  fileConflict: [],
  fileReason: ['kept: highest resolution', 'removed by review', null],
  pairVerdict: [1, 0],
  pairBy: [1, 0],
  clusters: [
    {
      keep: 0,
      keepBy: 'auto',
      keepReason: 'kept: highest resolution',
      members: [{ file: 1, distance: 0.01, decision: 'remove', by: 'review', reason: '' }],
      doubtful: [],
      conflicts: [],
    },
  ],
  totals: { remove: 1, removeReviewed: 1, removeAuto: 0, suggested: 1, clusters: 1, doubtful: 0, conflicts: 0, orphaned: 0 },
  history: { canUndo: true, canRedo: false },
};

describe('decision state (what the page shows)', () => {
  it('reads the host’s columns back as verdicts, without deciding anything', () => {
    const d = new DecisionState(view, pairs);
    assert.deepEqual(d.pair(0), {
      verdict: 'keep-left',
      by: 'review',
      left: { decision: 'keep', by: 'auto', suggested: false, reason: 'kept: highest resolution', conflict: false },
      right: { decision: 'remove', by: 'review', suggested: false, reason: 'removed by review', conflict: false },
      keep: 0,
    });
    assert.equal(d.pair(1)!.keep, undefined, 'file 2 is in no cluster');
    assert.equal(d.pair(1)!.verdict, 'undecided');
    assert.equal(d.pair(1)!.right.by, 'protect');
    assert.equal(d.pair(1)!.right.suggested, true);
    assert.equal(d.pair(2), undefined);
    assert.equal(d.reviewed(0), true);
    assert.equal(d.reviewed(1), false);
    assert.equal(d.reviewedCount, 1);
    assert.equal(d.cluster(1), 0);
    assert.equal(d.cluster(2), undefined);
    assert.equal(d.clusterSize(0), 2);
  });

  it('a file in conflict is the host’s flag, whatever its reason says', () => {
    const d = new DecisionState({ ...view, fileConflict: [1], fileReason: ['conflict: written by hand', 'kept until you choose', null] }, pairs);
    assert.deepEqual(
      [0, 1, 2].map((f) => d.file(f).conflict),
      [false, true, false],
    );
  });
});
