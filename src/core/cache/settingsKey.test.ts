import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GENERATOR } from '../generator.js';
import { CACHE_VERSION } from './hashCache.js';
import { holdsHasher, parseSettingsKey, settingsKey } from './settingsKey.js';

test('settingsKey: cache format, engine version and the sorted hasher keys; parseSettingsKey takes it apart again', () => {
  const key = settingsKey(['phash:hashSize=16', 'dhash:hashSize=8']);
  assert.equal(key, `cache-v${CACHE_VERSION}|engine-${GENERATOR.version}|dhash:hashSize=8|phash:hashSize=16`);
  assert.equal(settingsKey(['dhash:hashSize=8', 'phash:hashSize=16']), key, 'the order of the hashers does not matter');
  assert.deepEqual(parseSettingsKey(key), {
    cacheVersion: CACHE_VERSION,
    engineVersion: GENERATOR.version,
    hasherKeys: ['dhash:hashSize=8', 'phash:hashSize=16'],
  });
  for (const bad of ['', 'phash:hashSize=16', 'cache-vX|engine-1|phash', 'cache-v2|1.0|phash']) assert.equal(parseSettingsKey(bad), undefined, bad);
});

test('holdsHasher: only a cache of this engine and format that hashed that configuration', () => {
  const key = settingsKey(['phash:hashSize=16', 'pdq']);
  assert.equal(holdsHasher(key, 'phash:hashSize=16'), true);
  assert.equal(holdsHasher(key, 'pdq'), true);
  assert.equal(holdsHasher(key, 'phash:hashSize=8'), false);
  assert.equal(holdsHasher(key.replace(`engine-${GENERATOR.version}`, 'engine-0.0.0-old'), 'pdq'), false, 'another engine version');
  assert.equal(holdsHasher(key.replace(`cache-v${CACHE_VERSION}`, `cache-v${CACHE_VERSION + 1}`), 'pdq'), false, 'another cache format');
  assert.equal(holdsHasher('not a key', 'pdq'), false);
});
