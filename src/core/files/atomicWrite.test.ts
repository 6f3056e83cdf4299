import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWriteError, MediaError, writeFailure } from '../errors.js';
import { tempPathFor, writeFileAtomic, writeFileAtomicSync } from './atomicWrite.js';

function folder(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'md-atomic-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('writeFileAtomic replaces the file and leaves no temporary file', async (t) => {
  const dir = folder(t);
  const file = join(dir, 'a.json');
  writeFileSync(file, 'old');
  await writeFileAtomic(file, 'new');
  assert.equal(readFileSync(file, 'utf8'), 'new');
  await writeFileAtomic(file, ['head\n', Buffer.from('body')]);
  assert.equal(readFileSync(file, 'utf8'), 'head\nbody');
  writeFileAtomicSync(file, new Uint8Array([104, 105]));
  assert.equal(readFileSync(file, 'utf8'), 'hi');
  assert.deepEqual(readdirSync(dir), ['a.json']);
});

test('writeFileAtomic: a producer failing half-way leaves the old file intact and no temporary file, and its error is passed on (not a disk problem)', async (t) => {
  const dir = folder(t);
  const file = join(dir, 'a.json');
  writeFileSync(file, 'old');
  function* parts(): Generator<string> {
    yield 'half of the new';
    throw new Error('the producer failed');
  }
  await assert.rejects(writeFileAtomic(file, parts()), (e: unknown) => !(e instanceof MediaError) && e instanceof Error && e.message === 'the producer failed');
  assert.equal(readFileSync(file, 'utf8'), 'old');
  assert.deepEqual(readdirSync(dir), ['a.json']);
});

test('writeFileAtomic: a failed rename (a folder in the way) removes the temporary file and says why, naming the target', async (t) => {
  const dir = folder(t);
  const target = join(dir, 'taken');
  mkdirSync(target);
  writeFileSync(join(target, 'inside'), 'kept');
  for (const write of [() => writeFileAtomic(target, 'x'), async () => writeFileAtomicSync(target, 'x')]) {
    const e = await write().then(
      () => assert.fail('expected a failure'),
      (err: unknown) => err,
    );
    assert.ok(e instanceof MediaError);
    assert.equal(e.code, 'UNWRITABLE');
    assert.equal(e.path, target);
    assert.match(e.message, new RegExp(`cannot write ${target}: .*\\((EISDIR|ENOTEMPTY|EEXIST)\\)`));
    assert.ok(!e.message.includes('.tmp'), e.message);
    // The system's code is still there for the callers that explain it.
    assert.match(describeWriteError(e), /\((EISDIR|ENOTEMPTY|EEXIST)\)/);
    assert.deepEqual(readdirSync(dir), ['taken']);
    assert.equal(readFileSync(join(target, 'inside'), 'utf8'), 'kept');
  }
});

test('writeFileAtomic: a missing folder is an UNWRITABLE error naming the target; writeFailure adds advice to it', async (t) => {
  const file = join(folder(t), 'gone', 'a.json');
  const e = await writeFileAtomic(file, 'x').then(
    () => assert.fail('expected a failure'),
    (err: unknown) => err,
  );
  assert.ok(e instanceof MediaError && e.code === 'UNWRITABLE' && e.path === file);
  assert.match(e.message, /\(ENOENT\)/);
  const ro = new MediaError('UNWRITABLE', 'cannot write x', '/x', Object.assign(new Error('EROFS'), { code: 'EROFS' }));
  assert.equal(writeFailure(ro, '/m.json', 'write it elsewhere')?.message, 'cannot write /m.json: the file system is read-only (EROFS); write it elsewhere');
});

test('tempPathFor: hidden, beside the target, unique per write', () => {
  const a = tempPathFor('/d/m.json');
  const b = tempPathFor('/d/m.json');
  assert.notEqual(a, b);
  assert.match(a, new RegExp(`^/d/\\.m\\.json\\.${process.pid}-0\\.[0-9a-z]+\\.tmp$`));
});
