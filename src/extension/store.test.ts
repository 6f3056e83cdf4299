import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ResultStore } from './store.js';
import { fixtureResult } from './testing/fixtureResult.js';

describe('result store', () => {
  it('keeps the last result per folder and ignores a corrupt file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-store-'));
    const store = new ResultStore(dir);
    assert.equal(await store.load('/data'), undefined);
    await store.save(fixtureResult('/data'));
    assert.deepEqual((await store.load('/data'))?.pairs, fixtureResult().pairs);
    assert.equal(await store.lastRoot(), '/data');
    assert.equal(await store.load('/other'), undefined);
    const { readdirSync } = await import('node:fs');
    const file = join(dir, 'scans', readdirSync(join(dir, 'scans'))[0]!);
    writeFileSync(file, '{"version":1,"result":');
    assert.equal(await store.load('/data'), undefined);
  });
});
