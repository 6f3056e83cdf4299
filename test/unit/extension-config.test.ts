import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG, HASHER_CHOICES, readConfig, toScanOptions, type MediaDedupeConfig } from '../../src/extension/config.js';
import { CATEGORY, COMMANDS, CONFIG_SECTION, TEST_COMMANDS } from '../../src/extension/ids.js';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
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
    };
    const r = readConfig((k) => v[k]);
    assert.deepEqual(r.problems, []);
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

describe('package.json contributes agree with the id table', () => {
  const commands = pkg.contributes.commands as { command: string; title: string; category: string }[];

  it('contributes every command with category "Media Dedupe" and the exact title', () => {
    for (const c of Object.values(COMMANDS)) {
      const found = commands.find((x) => x.command === c.id);
      assert.ok(found, `${c.id} is contributed`);
      assert.equal(found.title, c.title);
      assert.equal(found.category, CATEGORY);
    }
    const full = (id: string): string => {
      const c = commands.find((x) => x.command === id)!;
      return `${c.category}: ${c.title}`;
    };
    assert.equal(full(COMMANDS.findInWorkspace.id), 'Media Dedupe: Find Duplicates in Workspace');
    assert.equal(full(COMMANDS.findInFolder.id), 'Media Dedupe: Find Duplicates in Folder');
    assert.equal(full(COMMANDS.openGallery.id), 'Media Dedupe: Open Duplicates Gallery');
    assert.equal(full(COMMANDS.writeManifest.id), 'Media Dedupe: Write Manifest');
  });

  it('hides the test command from the palette unless the e2e test asks for it', () => {
    const entry = pkg.contributes.menus.commandPalette.find((m: { command: string }) => m.command === TEST_COMMANDS.loadSyntheticPairs);
    assert.equal(entry.when, 'mediaDedupe.e2e');
  });

  it('offers Find Duplicates on folders and Find Similar on images in the Explorer', () => {
    const menu = pkg.contributes.menus['explorer/context'] as { command: string; when: string }[];
    assert.match(menu.find((m) => m.command === COMMANDS.findInFolder.id)!.when, /explorerResourceIsFolder/);
    assert.match(menu.find((m) => m.command === COMMANDS.findSimilar.id)!.when, /resourceExtname/);
  });

  it('declares every setting readConfig reads, with a description and a default equal to DEFAULT_CONFIG', () => {
    const props = pkg.contributes.configuration.properties as Record<
      string,
      { default: unknown; markdownDescription?: string; description?: string; enum?: unknown[]; minimum?: number }
    >;
    for (const key of Object.keys(DEFAULT_CONFIG) as (keyof MediaDedupeConfig)[]) {
      const p = props[`${CONFIG_SECTION}.${key}`];
      assert.ok(p, `${key} is declared`);
      assert.ok(p.markdownDescription || p.description, `${key} has a description`);
      assert.deepEqual(p.default, DEFAULT_CONFIG[key], `${key} default`);
    }
    assert.deepEqual(props['mediaDedupe.hasher']!.enum, [...HASHER_CHOICES]);
    assert.equal(props['mediaDedupe.hashSize']!.minimum, 2);
  });

  it('validates the manifest with the shipped schema', () => {
    const v = pkg.contributes.jsonValidation[0];
    assert.ok(v.fileMatch.includes('dedupe-manifest.json'));
    assert.doesNotThrow(() => JSON.parse(readFileSync(join(__dirname, '..', '..', v.url), 'utf8')));
  });
});
