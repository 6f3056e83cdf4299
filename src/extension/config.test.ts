import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../core/testing/tempDir.js';
import { decisionSettings, DEFAULT_CONFIG, manifestOutside, manifestPathFor, readConfig, toScanOptions, type MediaDedupeConfig } from './config.js';

const threshold = (h: { name: string; hashSize?: number }): number => ({ phash: 0.2, dhash: 0.07, pdq: 0.2 })[h.name] ?? 0.1;

describe('settings: readConfig', () => {
  it('gives the defaults when nothing is set', () => {
    const r = readConfig(() => undefined);
    assert.deepEqual(r.config, DEFAULT_CONFIG);
    assert.deepEqual(r.problems, []);
  });

  it('takes valid values', () => {
    const v: Partial<Record<keyof MediaDedupeConfig, unknown>> = {
      hasher: 'dhash',
      hashSize: 8,
      threshold: 0.1,
      isometric: true,
      groupBy: 'folder',
      include: ['**/*.jpg'],
      protect: ['val/**'],
      manifestPath: 'out/m.json',
      remove: 'reviewed',
    };
    const r = readConfig((k) => v[k]);
    assert.deepEqual(r.problems, []);
    assert.equal(r.config.remove, 'reviewed');
    assert.equal(readConfig((k) => (k === 'remove' ? 'sometimes' : undefined)).config.remove, 'ask');
    assert.equal(r.config.hasher, 'dhash');
    assert.equal(r.config.hashSize, 8);
    assert.equal(r.config.threshold, 0.1);
    assert.equal(r.config.groupBy, 'folder');
    assert.deepEqual(r.config.protect, ['val/**']);
  });

  it('falls back to the default for a bad value and says what was expected', () => {
    const v: Partial<Record<keyof MediaDedupeConfig, unknown>> = {
      hasher: 'md5',
      hashSize: 3.5,
      threshold: -1,
      groupBy: 'class',
      include: 'x',
      manifestPath: 'm.txt',
    };
    const r = readConfig((k) => v[k]);
    assert.equal(r.config.hasher, 'phash');
    assert.equal(r.config.hashSize, 16);
    assert.equal(r.config.threshold, null);
    assert.equal(r.config.groupBy, 'none');
    assert.deepEqual(r.config.include, []);
    assert.equal(r.config.manifestPath, 'dedupe-manifest.json');
    assert.equal(r.problems.length, 6);
    assert.match(r.problems[0]!, /^mediaDedupe\.hasher: expected one of phash, .* but got "md5"; using "phash"$/);
  });

  it('maps to scan options, with the recommended threshold when none is set', () => {
    const o = toScanOptions(DEFAULT_CONFIG, threshold);
    assert.deepEqual(o.hashers, [{ name: 'phash', hashSize: 16, threshold: 0.2 }]);
    assert.equal(o.include, undefined, 'an empty include list means the engine default');
    const pdq = toScanOptions({ ...DEFAULT_CONFIG, hasher: 'pdq', threshold: 0.3 }, threshold);
    assert.deepEqual(pdq.hashers, [{ name: 'pdq', threshold: 0.3 }], 'fixed-size hashers get no hashSize');
  });
});

describe('settings: colour check, videos, strict clusters, keep policy', () => {
  it('map to the scan options and the decision settings', () => {
    const o = toScanOptions(DEFAULT_CONFIG, threshold);
    assert.deepEqual([o.colorCheck, o.videos, o.strict], [false, true, false], 'defaults: the CLI scan defaults');
    const on = toScanOptions({ ...DEFAULT_CONFIG, colorCheck: true, videos: false, strict: true }, threshold);
    assert.deepEqual([on.colorCheck, on.videos, on.strict], [true, false, true]);
    assert.deepEqual(decisionSettings(DEFAULT_CONFIG), {}, "ask and an empty policy leave the manifest's own");
    assert.deepEqual(decisionSettings({ remove: 'reviewed', keepPolicy: ['folder:originals/**', ' oldest'] }), {
      remove: 'reviewed',
      keepPolicy: ['folder:originals/**', 'oldest'],
    });
  });

  it('takes a keep policy the engine accepts and refuses any other, naming what it expects', () => {
    const ok = readConfig((k) => (k === 'keepPolicy' ? ['quality', 'folder:raw/**', 'oldest'] : undefined));
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.config.keepPolicy, ['quality', 'folder:raw/**', 'oldest']);
    for (const bad of [['biggest'], 'resolution,quality', [''], ['folder:']]) {
      const r = readConfig((k) => (k === 'keepPolicy' ? bad : undefined));
      assert.deepEqual(r.config.keepPolicy, [], JSON.stringify(bad));
      assert.match(r.problems[0]!, /^mediaDedupe\.keepPolicy: expected a list of keep criteria/);
    }
    for (const key of ['colorCheck', 'videos', 'strict'] as const) {
      const r = readConfig((k) => (k === key ? 'yes' : undefined));
      assert.equal(r.config[key], DEFAULT_CONFIG[key]);
      assert.equal(r.problems.length, 1, key);
    }
  });
});

