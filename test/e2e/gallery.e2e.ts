/**
 * End to end, in a real VS Code: the packaged .vsix installed into code-server, driven by Playwright in
 * Debian's Chromium. Scans a workspace of near-duplicates from the palette, checks the gallery and its
 * thumbnails, triages with the keyboard, reads the manifest from disk, reloads the window, takes the
 * theme screenshots, and measures the gallery on 5k pairs. Run by scripts/e2e.mjs (npm run test:e2e).
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { pairVerdictFromManifest } from '../../src/core/manifest/pairVerdict.js';
import { stampVersion } from '../../src/extension/gallery/resourceVersion.js';
import { startCodeServer, type RunningCodeServer } from './codeServer.js';
import { EVIL_NAME, makeDataset, PROTECTED } from './dataset.js';
import { gallery, galleryOf, paletteLabels, runCommand, runCommandOnFolder, setTheme, Shots, sleep, until, waitForWorkbench } from './workbench.js';
import {
  announcementAfter,
  axeViolations,
  badgesCut,
  cancelMidScan,
  emptyFolderState,
  focusWithoutRing,
  keyHintContrast,
  layoutProblems,
  lookalikeNames,
  namesCutTwice,
  pairRowsShown,
  statusBarTexts,
  THEMES,
  toastTexts,
  videoPairFlicker,
  type AxeViolation,
  type UxContext,
} from './ux.js';

const ROOT = resolve(__dirname, '..', '..');
const OUT = resolve(process.env['E2E_OUT'] ?? join(ROOT, 'test-output', 'e2e'));
const CODE_SERVER_DIR = process.env['CODE_SERVER_DIR'] ?? '';
const VSIX = process.env['MEDIA_DEDUPE_VSIX'] ?? '';
const SHARED = resolve(process.env['MEDIA_DEDUPE_SHARED'] ?? join(ROOT, '..', 'shared'));
const UPDATE_SCREENSHOTS = process.env['MEDIA_DEDUPE_UPDATE_SCREENSHOTS'] === '1';
const SYNTHETIC_PAIRS = 5000;

const REQUIRED_TITLES = [
  'Media Dedupe: Find Duplicates in Workspace',
  'Media Dedupe: Find Duplicates in Folder',
  'Media Dedupe: Open Duplicates Gallery',
  'Media Dedupe: Write Manifest',
];

let state = '';
let workspace = '';
let server: RunningCodeServer | undefined;
let browser: BrowserContext | undefined;
let page: Page;
let shots: Shots;
const consoleErrors: string[] = [];
const metrics: Record<string, unknown> = {};

interface PairInfo {
  index: number;
  left: string;
  right: string;
}
const decided: { keepLeft?: PairInfo; keepRight?: PairInfo; notDuplicate?: PairInfo; undone?: PairInfo } = {};

before(async () => {
  assert.ok(
    CODE_SERVER_DIR && existsSync(join(CODE_SERVER_DIR, 'out', 'node', 'entry.js')),
    `CODE_SERVER_DIR must point at an installed code-server (got "${CODE_SERVER_DIR}"); run scripts/e2e.mjs`,
  );
  assert.ok(VSIX && existsSync(VSIX), `MEDIA_DEDUPE_VSIX must point at the packaged extension (got "${VSIX}")`);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  shots = new Shots(join(OUT, 'screenshots'));
  // Short: code-server's unix sockets live below it (108-byte limit).
  state = mkdtempSync(join(tmpdir(), 'mde-'));
  const ds = await makeDataset(join(state, 'dataset'), join(SHARED, 'bench'));
  workspace = ds.dir;
  console.log(`  workspace ${workspace} (${ds.source} images)`);
  server = await startCodeServer({
    codeServerDir: CODE_SERVER_DIR,
    stateDir: state,
    vsix: VSIX,
    logFile: join(OUT, 'code-server.log'),
    env: { MEDIA_DEDUPE_E2E: '1' },
  });
  browser = await chromium.launchPersistentContext(join(state, 'chromium'), {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('console', (m) => {
    const t = m.text();
    if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(t)) consoleErrors.push(t);
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await waitForWorkbench(page);
  await shots.take(page, 'workbench');
});

after(async () => {
  writeFileSync(join(OUT, 'metrics.json'), JSON.stringify(metrics, null, 2));
  copyExtensionLog();
  await browser?.close().catch(() => undefined);
  await server?.stop();
  if (state && process.env['E2E_KEEP_STATE'] !== '1') rmSync(state, { recursive: true, force: true });
});

function copyExtensionLog(): void {
  if (!server) return;
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.includes('Media Dedupe')) found.push(p);
    }
  };
  try {
    walk(join(server.userDir, 'logs'));
  } catch {
    return;
  }
  for (const [i, f] of found.entries()) copyFileSync(f, join(OUT, `extension-log-${i}.log`));
}

const g = (): FrameLocator => gallery(page);

async function waitGallery(pairCount?: number): Promise<void> {
  const sel = pairCount === undefined ? '#app[data-state="ready"]' : `#app[data-state="ready"][data-pair-count="${pairCount}"]`;
  try {
    await g().locator(sel).waitFor({ state: 'attached', timeout: 120_000 });
    await g().locator('.compare[data-pair-index]').waitFor({ timeout: 30_000 });
  } catch (err) {
    await shots.take(page, 'gallery-not-ready');
    throw err;
  }
}

async function current(): Promise<PairInfo> {
  const c = g().locator('.compare');
  const index = Number(await c.getAttribute('data-pair-index'));
  // The pair's paths as the page names them (a pane's caption may start where two lookalike paths differ).
  return { index, left: (await c.getAttribute('data-left-path')) ?? '', right: (await c.getAttribute('data-right-path')) ?? '' };
}

/** Scrolls the virtual list until a row matching `selector` (or with that text) is rendered; returns its pair index. */
async function findRow(match: { index?: number; text?: string; pair?: readonly [string, string] }): Promise<number> {
  const list = g().locator('#pair-list');
  await list.evaluate((el) => (el.scrollTop = 0));
  for (let step = 0; step < 400; step++) {
    const found = await list.evaluate((el, m) => {
      for (const row of el.querySelectorAll<HTMLElement>('.row[data-pair-index]')) {
        if (row.hidden) continue;
        const idx = Number(row.dataset['pairIndex']);
        if (m.index !== undefined && idx === m.index) return idx;
        if (m.pair !== undefined && row.dataset['leftPath'] === m.pair[0] && row.dataset['rightPath'] === m.pair[1]) return idx;
        // Names are shortened in the middle on screen; the full path is the row's data-left-path / data-right-path.
        if (m.text !== undefined && [row.dataset['leftPath'] ?? '', row.dataset['rightPath'] ?? ''].some((p) => p === m.text || p.includes(m.text!)))
          return idx;
      }
      if (el.scrollTop + el.clientHeight >= el.scrollHeight) return -2;
      el.scrollTop += el.clientHeight * 0.8;
      return -1;
    }, match);
    if (found >= 0) {
      await sleep(50);
      return found;
    }
    if (found === -2) break;
    await sleep(60);
  }
  throw new Error(`no row matching ${JSON.stringify(match)}`);
}

/** A row's verdict as shown: "keep-left/review". */
async function rowVerdict(index: number): Promise<string> {
  await findRow({ index });
  const row = g().locator(`#pair-list .row[data-pair-index="${index}"]`);
  return `${await row.getAttribute('data-verdict')}/${await row.getAttribute('data-by')}`;
}

const manifestFile = (): string => join(workspace, 'dedupe-manifest.json');
const protectedRe = new RegExp(`^${PROTECTED.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`);
const checked: Record<string, { pairs: number; members: number; remove: number; removeAuto: number; removeReviewed: number; bothRemoved: number }> = {};

/**
 * The must-show check: waits until the gallery shows the manifest now on disk (its data-manifest-hash is
 * the file's SHA-256), then compares every pair row and every cluster member on screen with what the file
 * says, through the engine's own pairVerdictFromManifest. No protected file is ever in `remove`.
 */
async function checkScreen(step: string): Promise<Record<string, any>> {
  let m: Record<string, any>;
  try {
    m = await until(
      `the gallery to show the manifest on disk (${step})`,
      async () => {
        let text: string;
        try {
          text = readFileSync(manifestFile(), 'utf8');
        } catch {
          return undefined;
        }
        const hash = createHash('sha256').update(text).digest('hex');
        return (await g().locator('#app').getAttribute('data-manifest-hash')) === hash ? JSON.parse(text) : undefined;
      },
      60_000,
      200,
    );
  } catch (err) {
    await shots.take(page, `check-${step}-failed`);
    throw err;
  }
  const rows = await g()
    .locator('#pair-list .row[data-pair-index]:not([hidden])')
    .evaluateAll((rs) =>
      rs.map((r): Record<string, string | undefined> => ({ ...(r as HTMLElement).dataset, badge: r.querySelector('.badge')?.textContent ?? '' })),
    );
  const decision = (p: string): string => (m!['remove'].includes(p) ? 'remove' : 'keep');
  let bothRemoved = 0;
  for (const r of rows) {
    const want = pairVerdictFromManifest(m as any, r['leftPath']!, r['rightPath']!);
    assert.deepEqual(
      [r['verdict'], r['by'], r['leftDecision'], r['rightDecision']],
      [want.verdict, want.by, decision(r['leftPath']!), decision(r['rightPath']!)],
      `${step}: pair row ${r['pairIndex']} (${r['leftPath']} | ${r['rightPath']})`,
    );
    // Both files removed (copies of the file their cluster keeps): the badge says so, never "undecided".
    if (decision(r['leftPath']!) === 'remove' && decision(r['rightPath']!) === 'remove' && r['verdict'] === 'undecided') {
      bothRemoved++;
      assert.match(r['badge'] ?? '', /remove both \(keep .+\)/, `${step}: pair row ${r['pairIndex']} badge "${r['badge']}"`);
    }
  }
  const members = await g()
    .locator('.clusters-detail [data-member-path]')
    .evaluateAll((cs) => cs.map((c) => ({ ...(c as HTMLElement).dataset })));
  for (const c of members) assert.equal(c['decision'], decision(c['memberPath']!), `${step}: cluster member ${c['memberPath']}`);
  for (const p of m['remove'] as string[]) assert.ok(!protectedRe.test(p), `${step}: the protected file ${p} is in remove`);
  const s = m['summary'];
  checked[step] = { pairs: rows.length, members: members.length, remove: s.remove, removeAuto: s.removeAuto, removeReviewed: s.removeReviewed, bothRemoved };
  console.log(
    `  ${step}: ${rows.length} pair rows and ${members.length} cluster members on screen equal the manifest on disk (remove ${s.remove}: ${s.removeReviewed} reviewed, ${s.removeAuto} automatic)`,
  );
  await shots.take(page, `step-${step}`);
  return m;
}

