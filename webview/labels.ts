import type { PairStatus } from '../src/shared/protocol.js';

export const STATUS_LABEL: Record<PairStatus, string> = {
  undecided: 'undecided',
  'keep-a': 'kept left',
  'keep-b': 'kept right',
  'keep-both': 'kept both',
  'not-duplicate': 'not a duplicate',
};

/** What the status means for one side of the pair. */
export function sideVerdict(status: PairStatus, side: 'left' | 'right'): 'keep' | 'remove' | '' {
  switch (status) {
    case 'keep-a':
      return side === 'left' ? 'keep' : 'remove';
    case 'keep-b':
      return side === 'left' ? 'remove' : 'keep';
    case 'keep-both':
    case 'not-duplicate':
      return 'keep';
    default:
      return '';
  }
}
