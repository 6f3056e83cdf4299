import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KEEP_CRITERIA } from '../core/decisions/keepPolicy.js';
import { createHasher } from '../core/hashers/registry.js';
import { DEFAULT_CONFIG, HASHER_CHOICES, type MediaDedupeConfig } from './config.js';
import { CATEGORY, COMMANDS, CONFIG_SECTION, TEST_COMMANDS } from './ids.js';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

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
    // The ingest gate takes any selection: files and folders alike.
    assert.equal(menu.find((m) => m.command === COMMANDS.checkAgainstDataset.id)!.when, undefined);
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

  it("the keep policy setting's pattern accepts exactly the engine's criteria and folder:GLOB", () => {
    const items = (pkg.contributes.configuration.properties['mediaDedupe.keepPolicy'] as { items: { pattern: string } }).items;
    const re = new RegExp(items.pattern);
    for (const c of [...KEEP_CRITERIA, 'folder:originals/**', ' resolution ']) assert.ok(re.test(c), c);
    for (const c of ['size', 'folder:', 'resolution,quality']) assert.ok(!re.test(c), c);
  });

  it("the threshold setting names the default hasher's recommended threshold first", () => {
    const d = (pkg.contributes.configuration.properties['mediaDedupe.threshold'] as { markdownDescription: string }).markdownDescription;
    const phash16 = createHasher('phash', { hashSize: 16 }).defaultThreshold;
    assert.ok(d.startsWith(`Empty (\`null\`): the hasher's recommended threshold, **${phash16}** for \`phash\` at hash size 16`), d);
  });

  it('validates the manifest with the shipped schema', () => {
    const v = pkg.contributes.jsonValidation[0];
    assert.ok(v.fileMatch.includes('dedupe-manifest.json'));
    assert.doesNotThrow(() => JSON.parse(readFileSync(join(__dirname, '..', '..', v.url), 'utf8')));
  });
});
