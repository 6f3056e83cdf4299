import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/tempDir.js';
import { checkTrashCandidate, planTrash, type TrashCandidate } from './trashPlan.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const recorded = (path: string, content: string, extra: Partial<TrashCandidate> = {}): TrashCandidate => ({
  path,
  size: Buffer.byteLength(content),
  sha256: sha(content),
  ...extra,
});

test('planTrash: only unchanged regular files whose real path stays inside the folder are moved; the rest is refused with a reason', async () => {
  const { dir: base, cleanup } = tempDir();
  try {
    const root = join(base, 'data');
    const outside = join(base, 'outside');
    mkdirSync(join(root, 'sub'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(root, 'dup.jpg'), 'dup');
    writeFileSync(join(root, 'sub', 'dup2.jpg'), 'dup2');
    writeFileSync(join(root, 'edited.jpg'), 'edited later');
    writeFileSync(join(root, 'resized.jpg'), 'same size!');
    writeFileSync(join(root, 'val.jpg'), 'val');
    writeFileSync(join(outside, 'secret.jpg'), 'secret');
    symlinkSync(outside, join(root, 'linked')); // a folder outside, reached through a link
    symlinkSync('/', join(root, 'to-root'));
    symlinkSync(join(root, 'sub'), join(root, 'alias')); // a folder inside, under a second path

    const plan = await planTrash(root, [
      recorded('dup.jpg', 'dup'),
      recorded('sub/dup2.jpg', 'dup2'),
      recorded('alias/dup2.jpg', 'dup2'), // the same real file as sub/dup2.jpg: moved once
      recorded('edited.jpg', 'original'), // size differs
      recorded('resized.jpg', 'same-size!'), // same size, other bytes
      recorded('val.jpg', 'val', { protected: true }),
      recorded('linked/secret.jpg', 'secret'), // a crafted review through the outside link
      recorded('../outside/secret.jpg', 'secret'),
      recorded(join(outside, 'secret.jpg'), 'secret'),
      recorded('to-root/etc/hostname', 'x'),
      recorded('gone.jpg', 'gone'),
      recorded('sub', 'x'),
      { path: 'unrecorded.jpg' },
    ]);
    assert.deepEqual(
      plan.move.map((m) => m.path),
      ['alias/dup2.jpg', 'dup.jpg'],
    );
    assert.equal(plan.move[0].real, join(plan.rootReal, 'sub', 'dup2.jpg'));
    const reasons = Object.fromEntries(plan.refused.map((r) => [r.path, r.reason]));
    assert.deepEqual(reasons, {
      '../outside/secret.jpg': 'outside',
      [join(outside, 'secret.jpg')]: 'outside',
      'edited.jpg': 'changed',
      'gone.jpg': 'missing',
      'linked/secret.jpg': 'outside',
      'resized.jpg': 'changed',
      sub: 'not-a-file',
      'to-root/etc/hostname': 'outside',
      'unrecorded.jpg': 'missing',
      'val.jpg': 'protected',
    });
    for (const r of plan.refused) assert.ok(r.message.length > 10, r.message);
  } finally {
    cleanup();
  }
});

test('checkTrashCandidate: a file that changes after the dry run is refused at the move', async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, 'a.jpg'), 'aaaa');
    writeFileSync(join(dir, 'b.jpg'), 'bbbb');
    const c = recorded('a.jpg', 'aaaa');
    const plan = await planTrash(dir, [c, { path: 'b.jpg' }]);
    assert.deepEqual(
      plan.move.map((m) => m.path),
      ['a.jpg'],
    );
    assert.equal(plan.refused[0].reason, 'unrecorded');
    writeFileSync(join(dir, 'a.jpg'), 'AAAA'); // edited while the confirmation was open
    const again = await checkTrashCandidate(dir, plan.rootReal, c);
    assert.ok('reason' in again && again.reason === 'changed');
  } finally {
    cleanup();
  }
});