/**
 * Every cluster card image on screen loads (a thumbnail made after its card was drawn included): the 54k
 * screenshot once showed a large PNG's card with no image at all, drawn before its thumbnail existed.
 */
async function cardImagesShown(step: string): Promise<number> {
  try {
    return await until(
      `the cluster cards' images to load (${step})`,
      async () =>
        g()
          .locator('.clusters-detail img.card-img')
          .evaluateAll((imgs) => {
            const onScreen = (imgs as HTMLImageElement[]).filter((i) => {
              const r = i.getBoundingClientRect();
              return r.bottom > 0 && r.top < window.innerHeight && r.width > 0;
            });
            return onScreen.length > 0 && onScreen.every((i) => i.getAttribute('src') && i.complete && i.naturalWidth > 0) ? onScreen.length : undefined;
          }),
      60_000,
      250,
    );
  } catch (err) {
    await shots.take(page, `cards-${step}-failed`);
    throw err;
  }
}

function readManifest(): Record<string, any> | undefined {
  try {
    return JSON.parse(readFileSync(join(workspace, 'dedupe-manifest.json'), 'utf8'));
  } catch {
    return undefined; // absent or half-written: poll again
  }
}

test('the palette lists the commands with their exact titles', async () => {
  const labels = await until(
    'Media Dedupe commands in the palette',
    async () => {
      const l = await paletteLabels(page, 'Media Dedupe: ');
      return REQUIRED_TITLES.every((t) => l.includes(t)) ? l : undefined;
    },
    60_000,
    1000,
  );
  for (const t of REQUIRED_TITLES) assert.ok(labels.includes(t), `palette lacks "${t}"`);
  for (const t of ['Media Dedupe: Open Manifest', 'Media Dedupe: Find Similar Images', 'Media Dedupe: Clear Cache'])
    assert.ok(labels.includes(t), `palette lacks "${t}"`);
});

test('Find Duplicates in Workspace from the palette opens the gallery', async () => {
  const t0 = Date.now();
  await runCommand(page, 'Media Dedupe: Find Duplicates in Workspace');
  // From the command (its palette row chosen) to the first pair on screen: the scan in the extension's
  // worker, the review and the gallery's first paint, as a person waits for them. Watched while the
  // screenshot of the scan in progress is taken, so the screenshot is not part of it.
  const chosen = Date.now();
  const firstPairShown = waitGallery().then(() => Date.now());
  firstPairShown.catch(() => undefined); // a failure is reported where it is awaited below
  await sleep(400);
  await shots.take(page, 'scanning');
  const shownAt = await firstPairShown;
  metrics['scanToGalleryMs'] = shownAt - t0;
  metrics['commandToFirstPairMs'] = shownAt - chosen;
  metrics['firstPairMsRealScan'] = Number(await g().locator('body').getAttribute('data-first-pair-ms'));
  const count = Number(await g().locator('#app').getAttribute('data-pair-count'));
  assert.ok(count >= 10, `expected at least 10 duplicate pairs, got ${count}`);
  metrics['pairs'] = count;
  console.log(`  METRIC command -> first pair shown (Find Duplicates in Workspace, first scan, ${count} pairs): ${metrics['commandToFirstPairMs']} ms`);
  const summary = await g().locator('#summary').textContent();
  assert.match(summary ?? '', /pairs/);
  assert.match((await g().locator('[data-action="show-skipped"]').textContent()) ?? '', /1 skipped/, 'the corrupt file is reported as skipped');
  await shots.take(page, 'gallery');
  // The scan writes the manifest; the gallery shows exactly what it says, automatic verdicts marked as such.
  const m = await checkScreen('scan');
  assert.match((await g().locator('#summary').textContent()) ?? '', /to remove: [\d,]+ reviewed, [\d,]+ automatic/);
  // Protecting a copy keeps it; it never displaces its original (each original is the keep policy's choice
  // here: the first version removed originals/o00001.jpg because its protected JPEG re-save ranked first).
  // A pair whose two files both go (copies of the file their cluster keeps) says so and names the kept file.
  const both = ((m['pairs'] ?? []) as any[]).find(
    (p) => m['remove'].includes(p.a) && m['remove'].includes(p.b) && pairVerdictFromManifest(m as any, p.a, p.b).verdict === 'undecided',
  );
  if (both) {
    const row = await findRow({ pair: [both.a, both.b] });
    const badge = (await g().locator(`#pair-list .row[data-pair-index="${row}"] .badge`).textContent()) ?? '';
    assert.match(badge, /^auto: remove both \(keep .+\)$/, `pair ${both.a} | ${both.b}: "${badge}"`);
    console.log(`  both removed: ${both.a} | ${both.b} shows "${badge}"`);
    await g()
      .locator('#pair-list')
      .evaluate((el) => (el.scrollTop = 0));
  } else console.log('  (no pair with both files removed in this dataset)');
  const removedOriginals = (m['remove'] as string[]).filter((p) => p.startsWith('originals/'));
  assert.deepEqual(removedOriginals, [], 'no original is removed automatically');
  for (const c of m['clusters'] as any[])
    if (c.members.some((x: any) => protectedRe.test(x.path)) && [c.keep, ...c.members.map((x: any) => x.path)].some((p: string) => p.startsWith('originals/')))
      assert.ok(c.keep.startsWith('originals/'), `the cluster of a protected copy keeps its original (kept: ${c.keep})`);
  const chained = (m['clusters'] as any[]).flatMap((c) => c.members.filter((x: any) => x.chained)).length;
  const hardneg = (m['clusters'] as any[]).filter((c) => [c.keep, ...c.members.map((x: any) => x.path)].some((p: string) => p.startsWith('hardneg/'))).length;
  console.log(
    `  dataset: ${m['clusters'].length} clusters (sizes ${(m['clusters'] as any[]).map((c) => c.members.length + 1).join(', ')}), ${chained} chained members, ${hardneg} clusters of hard negatives, ${m['summary'].doubtful} doubtful`,
  );
  metrics['datasetClusters'] = { clusters: m['clusters'].length, chained, hardneg, doubtful: m['summary'].doubtful };
});

test('thumbnails render (including a cached sharp thumbnail) and file names are escaped', async () => {
  const loaded = async (sel: string): Promise<{ n: number; ok: number; bad: string[] }> =>
    g()
      .locator(sel)
      .evaluateAll((imgs) => {
        const shown = (imgs as HTMLImageElement[]).filter((i) => i.getAttribute('src') && !i.closest('[hidden]') && !i.hidden);
        const ok = shown.filter((i) => i.complete && i.naturalWidth > 0);
        return { n: shown.length, ok: ok.length, bad: shown.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.src) };
      });
  const rows = await until(
    'row thumbnails to load',
    async () => {
      const r = await loaded('#pair-list .row-thumb');
      return r.n >= 10 && r.ok === r.n ? r : undefined;
    },
    60_000,
  );
  const panes = await until(
    'the compare view images to load',
    async () => {
      const r = await loaded('.compare .pane-img');
      return r.n === 2 && r.ok === 2 ? r : undefined;
    },
    60_000,
  );
  console.log(`  ${rows.ok} row thumbnails and ${panes.ok} compare images have naturalWidth > 0`);

  // The large PNG gets a thumbnail made by sharp in the extension's storage.
  const pngPair = await findRow({ text: '__to_png.png' });
  const thumb = await until(
    'a cached thumbnail for the PNG',
    async () =>
      g()
        .locator(`#pair-list .row[data-pair-index="${pngPair}"] .row-thumb`)
        .evaluateAll((imgs) => (imgs as HTMLImageElement[]).find((i) => /\/thumbs\/.*\.webp/.test(i.src) && i.complete && i.naturalWidth > 0)?.src),
    60_000,
  );
  assert.ok(thumb);

  // A file literally named like an <img> tag shows as text and runs nothing.
  const evilPair = await findRow({ text: EVIL_NAME });
  // Shown as text (shortened in the middle on screen, whole in the tooltip), never as markup.
  const names = g().locator(`#pair-list .row[data-pair-index="${evilPair}"] .row-name`);
  const shownName = await names.evaluateAll((ns) =>
    ns.map((n) => ({ title: (n as HTMLElement).title, text: n.textContent ?? '', elements: n.children.length })),
  );
  const evil = shownName.find((n) => n.title === `variants/${EVIL_NAME}`);
  assert.ok(evil, `name shown as text: ${JSON.stringify(shownName)}`);
  assert.equal(evil.elements, 0);
  // Its start and its end, or only its end when the first folder does not fit the row (middleEllipsis).
  const [head, tail] = evil.text.split('…');
  assert.ok(`variants/${EVIL_NAME}`.startsWith(head!) && `variants/${EVIL_NAME}`.endsWith(tail ?? '') && evil.text.endsWith('.jpg'), evil.text);
  assert.equal(await g().locator('img[src="x"]').count(), 0, 'no element was created from a file name');
  assert.equal(await g().locator('body').getAttribute('data-pwned'), null);
  await g()
    .locator('#pair-list')
    .evaluate((el) => (el.scrollTop = 0));
});