describe('settings: splits (the leakage search)', () => {
  it('maps names to top-level folders and NAME=GLOB to its glob, as the CLI does', () => {
    const r = readConfig((k) => (k === 'splits' ? ['train', 'val=images/val/**'] : undefined));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(toScanOptions(r.config, threshold).splits, [
      { name: 'train', glob: 'train/**' },
      { name: 'val', glob: 'images/val/**' },
    ]);
    assert.equal(toScanOptions(DEFAULT_CONFIG, threshold).splits, undefined, 'empty: a plain scan');
  });

  it('refuses one split, a name twice or a bad name, with the expected form, and scans plainly', () => {
    for (const bad of [['train'], ['train', 'train=x/**'], ['train', '../test'], 'train,test']) {
      const r = readConfig((k) => (k === 'splits' ? bad : undefined));
      assert.deepEqual(r.config.splits, [], JSON.stringify(bad));
      assert.match(r.problems[0]!, /^mediaDedupe\.splits: expected none, or two or more split folder names or NAME=GLOB/);
    }
  });
});

describe('settings: followSymlinksOutside and the manifest place', () => {
  it('followSymlinksOutside is off by default and maps to followOutside', () => {
    assert.equal(toScanOptions(DEFAULT_CONFIG, threshold).followOutside, undefined);
    assert.equal(toScanOptions({ ...DEFAULT_CONFIG, followSymlinksOutside: true }, threshold).followOutside, true);
    const r = readConfig((k) => (k === 'followSymlinksOutside' ? 'yes' : undefined));
    assert.equal(r.config.followSymlinksOutside, false);
    assert.equal(r.problems.length, 1);
  });

  it('cropResistant is off by default and maps to the scan option only when on', () => {
    assert.equal(toScanOptions(DEFAULT_CONFIG, threshold).cropResistant, undefined);
    assert.equal(toScanOptions({ ...DEFAULT_CONFIG, cropResistant: true }, threshold).cropResistant, true);
    const r = readConfig((k) => (k === 'cropResistant' ? 'on' : undefined));
    assert.equal(r.config.cropResistant, false);
    assert.equal(r.problems.length, 1);
  });

  it('manifestOutside: a manifest outside every workspace folder, by path or through a link, is outside', () => {
    const { dir, cleanup } = tempDir();
    try {
      const ws = join(dir, 'ws');
      mkdirSync(join(ws, 'data'), { recursive: true });
      mkdirSync(join(dir, 'elsewhere'));
      symlinkSync(join(dir, 'elsewhere'), join(ws, 'out-link'));
      const root = join(ws, 'data');
      assert.equal(manifestOutside(manifestPathFor(root, DEFAULT_CONFIG), [ws]), false);
      assert.equal(manifestOutside(manifestPathFor(root, { manifestPath: '../m.json' }), [ws]), false);
      assert.equal(manifestOutside(manifestPathFor(root, { manifestPath: 'new/sub/m.json' }), [ws]), false, 'folders not created yet');
      assert.equal(manifestOutside(manifestPathFor(root, { manifestPath: '../../m.json' }), [ws]), true);
      assert.equal(manifestOutside(manifestPathFor(root, { manifestPath: '/etc/m.json' }), [ws]), true);
      assert.equal(manifestOutside(manifestPathFor(root, { manifestPath: '../out-link/m.json' }), [ws]), true, 'a link out of the workspace');
      assert.equal(manifestOutside(join(dir, 'elsewhere', 'm.json'), [ws, join(dir, 'elsewhere')]), false, 'inside another workspace folder');
    } finally {
      cleanup();
    }
  });
});
