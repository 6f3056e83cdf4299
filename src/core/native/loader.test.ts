import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadAddon, type AddonSpec } from './loader.js';

const spec = (over: Partial<AddonSpec>): AddonSpec => ({
  dir: 'none',
  file: 'no_such_addon.node',
  exports: ['f'],
  pathEnv: 'MEDIA_DEDUPE_TEST_ADDON',
  ...over,
});

test('an addon that was not built, is switched off, or lacks a function is unavailable, with the reason', () => {
  const notBuilt = loadAddon(spec({})).info;
  assert.equal(notBuilt.available, false);
  assert.match(notBuilt.reason!, /no_such_addon\.node was not built/);
  assert.deepEqual(loadAddon(spec({ off: () => 'SWITCHED=off' })).info, { available: false, reason: 'SWITCHED=off' });
  // Any loadable module stands in for an older build of an addon: this one has no function `decode`.
  process.env.MEDIA_DEDUPE_TEST_ADDON = join(__dirname, 'loader.ts');
  try {
    const old = loadAddon(spec({ exports: ['loadAddon', 'decode'] }));
    assert.equal(old.addon, undefined);
    assert.match(old.info.reason!, /did not load: it does not export decode \(an addon from an older build\? run npm rebuild\)/);
  } finally {
    delete process.env.MEDIA_DEDUPE_TEST_ADDON;
  }
});

test('an addon is loaded once per process', () => {
  const s = spec({ exports: ['loadAddon'], pathEnv: 'MEDIA_DEDUPE_TEST_ADDON_2' });
  process.env.MEDIA_DEDUPE_TEST_ADDON_2 = join(__dirname, 'loader.ts');
  try {
    const first = loadAddon<{ loadAddon: unknown }>(s);
    assert.equal(first.info.available, true);
    assert.equal(typeof first.addon!.loadAddon, 'function');
    assert.equal(loadAddon(s), first);
  } finally {
    delete process.env.MEDIA_DEDUPE_TEST_ADDON_2;
  }
});