test('keyboard triage: keep left, keep right (button), not a duplicate, undo', async () => {
  // Start from the first pair in the list.
  const first = await findRow({ index: (await current()).index });
  await g().locator(`#pair-list .row[data-pair-index="${first}"]`).click();
  await sleep(200);

  decided.keepLeft = await current();
  await page.keyboard.press('a');
  await until('the next pair after keep-left', async () => (await current()).index !== decided.keepLeft!.index);
  await until('keep-left shown', async () => (await rowVerdict(decided.keepLeft!.index)) === 'keep-left/review');
  await checkScreen('keep-left');

  decided.keepRight = await current();
  await g().locator('[data-action="keep-right"]').click();
  await until('the next pair after keep-right', async () => (await current()).index !== decided.keepRight!.index);
  await until('keep-right shown', async () => (await rowVerdict(decided.keepRight!.index)) === 'keep-right/review');

  decided.notDuplicate = await current();
  await g().locator('#pair-list').focus();
  await page.keyboard.press('n');
  await until('the next pair after not-duplicate', async () => (await current()).index !== decided.notDuplicate!.index);
  await until('not-duplicate shown', async () => (await rowVerdict(decided.notDuplicate!.index)) === 'not-duplicate/review');

  // Keep both, then undo: the pair goes back to what it was before (no review: the automatic verdict).
  decided.undone = await current();
  await g().locator('#pair-list').focus();
  await page.keyboard.press('b');
  await until('the next pair after keep-both', async () => (await current()).index !== decided.undone!.index);
  await until('keep-both shown', async () => (await rowVerdict(decided.undone!.index)) === 'keep-both/review');
  await page.keyboard.press('Backspace');
  await until('undo to restore the automatic verdict', async () => (await rowVerdict(decided.undone!.index)).endsWith('/auto'));
  for (const a of ['keep-left', 'keep-right', 'not-duplicate']) assert.equal(await g().locator(`[data-action="${a}"]`).count(), 1, `button ${a}`);
  await shots.take(page, 'triaged');
});

test('decisions are in dedupe-manifest.json on disk', async () => {
  const { keepLeft, keepRight, notDuplicate, undone } = decided;
  assert.ok(keepLeft && keepRight && notDuplicate && undone);
  const m = await until(
    'the manifest to hold the three decisions',
    async () => {
      const m = readManifest();
      if (!m) return undefined;
      const has = (a: string, b: string, d: string): boolean => m['reviews']?.some((r: any) => r.a === a && r.b === b && r.decision === d);
      const nd = m['notDuplicates']?.some(([a, b]: [string, string]) => a === notDuplicate.left && b === notDuplicate.right);
      return has(keepLeft.left, keepLeft.right, 'keep-a') && has(keepRight.left, keepRight.right, 'keep-b') && nd ? m : undefined;
    },
    30_000,
  );
  assert.ok(m['remove'].includes(keepLeft.right), 'the right file of the keep-left pair is removed');
  assert.ok(!m['reviews'].some((r: any) => r.a === undone.left && r.b === undone.right), 'the undone decision is gone');
  assert.equal(m['version'], 2);
  copyFileSync(join(workspace, 'dedupe-manifest.json'), join(OUT, 'dedupe-manifest.json'));
});

test('the decisions are still shown after a window reload', async () => {
  // A file changed on disk since the scan (here only its mtime, so the pairs stay the same) must load again.
  const touched = ['o00000__exact_copy.jpg', 'g0__exact_copy.jpg'].map((n) => join(workspace, 'variants', n)).find((p) => existsSync(p))!;
  const later = new Date(Date.now() + 60_000);
  utimesSync(touched, later, later);
  const version = stampVersion(statSync(touched));
  // "Developer: Reload Window" runs VS Code's shutdown (which saves the open editors) before reloading,
  // as a person's reload does; a bare page reload can beat the workbench to saving its layout.
  const reloaded = page.waitForEvent('load', { timeout: 90_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await waitForWorkbench(page);
  await waitGallery();
  await until(
    'the restored gallery to show the decisions',
    async () => {
      const { keepLeft, keepRight, notDuplicate } = decided;
      return (
        (await rowVerdict(keepLeft!.index)) === 'keep-left/review' &&
        (await rowVerdict(keepRight!.index)) === 'keep-right/review' &&
        (await rowVerdict(notDuplicate!.index)) === 'not-duplicate/review'
      );
    },
    60_000,
    500,
  );
  const badge = await g().locator(`#pair-list .row[data-pair-index="${decided.keepLeft!.index}"] .badge`).textContent();
  assert.equal(badge, 'kept left');
  await shots.take(page, 'after-reload');
  // 1600 px wide: each path is shortened once, in its middle, to its row's room (it was cut at its end too).
  assert.deepEqual(await namesCutTwice(g()), [], 'names cut at their end too');
  await checkScreen('reload');
  const row = await findRow({ text: basename(touched) });
  const want = `/${encodeURIComponent(basename(touched))}?version=${version}`;
  await until(
    'the changed file to load again under its new ?version=',
    async () =>
      (await g()
        .locator(`#pair-list .row[data-pair-index="${row}"] img`)
        .evaluateAll((imgs, w) => imgs.some((i) => (i as HTMLImageElement).src.endsWith(w) && (i as HTMLImageElement).naturalWidth > 0), want)) || undefined,
    30_000,
  );
  await g()
    .locator('#pair-list')
    .evaluate((el) => (el.scrollTop = 0));
});

test('cluster triage: bulk "keep this", undo, redo, each shown as the manifest says; a protected file is never removed', async () => {
  await g().locator('[data-view="clusters"]').click();
  await g().locator('#cluster-list .cluster-row[data-cluster-index]').first().waitFor({ timeout: 30_000 });
  await g().locator('.clusters-detail [data-member-path]').first().waitFor({ timeout: 30_000 });
  assert.ok((await g().locator('.clusters-detail [data-member-path][data-decision="keep"]').count()) >= 1);
  await cardImagesShown('clusters');
  await checkScreen('clusters');
  // The cluster holding the protected copy: J until it is on screen.
  let found = false;
  for (let i = 0; i < 40 && !found; i++) {
    const paths = await g()
      .locator('.clusters-detail [data-member-path]')
      .evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset['memberPath']!));
    found = paths.some((p) => protectedRe.test(p));
    if (!found) {
      await g().locator('#cluster-list').focus();
      await page.keyboard.press('j');
      await sleep(150);
    }
  }
  assert.ok(found, `a cluster with a file matching ${PROTECTED}`);
  // Select a member that is neither protected nor kept now, and keep it: the rest goes, except the protected file.
  const cards = await g()
    .locator('.clusters-detail [data-member-path]')
    .evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset['memberPath']!));
  const target = cards.findIndex((p, k) => k > 0 && !protectedRe.test(p));
  for (let k = 0; k < target; k++) await page.keyboard.press('ArrowRight');
  const kept = cards[target]!;
  await page.keyboard.press('t');
  const m = await until('the bulk keep-this on disk', async () => {
    const mm = readManifest();
    return mm && (mm['fileDecisions'] ?? []).some((d: any) => d.path === kept && d.decision === 'keep') ? mm : undefined;
  });
  for (const p of cards) if (p !== kept && !protectedRe.test(p)) assert.ok(m['remove'].includes(p), `${p} removed by "keep this"`);
  assert.ok(!m['remove'].includes(kept));
  await checkScreen('keep-this');
  // JSON.stringify quotes the path as CSS wants it (the kept copy may be the file named like an <img> tag).
  const keptCard = g().locator(`.clusters-detail [data-member-path=${JSON.stringify(kept)}]`);
  assert.equal(await keptCard.getAttribute('data-by'), 'review');
  await page.keyboard.press('u');
  await until('undo of keep-this on disk', async () => !(readManifest()?.['fileDecisions'] ?? []).some((d: any) => d.path === kept));
  await checkScreen('undo');
  await page.keyboard.press('r');
  await until('redo of keep-this on disk', async () => (readManifest()?.['fileDecisions'] ?? []).some((d: any) => d.path === kept && d.decision === 'keep'));
  await checkScreen('redo');
  await g().locator('[data-view="pairs"]').click();
  await g().locator('#pair-list .row[data-pair-index]').first().waitFor({ timeout: 10_000 });
});

test('a context menu on each file, the "?" key overlay, and the skipped files from the header', async () => {
  const name = g().locator('#pair-list .row[data-pair-index] .row-name').first();
  await name.click({ button: 'right' });
  const items = await g().locator('#file-menu:not([hidden]) .context-item').allTextContents();
  assert.deepEqual(items, ['Reveal in Explorer', 'Copy Path', 'Open to the Side', 'Find Similar']);
  await shots.take(page, 'context-menu');
  await page.keyboard.press('Escape');
  await g().locator('#pair-list').focus();
  await page.keyboard.press('?');
  const keys = await g().locator('#help:not([hidden]) dd').allTextContents();
  for (const k of ['Keep left', 'Keep this, remove the rest', 'Accept automatic decisions', 'Redo']) assert.ok(keys.includes(k), `the overlay lists ${k}`);
  await shots.take(page, 'keys-overlay');
  await page.keyboard.press('Escape');
  assert.equal(await g().locator('#help:not([hidden])').count(), 0);
  await g().locator('[data-action="show-skipped"]').click();
  const skipped = await until('the skipped list', async () => {
    const rows = await page.locator('.quick-input-list .monaco-list-row').evaluateAll((r) => r.map((x) => x.getAttribute('aria-label') ?? ''));
    return rows.length > 0 ? rows : undefined;
  });
  assert.ok(
    skipped.some((r) => /broken\.jpg/.test(r)),
    JSON.stringify(skipped),
  );
  await shots.take(page, 'skipped-list');
  // Enter on a skipped file reveals it in the Explorer, where a person can act on it.
  await page.keyboard.type('broken.jpg');
  await page.keyboard.press('Enter');
  await until('broken.jpg revealed in the Explorer', async () => {
    const rows = await page
      .locator('.explorer-folders-view .monaco-list-row[aria-selected="true"]')
      .evaluateAll((r) => r.map((x) => x.getAttribute('aria-label') ?? ''));
    return rows.some((x) => /broken\.jpg/.test(x)) ? rows : undefined;
  });
});

test('a hand edit of the manifest is merged (never overwritten) and shown; a re-scan keeps every decision', async () => {
  const before = readManifest()!;
  // Take one automatic removal out of `remove` by hand: the file is kept from now on.
  const auto = (before['clusters'] as any[]).flatMap((c) => c.members).find((x: any) => x.by === 'auto' && x.decision === 'remove');
  assert.ok(auto, 'an automatic removal to edit');
  const edited = { ...before, remove: before['remove'].filter((p: string) => p !== auto.path) };
  writeFileSync(manifestFile(), JSON.stringify(edited, null, 2) + '\n');
  const m = await checkScreen('hand-edit');
  assert.ok(!m['remove'].includes(auto.path), 'the hand edit stands');
  assert.ok(
    (m['fileDecisions'] as any[]).some((d) => d.path === auto.path && d.decision === 'keep'),
    'merged as a decision',
  );
  // A decision after the hand edit does not undo it.
  await g().locator('#pair-list').focus();
  await page.keyboard.press('b');
  await sleep(500);
  const after = await checkScreen('after-hand-edit');
  assert.ok(!after['remove'].includes(auto.path));

  // Marked stale, so waiting for "ready" waits for the re-scan's result.
  await g()
    .locator('#app')
    .evaluate((el) => el.setAttribute('data-state', 'stale'));
  await runCommand(page, 'Media Dedupe: Find Duplicates in Workspace');
  await waitGallery();
  const rescanned = await checkScreen('rescan');
  assert.deepEqual(rescanned['reviews'], after['reviews'], 'the reviews survive a re-scan');
  assert.deepEqual(rescanned['fileDecisions'], after['fileDecisions'], 'the file decisions survive a re-scan');
  metrics['decisionsShownEqualDisk'] = checked;
});

test('multi-select: Shift+Down selects pairs, one key decides every selected pair on screen as one operation, one undo takes it back', async () => {
  await g().locator('[data-view="pairs"]').click();
  await g().locator('#pair-list .row[data-pair-index]').first().waitFor({ timeout: 10_000 });
  await g().locator('#pair-list').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await until('3 pairs selected', async () => ((await g().locator('#app').getAttribute('data-selected-count')) === '3' ? true : undefined), 10_000);
  const picked = await g()
    .locator('#pair-list .row[data-selected="true"]')
    .evaluateAll((rs) => rs.map((r) => [(r as HTMLElement).dataset['leftPath']!, (r as HTMLElement).dataset['rightPath']!] as const));
  assert.equal(picked.length, 3, 'the selected rows are marked on screen');
  await shots.take(page, 'multi-selected');
  const reviewOf = (m: Record<string, any> | undefined, a: string, b: string): string | undefined =>
    (m?.['reviews'] ?? []).find((r: any) => (r.a === a && r.b === b) || (r.a === b && r.b === a))?.decision;
  const before = picked.map(([a, b]) => reviewOf(readManifest(), a, b));
  await page.keyboard.press('b');
  await until('keep both on the 3 selected pairs, on disk', async () =>
    picked.every(([a, b]) => reviewOf(readManifest(), a, b) === 'keep-both') ? true : undefined,
  );
  assert.equal(await g().locator('#app').getAttribute('data-selected-count'), '0', 'the selection is cleared after the bulk decision');
  await checkScreen('multi-select');
  await page.keyboard.press('u');
  await until('one undo restores the 3 pairs', async () => (picked.every(([a, b], k) => reviewOf(readManifest(), a, b) === before[k]) ? true : undefined));
  await checkScreen('multi-undo');
});

test('conflicting reviews (keep A over B, B over C, C over A) are shown and asked, never resolved silently; the answer keeps the chosen file', async () => {
  const m0 = readManifest()!;
  // Three files of one cluster, none protected, names without quotes (for the selectors below).
  const cluster = (m0['clusters'] as any[]).find((c) => {
    const fs = [c.keep, ...c.members.map((x: any) => x.path)] as string[];
    return fs.filter((p) => !protectedRe.test(p) && !p.includes('"')).length >= 3;
  });
  assert.ok(cluster, 'a cluster of at least three files');
  const [x, y, z] = ([cluster.keep, ...cluster.members.map((m: any) => m.path)] as string[]).filter((p) => !protectedRe.test(p) && !p.includes('"'));
  const over = (w: string, l: string): any => (w < l ? { a: w, b: l, decision: 'keep-a' } : { a: l, b: w, decision: 'keep-b' });
  const cycle = [over(x!, y!), over(y!, z!), over(z!, x!)];
  const key = (r: any): string => `${r.a}\u0000${r.b}`;
  const edited = {
    ...m0,
    reviews: [...(m0['reviews'] as any[]).filter((r) => !cycle.some((c) => key(c) === key(r))), ...cycle].sort((p, q) => (key(p) < key(q) ? -1 : 1)),
  };
  writeFileSync(manifestFile(), JSON.stringify(edited, null, 2) + '\n');
  const m = await until('the cycle merged and its conflicts written', async () => {
    const mm = readManifest();
    return mm && (mm['clusters'] as any[]).some((c) => (c.conflicts ?? []).length >= 3) ? mm : undefined;
  });
  for (const p of [x, y, z]) assert.ok(!m['remove'].includes(p), `${p} is kept while the reviews contradict each other`);
  await checkScreen('conflict');
  await g().locator('[data-view="clusters"]').click();
  await g().locator('#cluster-list').focus();
  await page.keyboard.press('Home');
  let asked = 0;
  for (let i = 0; i < 40 && asked === 0; i++) {
    const paths = await g()
      .locator('.clusters-detail [data-member-path]')
      .evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset['memberPath']!));
    if (paths.includes(x!)) asked = await g().locator('.clusters-detail [data-action="resolve-conflict"]').count();
    else {
      await page.keyboard.press('j');
      await sleep(150);
    }
  }
  assert.equal(asked, 3, 'the cluster asks which of the three files to keep');
  // The cycle is said once, naming its three files (it was repeated once per file, each line the whole cycle).
  const notes = await g().locator('.clusters-detail .note.conflict').allTextContents();
  assert.equal(notes.length, 1, `one note for the one contradiction: ${JSON.stringify(notes)}`);
  for (const p of [x, y, z]) assert.ok(notes[0]!.includes(p!), `the note names ${p}: ${notes[0]}`);
  // The cluster's head says the cycle once: the kept file's reason (that same cycle) is not repeated above the note.
  const head = (await g().locator('.clusters-detail .compare-head').textContent()) ?? '';
  assert.equal(head.split('reviews form a cycle').length - 1, 1, `the cycle said once in the head: ${head}`);
  await shots.take(page, 'conflict-asked');
  await g()
    .locator(`.clusters-detail [data-action="resolve-conflict"][title^=${JSON.stringify(`Keep ${x}:`)}]`)
    .click();
  const after = await until('the answer on disk', async () => {
    const mm = readManifest();
    return mm && !(mm['clusters'] as any[]).some((c) => (c.conflicts ?? []).length > 0) ? mm : undefined;
  });
  assert.ok(!after['remove'].includes(x), `${x}, the answer, is kept`);
  assert.ok(after['remove'].includes(y) && after['remove'].includes(z), 'the other two go as reviewed');
  await checkScreen('conflict-resolved');
  await g().locator('[data-view="pairs"]').click();
});

test('no CSP violations or page errors from the gallery', () => {
  const ours = consoleErrors.filter((e) => /Content Security Policy|Refused to|webview\.js|pageerror/i.test(e));
  assert.deepEqual(ours, []);
});

test('screenshots in dark, light and high-contrast themes', async () => {
  await runCommand(page, 'View: Close Primary Side Bar').catch(() => undefined);
  const themes: [string, string, string][] = [
    ['Dark Modern', 'vscode-dark', 'gallery-dark'],
    ['Light Modern', 'vscode-light', 'gallery-light'],
    ['Dark High Contrast', 'vscode-high-contrast', 'gallery-high-contrast'],
  ];
  // Show a decided pair, so the verdict colours are in the picture.
  const row = await findRow({ index: decided.keepLeft!.index });
  await g().locator(`#pair-list .row[data-pair-index="${row}"]`).click();
  await g()
    .locator('#pair-list')
    .evaluate((el) => (el.scrollTop = 0));
  for (const [theme, bodyClass, name] of themes) {
    await setTheme(page, theme);
    try {
      await until(
        `the ${theme} theme in the gallery`,
        async () => (await g().locator('body').getAttribute('class'))?.split(/\s+/).includes(bodyClass),
        30_000,
        300,
      );
    } catch (err) {
      await shots.take(page, `${name}-failed`);
      const workbench = await page.locator('.monaco-workbench').getAttribute('class');
      throw new Error(`${String(err)}; workbench classes: ${workbench}; gallery body: ${await g().locator('body').getAttribute('class')}`);
    }
    await sleep(800);
    const file = await shots.take(page, name);
    if (UPDATE_SCREENSHOTS && name !== 'gallery-high-contrast') {
      mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
      copyFileSync(file, join(ROOT, 'docs', 'screenshots', `${name}.png`));
    }
  }
  await setTheme(page, 'Dark Modern');
});

test('Find Similar Images on the active image lists its near-duplicates from the saved index', async () => {
  await runCommand(page, 'Go to File...');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(existsSync(join(workspace, 'originals', 'o00001.jpg')) ? 'originals/o00001.jpg' : 'originals/g1.jpg');
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 15_000 });
  await sleep(300);
  await page.keyboard.press('Enter');
  await page
    .locator('.tab.active', { hasText: 'o00001.jpg' })
    .waitFor({ timeout: 30_000 })
    .catch(() => undefined);
  await runCommand(page, 'Media Dedupe: Find Similar Images');
  // The closest file is a copy of the image, listed first with its distance.
  const labels = await until(
    'a near-duplicate of the image at the top of the quick pick',
    async () => {
      const rows = await page.locator('.quick-input-list .monaco-list-row').evaluateAll((r) => r.map((x) => x.getAttribute('aria-label') ?? ''));
      return /(o00001|g1)__.*distance/.test(rows[0] ?? '') ? rows : undefined;
    },
    60_000,
  );
  await shots.take(page, 'similar');
  await page.keyboard.press('Escape');
  assert.match(labels[0]!, /duplicate/);
  // Back to the gallery for the measurements.
  await runCommand(page, 'Media Dedupe: Open Duplicates Gallery');
  await waitGallery();
});

test('Find Duplicates in Folder from the palette scans the picked subfolder', async () => {
  await runCommandOnFolder(page, 'Media Dedupe: Find Duplicates in Folder', 'dataset/variants');
  await until('the gallery of the subfolder', async () => /^variants: [\d,]+ pairs/.test((await g().locator('#summary').textContent()) ?? ''), 120_000, 500);
  await waitGallery();
  await shots.take(page, 'folder-scan');
});

test(`measured: first pair visible and key latency on ${SYNTHETIC_PAIRS} pairs (reported, not asserted)`, async () => {
  await runCommand(page, 'Media Dedupe: Load Synthetic Pairs (test)');
  await waitGallery(SYNTHETIC_PAIRS);
  const firstPairMs = Number(await until('the first-pair metric', () => g().locator('body').getAttribute('data-first-pair-ms'), 30_000));
  metrics['firstPairMs5k'] = firstPairMs;
  metrics['initReceivedMs5k'] = Number(await g().locator('body').getAttribute('data-init-received-ms'));

  // Virtualised: a few dozen rows exist however long the list is, and the end of the list renders.
  const domRows = await g().locator('#pair-list .row').count();
  assert.ok(domRows < 120, `only visible rows are in the DOM (found ${domRows})`);
  const scroll = await g()
    .locator('#pair-list')
    .evaluate(async (el) => {
      const t0 = performance.now();
      let frames = 0;
      const longest: number[] = [];
      let last = t0;
      while (el.scrollTop + el.clientHeight < el.scrollHeight) {
        el.scrollTop += 600;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        longest.push(now - last);
        last = now;
        frames++;
      }
      longest.sort((a, b) => a - b);
      return { frames, ms: performance.now() - t0, p95FrameMs: longest[Math.floor(longest.length * 0.95)] ?? 0 };
    });
  metrics['scrollToEnd5k'] = scroll;
  await until('rows at the end of the list', async () => (await g().locator('#pair-list .row[data-pair-index]:not([hidden])').count()) > 0);
  await g()
    .locator('#pair-list')
    .evaluate((el) => (el.scrollTop = 0));
  await sleep(200);

  // Key press to next pair: 20 x next, then 10 decisions.
  const firstIdx = (await current()).index;
  await g().locator(`#pair-list .row[data-pair-index="${firstIdx}"]`).click();
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('j');
    await sleep(60);
  }
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('d');
    await sleep(80);
  }
  const samples = await until(
    '30 key latency samples',
    async () => {
      const s = ((await g().locator('body').getAttribute('data-key-to-next-ms')) ?? '').split(',').filter(Boolean).map(Number);
      return s.length >= 30 ? s : undefined;
    },
    20_000,
  );
  const stats = (xs: number[]): { n: number; median: number; p95: number; max: number } => {
    const sorted = [...xs].sort((a, b) => a - b);
    const pct = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
    return { n: xs.length, median: pct(0.5), p95: pct(0.95), max: sorted[sorted.length - 1]! };
  };
  const nav = stats(samples.slice(-30, -10));
  const decide = stats(samples.slice(-10));
  metrics['keyToNextMs'] = { next: nav, decision: decide, all: stats(samples.slice(-30)) };
  metrics['loadAverage'] = (await import('node:os')).loadavg();
  await shots.take(page, 'synthetic-5k');
  const fmt = (x: { median: number; p95: number; n: number }): string => `median ${x.median.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms (${x.n} presses)`;
  console.log(
    `  METRIC scan end -> first pair visible (${SYNTHETIC_PAIRS} pairs): ${firstPairMs} ms (target <= 1000; state reached the page after ${metrics['initReceivedMs5k']} ms)`,
  );
  console.log(`  METRIC key press -> next pair shown: J (next) ${fmt(nav)}; D (decide + advance) ${fmt(decide)} (target <= 100)`);
  console.log(
    `  METRIC load average during the run: ${(metrics['loadAverage'] as number[]).map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`,
  );
  console.log(
    `  METRIC scroll ${SYNTHETIC_PAIRS} pairs top to bottom: ${scroll.frames} frames in ${scroll.ms.toFixed(0)} ms, p95 frame ${scroll.p95FrameMs.toFixed(1)} ms`,
  );
});

/** Scrolls a list by 600 px per frame for at most `frames` frames: the p95 frame time. */
async function measureScroll(selector: string, frames: number): Promise<{ frames: number; ms: number; p95FrameMs: number }> {
  return g()
    .locator(selector)
    .evaluate(async (el, max) => {
      el.scrollTop = 0;
      const t0 = performance.now();
      const times: number[] = [];
      let last = t0;
      while (times.length < max && el.scrollTop + el.clientHeight < el.scrollHeight) {
        el.scrollTop += 600;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      el.scrollTop = 0;
      times.sort((a, b) => a - b);
      return { frames: times.length, ms: performance.now() - t0, p95FrameMs: times[Math.floor(times.length * 0.95)] ?? 0 };
    }, frames);
}

function p95(xs: number[]): { n: number; median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? Number.NaN;
  return { n: s.length, median: at(0.5), p95: at(0.95) };
}

for (const [title, command, pairs] of [
  ['one cluster of 54,285 pairs (330 copies of one picture)', 'Media Dedupe: Load Synthetic 54k-Pair Cluster (test)', 54_285],
  ['50,000 pairs in 910 clusters', 'Media Dedupe: Load Synthetic 50k-Pair Dataset (test)', 50_000],
] as const) {
  test(`measured at scale, ${title}: first pair and first cluster shown, key to next p95, scroll p95 (reported, not asserted)`, async () => {
    await runCommand(page, command);
    await waitGallery(pairs);
    const firstPairMs = Number(await until('the first-pair metric', () => g().locator('body').getAttribute('data-first-pair-ms'), 120_000));
    const firstClusterMs = Number(await until('the first cluster', () => g().locator('body').getAttribute('data-first-cluster-ms'), 180_000, 250));
    // Pairs view: J x 20, then the scroll.
    await g().locator('[data-view="pairs"]').click();
    const before = ((await g().locator('body').getAttribute('data-key-to-next-ms')) ?? '').split(',').filter(Boolean).length;
    await g().locator('#pair-list').focus();
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('j');
      await sleep(60);
    }
    const keys = await until('20 key samples', async () => {
      const s = ((await g().locator('body').getAttribute('data-key-to-next-ms')) ?? '').split(',').filter(Boolean).map(Number);
      return s.length >= before + 20 ? s.slice(before) : undefined;
    });
    const scroll = await measureScroll('#pair-list', 150);
    // Clusters view: J x 20 between clusters (or as many as there are), and its member grid on screen.
    await g().locator('[data-view="clusters"]').click();
    await g().locator('.clusters-detail [data-member-path]').first().waitFor({ timeout: 60_000 });
    const members = await g().locator('.clusters-detail [data-member-path]').count();
    await g().locator('#cluster-list').focus();
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('j');
      await sleep(60);
    }
    await sleep(300);
    const clusterKeys = ((await g().locator('body').getAttribute('data-cluster-key-ms')) ?? '').split(',').filter(Boolean).map(Number);
    // Every card on screen shows its image: the large PNG's card stayed empty when its thumbnail arrived
    // while the pairs view was shown (the cards are drawn, hidden, before the person switches to clusters).
    await cardImagesShown(`scale-${pairs}`);
    // Copies of one picture (the 54k cluster) shortened alike on their cards ("synthetic/…003__exact_copy.jpg"
    // on several): no two cards of different files show the same name.
    const cards = await g()
      .locator('.clusters-detail [data-member-path]')
      .evaluateAll((cs) => cs.map((c) => [(c as HTMLElement).dataset['memberPath']!, c.querySelector('.pane-path')?.textContent ?? ''] as const));
    const byName = new Map<string, Set<string>>();
    for (const [path, name] of cards) byName.set(name, (byName.get(name) ?? new Set()).add(path));
    assert.deepEqual(
      [...byName].filter(([, ps]) => ps.size > 1).map(([n, ps]) => `${n}: ${[...ps].join(' | ')}`),
      [],
      `${pairs}: cards of different files named alike`,
    );
    await shots.take(page, `scale-${pairs}`);
    await g().locator('[data-view="pairs"]').click();
    const r = {
      firstPairMs,
      firstClusterMs,
      keyToNextPairs: p95(keys),
      keyToNextClusters: p95(clusterKeys),
      scroll,
      members,
      loadAverage: (await import('node:os')).loadavg(),
    };
    metrics[`scale${pairs}`] = r;
    console.log(
      `  METRIC ${title}: first pair ${firstPairMs} ms, first cluster ${firstClusterMs} ms (${members} files on screen); J in pairs p95 ${r.keyToNextPairs.p95.toFixed(1)} ms (median ${r.keyToNextPairs.median.toFixed(1)}); J in clusters p95 ${r.keyToNextClusters.p95.toFixed(1)} ms (${r.keyToNextClusters.n} presses); scroll p95 frame ${scroll.p95FrameMs.toFixed(1)} ms over ${scroll.frames} frames; load ${r.loadAverage.map((x) => x.toFixed(1)).join(' ')}`,
    );
  });
}

// ---- what a person sees around the review (test/e2e/ux.ts) ---------------------------------------

const ux = (): UxContext => ({ page, workspace, shared: SHARED, shots, g });

test('accessibility: axe-core finds no serious or critical violation in the pairs and clusters views; the live region announces the pair', async () => {
  const found: Record<string, AxeViolation[]> = {};
  for (const view of ['pairs', 'clusters'] as const) {
    await g().locator(`[data-view="${view}"]`).click();
    await sleep(500);
    found[view] = await axeViolations(g());
    console.log(`  axe-core, ${view} view: ${found[view].length} violations ${JSON.stringify(found[view].map((v) => `${v.id} (${v.impact})`))}`);
  }
  metrics['axe'] = found;
  await g().locator('[data-view="pairs"]').click();
  for (const [view, vs] of Object.entries(found)) {
    const bad = vs.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad, [], `${view} view: serious or critical accessibility violations`);
  }
  const said = await announcementAfter(ux(), 'j');
  console.log(`  live region: "${said}"`);
  assert.match(said, /^Pair [\d,]+ of [\d,]+, (undecided|kept |not a duplicate|auto: )/);
  for (const [list, sel] of [
    ['#pair-list', '#pair-list'],
    ['#cluster-list', '#cluster-list'],
  ] as const) {
    const role = await g().locator(sel).getAttribute('role');
    assert.equal(role, 'listbox', `${list} is a listbox`);
  }
  const active = await g().locator('#pair-list').getAttribute('aria-activedescendant');
  assert.ok(active && (await g().locator(`#${active}`).getAttribute('aria-selected')) === 'true', `the pair list names its selected row (${active})`);
});

test('at 1024x700 nothing overlaps (bounding boxes), key hints are readable in the four theme families, and focus is visible', async () => {
  await page.setViewportSize({ width: 1024, height: 700 });
  const report: Record<string, unknown> = {};
  // The empty maximum distance names the threshold in use (phash16's default here).
  assert.equal(await g().locator('#filter-max').getAttribute('placeholder'), '< 0.200');
  try {
    for (const sideBar of ['closed', 'open'] as const) {
      // "Close Primary Side Bar" is listed only while it is open.
      const open = await page.locator('#workbench\\.parts\\.sidebar').isVisible();
      if (sideBar === 'open' && !open) await runCommand(page, 'View: Show Explorer');
      if (sideBar === 'closed' && open) await runCommand(page, 'View: Close Primary Side Bar');
      await sleep(800);
      // With the side bar open the gallery is about 670 px wide: the pair may scroll, but nothing overlaps.
      if (sideBar === 'open') await g().locator('.compare .actions').scrollIntoViewIfNeeded();
      const l = await layoutProblems(g());
      // The pair list keeps the window's height beside the pair (stacked above it, it showed two rows).
      const rows = await pairRowsShown(g());
      const file = await shots.take(page, `layout-1024x700-sidebar-${sideBar}`);
      if (sideBar === 'open' && UPDATE_SCREENSHOTS) copyFileSync(file, join(ROOT, 'docs', 'screenshots', 'layout-1024x700.png'));
      report[`sidebar-${sideBar}`] = { parts: l.boxes.length, overlaps: l.overlaps, clipped: l.clipped, pairRows: rows };
      console.log(`  1024x700, side bar ${sideBar}: ${rows} pair rows shown whole`);
      assert.ok(rows >= 5, `1024x700, side bar ${sideBar}: the pair list shows ${rows} rows (at least 5)`);
      assert.ok(l.boxes.some((b) => b.what.startsWith('button')) && l.boxes.some((b) => b.what.includes('pane-path')), 'buttons and captions measured');
      assert.deepEqual(l.overlaps, [], `1024x700, side bar ${sideBar}: parts overlap`);
      assert.deepEqual(l.clipped, [], `1024x700, side bar ${sideBar}: parts cut off`);
      assert.deepEqual(await namesCutTwice(g()), [], `1024x700, side bar ${sideBar}: names cut at their end too`);
      assert.deepEqual(await badgesCut(g()), [], `1024x700, side bar ${sideBar}: verdict badges cut`);
    }
    for (const [theme, bodyClass, name] of THEMES) {
      await setTheme(page, theme);
      await until(
        `the ${theme} theme in the gallery`,
        async () => (await g().locator('body').getAttribute('class'))?.split(/\s+/).includes(bodyClass),
        30_000,
        300,
      );
      await sleep(600);
      const c = await keyHintContrast(g());
      const file = await shots.take(page, `theme-${name}-1024x700`);
      if (UPDATE_SCREENSHOTS) copyFileSync(file, join(ROOT, 'docs', 'screenshots', `theme-${name}.png`));
      report[`contrast-${name}`] = c;
      console.log(`  contrast of key hints, ${theme}: min ${c.min.toFixed(2)}:1 over ${c.n} hints (worst ${c.worst})`);
      assert.ok(c.n >= 8, `key hints measured (${c.n})`);
      assert.ok(c.min >= 4.5, `${theme}: key hint contrast ${c.min.toFixed(2)}:1 < 4.5:1 (${c.worst})`);
    }
    // A narrow window (800 px) in a high-contrast theme, with and without the side bar: what a person on a
    // laptop's half screen sees (the 1024 px checks above stay the hard limits).
    await setTheme(page, 'Dark High Contrast');
    await page.setViewportSize({ width: 800, height: 700 });
    for (const sideBar of ['closed', 'open'] as const) {
      const open = await page.locator('#workbench\\.parts\\.sidebar').isVisible();
      if (sideBar === 'open' && !open) await runCommand(page, 'View: Show Explorer');
      if (sideBar === 'closed' && open) await runCommand(page, 'View: Close Primary Side Bar');
      await sleep(800);
      const l = await layoutProblems(g());
      const rows = await pairRowsShown(g());
      await shots.take(page, `narrow-800x700-hc-sidebar-${sideBar}`);
      const cut = await namesCutTwice(g());
      report[`narrow-800-sidebar-${sideBar}`] = { overlaps: l.overlaps, clipped: l.clipped, pairRows: rows, namesCut: cut.length };
      console.log(`  800x700, side bar ${sideBar}: ${rows} pair rows shown whole; overlaps ${JSON.stringify(l.overlaps)}`);
      // Each path is shortened once, in its middle, to the room its row has: never cut again at its end.
      assert.deepEqual(cut, [], `800x700, side bar ${sideBar}: names cut at their end too`);
      assert.deepEqual(await badgesCut(g()), [], `800x700, side bar ${sideBar}: verdict badges cut`);
      assert.ok(rows >= 5, `800x700, side bar ${sideBar}: the pair list shows ${rows} rows (at least 5)`);
      // The pair's pictures are on screen, or one scroll of the page away (the header and filters wrap to
      // several rows in a gallery this narrow): never squeezed below the window's bottom edge.
      await g().locator('.compare .panes').scrollIntoViewIfNeeded();
      const after = await layoutProblems(g());
      await shots.take(page, `narrow-800x700-hc-sidebar-${sideBar}-pair`);
      assert.deepEqual(after.overlaps, [], `800x700, side bar ${sideBar}: parts overlap`);
      assert.deepEqual(
        after.clipped.filter((c) => /picture|pane-path/.test(c)),
        [],
        `800x700, side bar ${sideBar}: the pictures cannot be brought on screen`,
      );
      await g().locator('#pair-list').scrollIntoViewIfNeeded();
    }
    await page.setViewportSize({ width: 1024, height: 700 });
    await setTheme(page, 'Dark Modern');
    const f = await focusWithoutRing(ux(), 30);
    report['focus'] = f;
    console.log(`  focus: ${f.reached} controls reached with Tab; without a visible ring: ${JSON.stringify(f.missing)}`);
    assert.ok(f.reached >= 8, `Tab reaches the controls (${f.reached})`);
    assert.deepEqual(f.missing, []);
  } finally {
    metrics['layout'] = report;
    await page.setViewportSize({ width: 1600, height: 1000 });
  }
});

test('an empty folder: the gallery says no images or videos were found, where, and what is supported', async () => {
  const r = await emptyFolderState(ux());
  console.log(`  empty folder: "${r.summary}" / "${r.message}"`);
  assert.match(r.message, /^No images or videos found under .*empty; supported: \.jpg, \.jpeg, \.png/);
  assert.doesNotMatch(r.message + r.summary, /0 duplicate pairs among 0 files/);
});

test('a scan cancelled mid-way shows "Cancelling…", keeps its hashes, and the next scan resumes from them', async () => {
  const r = await cancelMidScan(ux());
  metrics['cancel'] = { files: r.files, kept: r.kept };
  console.log(`  cancel: ${r.kept} of ${r.files} hashes kept and read back by the next scan; shown: ${r.seen.map((t) => JSON.stringify(t)).join(' → ')}`);
});

test('many identical files: the gallery lists each copy against its kept file, counted as the manifest has them, and a decision on one reaches the manifest', async () => {
  // The bulk folder of the cancel test holds 30 copies of each picture: identical-hash groups the scan
  // searches as one node, so the manifest lists no pair inside them, only clusters and `identical`.
  const path = join(workspace, 'bulk', 'dedupe-manifest.json');
  const read = (): Record<string, any> | undefined => {
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      return undefined;
    }
  };
  const m = await until('the bulk manifest', async () => (read()?.['clusters']?.length > 0 ? read() : undefined), 60_000);
  const groups: string[][] = m['identical'] ?? [];
  const implied = groups.reduce((n, grp) => n + grp.length - 1, 0);
  assert.ok(implied > 0, 'the bulk folder has identical copies');
  const expected = m['summary']['pairs'] + implied;
  await waitGallery(expected);
  const summary = (await g().locator('#summary').textContent()) ?? '';
  await shots.take(page, 'bulk-identical-pairs');
  // "N pairs (incl. N implied …)" when all are: said plainly instead.
  const impliedText =
    implied === expected ? ', all implied by identical copies' : ` \\(incl\\. ${implied.toLocaleString('en-US')} implied by identical copies\\)`;
  assert.match(summary, new RegExp(`^bulk: ${expected.toLocaleString('en-US')} pairs${impliedText}`), summary);
  assert.equal(await g().locator('#app').getAttribute('data-implied-count'), String(implied));
  assert.doesNotMatch((await g().locator('.compare').textContent()) ?? '', /No duplicate pairs were found/);
  // The pair shown names a cluster's kept file and one of its members, at the distance the manifest records.
  const shown = await current();
  const cluster = m['clusters'].find((c: any) => c.keep === shown.left || c.keep === shown.right);
  assert.ok(cluster, `the pair shown (${shown.left} | ${shown.right}) names a kept file`);
  const other = cluster.keep === shown.left ? shown.right : shown.left;
  assert.ok(
    cluster.members.some((x: any) => x.path === other),
    `${other} is a member of the cluster of ${cluster.keep}`,
  );
  // Keep both: written to the manifest as a review of that pair, as for any pair.
  await g().locator('#pair-list').focus();
  await page.keyboard.press('b');
  const [a, b] = [shown.left, shown.right].sort();
  await until(
    'the keep-both review in the bulk manifest',
    async () => (read()?.['reviews'] ?? []).some((x: any) => x.a === a && x.b === b && x.decision === 'keep-both'),
    30_000,
  );
  console.log(`  bulk: ${summary}`);
});

test('Check Files Against Dataset… shows per new file the matches `media-dedupe compare --json` finds', async () => {
  // New files beside the scanned workspace (after its scan, so its saved hashes do not hold them): a copy
  // of an original, a copy of a variant, and, from the bench, a picture the workspace does not have.
  const incoming = join(workspace, 'incoming');
  mkdirSync(incoming, { recursive: true });
  const original = readdirSync(join(workspace, 'originals')).sort()[1]!;
  const variant = readdirSync(join(workspace, 'variants'))
    .filter((n) => n.includes('resize'))
    .sort()[0];
  copyFileSync(join(workspace, 'originals', original), join(incoming, 'new-copy.jpg'));
  if (variant) copyFileSync(join(workspace, 'variants', variant), join(incoming, `new-variant${variant.slice(variant.lastIndexOf('.'))}`));
  const unrelated = join(SHARED, 'bench', 'images', 'originals', 'o00040.jpg');
  if (existsSync(unrelated)) copyFileSync(unrelated, join(incoming, 'new-unrelated.jpg'));

  await runCommandOnFolder(page, 'Media Dedupe: Check Files Against Dataset…', 'dataset/incoming');
  // Several folders were scanned (the workspace, then a subfolder): the workspace is the dataset.
  const rowLabels = (): Promise<string[]> =>
    page.locator('.quick-input-list .monaco-list-row').evaluateAll((r) => r.map((x) => x.getAttribute('aria-label') ?? ''));
  const shown = await until(
    'the result of the check',
    async () => {
      const title =
        (await page
          .locator('.quick-input-widget .quick-input-title')
          .textContent()
          .catch(() => '')) ?? '';
      if (/Check Files Against Dataset/.test(title)) {
        const labels = await rowLabels();
        const at = labels.findIndex((l) => l.startsWith('dataset'));
        if (at >= 0) await page.locator('.quick-input-list .monaco-list-row').nth(at).click();
        return undefined;
      }
      if (!/new files already in dataset/.test(title)) return undefined;
      const labels = await rowLabels();
      return labels.some((l) => l.includes('incoming/')) ? { title, labels, toasts: await toastTexts(page) } : undefined;
    },
    120_000,
    300,
  );
  await shots.take(page, 'check-against-dataset');
  await page.keyboard.press('Escape');
  // The check's progress is the answer's own busy picker: no notification left over beside the answer.
  assert.deepEqual(
    shown.toasts.filter((t) => /checking .* against/i.test(t)),
    [],
    'no "checking … against …" notification beside the answer',
  );

  const cli = JSON.parse(
    execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'compare', 'incoming', '--against', '.', '--json', '--no-fail-on-match'], {
      cwd: workspace,
      encoding: 'utf8',
    }),
  ) as { files: { path: string; matches: { path: string; distance: number }[] }[]; matched: number };
  const expected = cli.files.map((f) => `${f.path}: ${f.matches.map((m) => `${m.path} ${m.distance.toFixed(3)}`).join(' | ') || 'no match'}`).sort();
  const fromUi = shown.labels
    .map((l) => {
      const file = /incoming\/[^\s,]+/.exec(l)![0];
      // The detail, after the description: "path (distance, hasher) · path (distance, hasher)" (paths may hold spaces).
      const detail = /in the dataset: \d+ match(?:es)?, (.*)$/.exec(l)?.[1] ?? '';
      const matches = detail
        .split(' · ')
        .filter(Boolean)
        .map((m) => /^(.*) \((\d+\.\d{3}), [^)]*\)$/.exec(m)!)
        .map((m) => `${m[1]} ${m[2]}`);
      return `${file}: ${matches.join(' | ') || 'no match'}`;
    })
    .sort();
  assert.deepEqual(fromUi, expected, 'the extension shows what media-dedupe compare --json finds');
  assert.ok(cli.matched >= 1, 'a copy of a dataset file matches');
  assert.match(shown.title, new RegExp(`^${cli.matched} of ${cli.files.length} new files already in dataset`));
  if (existsSync(unrelated)) assert.ok(expected.includes('incoming/new-unrelated.jpg: no match'), 'a picture the dataset does not have matches nothing');
  console.log(`  Check Files Against Dataset: ${shown.title}`);
});

test('a scan across splits (mediaDedupe.splits): the Leaks header and split chips equal the manifest `leaks`', async () => {
  // A small split dataset inside the workspace: originals in train/, their variants in test/, and a copy
  // inside train/ (a pair within one split, which a split scan must not report).
  const set = join(workspace, 'splitset');
  for (const s of ['train', 'test']) mkdirSync(join(set, s), { recursive: true });
  const originals = readdirSync(join(workspace, 'originals')).sort().slice(0, 3);
  const variants = readdirSync(join(workspace, 'variants')).filter((n) => /__(jpeg_q|resize_0\.5)\./.test(n));
  for (const o of originals) copyFileSync(join(workspace, 'originals', o), join(set, 'train', o));
  copyFileSync(join(workspace, 'originals', originals[0]!), join(set, 'train', `copy-${originals[0]}`));
  for (const v of variants.filter((n) => originals.some((o) => n.startsWith(o.replace(/\.\w+$/, '') + '__'))))
    copyFileSync(join(workspace, 'variants', v), join(set, 'test', v));
  const settingsFile = join(workspace, '.vscode', 'settings.json');
  const before = readFileSync(settingsFile, 'utf8');
  writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(before), 'mediaDedupe.splits': ['train', 'test'] }, null, 2));
  try {
    await sleep(1500); // the workbench reads the changed settings file
    await runCommandOnFolder(page, 'Media Dedupe: Find Duplicates in Folder', 'dataset/splitset');
    await until(
      'the gallery of the split folder',
      async () => /^splitset: [\d,]+ pairs/.test((await g().locator('#summary').textContent()) ?? ''),
      120_000,
      500,
    );
    await waitGallery();
    const shownCounts = JSON.parse((await until('the Leaks header', () => g().locator('#leaks').getAttribute('data-leak-counts'), 30_000)) ?? '{}') as Record<
      string,
      number
    >;
    // The Leaks header says it: no toast over the triage buttons repeats it or the finished scan.
    const toasts = await toastTexts(page);
    await shots.take(page, 'leaks');
    assert.deepEqual(
      toasts.filter((t) => /leaks across splits|finding duplicates in splitset/i.test(t)),
      [],
      'no notification left over from the split scan',
    );
    const m = await until(
      'the split manifest',
      async () => {
        try {
          return JSON.parse(readFileSync(join(set, 'dedupe-manifest.json'), 'utf8'));
        } catch {
          return undefined;
        }
      },
      30_000,
    );
    const leaks = m['leaks'] as { a: string; b: string; splitA: string; splitB: string; drop: string }[];
    assert.ok(leaks.length > 0, 'the variants in test/ leak from train/');
    assert.equal(m['settings']['dropFrom'], 'train');
    // The manifest's counts per split pair, labelled as check --splits labels them (the split dropped from second).
    const fromManifest: Record<string, number> = {};
    for (const l of leaks) {
      const label = l.splitA === 'train' ? `${l.splitB}↔train` : `${l.splitA}↔train`;
      fromManifest[label] = (fromManifest[label] ?? 0) + 1;
    }
    assert.deepEqual(shownCounts, fromManifest, 'the header counts equal the manifest leaks');
    // The header's total is the manifest's leaks.length, in its attribute and in the text a person reads.
    assert.equal(Number(await g().locator('#leaks').getAttribute('data-leak-total')), leaks.length, "the gallery's leak count is the manifest's");
    assert.match((await g().locator('#leaks .leaks-title').textContent()) ?? '', new RegExp(`^Leaks across splits: ${leaks.length.toLocaleString('en-US')}$`));
    // Every pair row is a leak of the manifest, with each side's split on its chips; none within one split.
    const rows = await g()
      .locator('#pair-list .row[data-pair-index]')
      .evaluateAll((rs) =>
        rs.map((r) => ({
          a: r.getAttribute('data-left-path'),
          b: r.getAttribute('data-right-path'),
          chips: [...r.querySelectorAll('.split-chip')].map((c) => c.getAttribute('data-split')),
        })),
      );
    assert.equal(rows.length, leaks.length, 'one row per leak');
    for (const r of rows) {
      const leak = leaks.find((l) => (l.a === r.a && l.b === r.b) || (l.a === r.b && l.b === r.a));
      assert.ok(leak, `row ${r.a} ↔ ${r.b} is a leak of the manifest`);
      const splitOfRow = (p: string | null): string | undefined => (p === leak.a ? leak.splitA : leak.splitB);
      assert.deepEqual(r.chips, [splitOfRow(r.a), splitOfRow(r.b)], 'each side shows its split');
      assert.notEqual(r.chips[0], r.chips[1]);
    }
    console.log(`  Leaks: ${JSON.stringify(shownCounts)} (${leaks.length} in the manifest)`);
  } finally {
    writeFileSync(settingsFile, before);
  }
});

test("a video pair: Flicker and Overlay show the two videos' frames at a matched moment", async (t) => {
  const r = await videoPairFlicker(ux());
  if (!r) {
    t.skip('no ffmpeg on PATH: no clips to make');
    return;
  }
  console.log(`  video pair: flicker "${r.flicker}", overlay "${r.overlay}"`);
  assert.match(r.flicker, /^(Left|Right) at \d+:\d\d\.\d$/);
  assert.match(r.overlay, /^Right over left, 50 % at \d+:\d\d\.\d ↔ \d+:\d\d\.\d$/);
  assert.notEqual(r.frames[0], r.frames[1], 'one frame of each video');
});

test('two galleries at once: each scanned folder keeps its own panel, and the one in front is the one the status bar counts', async () => {
  // The scans above (bulk, then splitset, then videos) each opened a panel; none replaced another.
  const tab = (name: string) => page.locator('.tabs-container .tab', { hasText: `Duplicates: ${name}` });
  await until('a tab for each scanned folder', async () => (await tab('bulk').count()) === 1 && (await tab('splitset').count()) === 1, 10_000);
  const summaries: string[] = [];
  for (const name of ['splitset', 'bulk']) {
    await tab(name).click();
    const g = await galleryOf(page, name).catch(async (err: unknown) => {
      await shots.take(page, `two-galleries-no-${name}`);
      throw err;
    });
    const summary = (await g.locator('#summary').textContent()) ?? '';
    summaries.push(summary);
    assert.match(summary, new RegExp(`^${name}: [\\d,]+ pairs?`), `${name}'s own gallery`);
    // The status bar follows the gallery in front.
    const counts = new RegExp(`${name}: [\\d,]+ to review`);
    await until(`the status bar to count ${name}`, async () => (await statusBarTexts(page)).some((t) => counts.test(t)), 10_000);
  }
  console.log(`  two galleries: ${summaries.map((t) => JSON.stringify(t)).join(' | ')}`);
  await shots.take(page, 'two-galleries');
});

test('a workspace reviewed before, with no scan kept: its manifest opens the gallery (no scan), and the status bar counts it at startup', async () => {
  // Forget every scan the extension kept (as on another machine, or after the CLI wrote the manifest).
  await runCommand(page, 'View: Close All Editors');
  const kept: string[] = [];
  const forget = (dir: string): void => {
    if (!existsSync(dir)) return;
    if (existsSync(join(dir, 'last.json')) && existsSync(join(dir, 'scans'))) {
      kept.push(dir);
      rmSync(join(dir, 'last.json'), { force: true });
      rmSync(join(dir, 'scans'), { recursive: true, force: true });
      return;
    }
    for (const n of readdirSync(dir)) if (statSync(join(dir, n)).isDirectory()) forget(join(dir, n));
  };
  forget(join(state, 'u', 'User'));
  assert.ok(kept.length > 0, 'the extension kept its scans under the user data folder');
  const manifest = JSON.parse(readFileSync(join(workspace, 'dedupe-manifest.json'), 'utf8')) as {
    summary: { pairs: number };
    identical?: string[][];
  };
  // As after a scan: the manifest's pairs, and one per identical copy against its kept file.
  const expected = manifest.summary.pairs + (manifest.identical ?? []).reduce((n, grp) => n + grp.length - 1, 0);
  const reloaded = page.waitForEvent('load', { timeout: 90_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await waitForWorkbench(page);
  await until(
    'the status bar to count the workspace from its manifest',
    async () => (await statusBarTexts(page)).some((t) => /dataset: [\d,]+ to review/.test(t)),
    60_000,
    300,
  );
  await runCommand(page, 'Media Dedupe: Open Duplicates Gallery');
  await waitGallery();
  const summary = (await g().locator('#summary').textContent()) ?? '';
  const shown = Number(await g().locator('#app').getAttribute('data-pair-count'));
  console.log(`  opened from the manifest: "${summary}" (${shown} pairs; expected ${expected})`);
  assert.match(summary, /^dataset: [\d,]+ pairs/);
  assert.equal(shown, expected, "the manifest's pairs and identical copies are listed, as after a scan");
  assert.equal(await g().locator('#app').getAttribute('data-scan'), null, 'no scan ran');
  assert.deepEqual(
    (await toastTexts(page)).filter((t) => /nothing scanned yet/.test(t)),
    [],
  );
  await shots.take(page, 'opened-from-manifest');
});

test('in an 800 px gallery the two names of a pair stay told apart where cutting them in the middle showed the same tail, and no name is shown for two different files', async () => {
  try {
    const r = await lookalikeNames(ux());
    console.log(`  lookalike names at 800 px: ${r.names.join(' ; ')}`);
    assert.ok(r.rows >= 2, `the pairs are listed (${r.rows} rows)`);
    assert.equal(r.apart, r.rows, 'every row was shortened apart (their middle cut reads the same)');
    assert.deepEqual(r.alike, [], 'no row shows two names that read the same');
    // Across the whole list too: files sharing a long start, each told from its row partner at one place.
    assert.equal(r.listedFiles, 9, 'every file of the folder is named in the list');
    assert.deepEqual(r.sameName, [], 'no name is shown for two different files');
    // The compare panes start each caption where the two differ and cut its end instead.
    assert.equal(r.captions.length, 2, JSON.stringify(r.captions));
    for (const c of r.captions)
      assert.ok(/^000\d_holiday/.test(c.text) && c.direction === 'ltr', `caption shown from where the names differ: ${JSON.stringify(c)}`);
    // Names sharing a long start as well: the differing number is on screen in both captions, not cut off with the start.
    assert.equal(r.sharedStart.length, 2, JSON.stringify(r.sharedStart));
    for (const c of r.sharedStart) assert.ok(c.differenceShown, `the difference is inside the caption's box: ${JSON.stringify(r.sharedStart)}`);
  } finally {
    await page.setViewportSize({ width: 1600, height: 1000 });
  }
});
