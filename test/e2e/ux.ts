/**
 * The e2e checks of what a person sees around the review itself: scan progress and cancel, layout,
 * contrast, accessibility, messages. Kept apart from gallery.e2e.ts (which calls them in order) so the
 * review checks and these can change without touching each other.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { runCommand, runCommandOnFolder, sleep, until, type Shots } from './workbench.js';

export interface UxContext {
  readonly page: Page;
  readonly workspace: string;
  readonly shared: string;
  readonly shots: Shots;
  readonly g: () => FrameLocator;
}

/** Picks a subfolder of the workspace in "Find Duplicates in Folder". */
export function scanFolderFromPalette(page: Page, rel: string): Promise<void> {
  return runCommandOnFolder(page, 'Media Dedupe: Find Duplicates in Folder', rel);
}

/**
 * A folder big enough that a scan is still hashing when Cancel is pressed: the bench originals (or the
 * workspace's own images) copied `copies` times under other names.
 */
export function makeBulkFolder(ctx: UxContext, name: string, copies: number): number {
  const dir = join(ctx.workspace, name);
  mkdirSync(dir, { recursive: true });
  const originals = join(ctx.shared, 'bench', 'images', 'originals');
  const sources = existsSync(originals)
    ? readdirSync(originals)
        .filter((f) => f.endsWith('.jpg'))
        .map((f) => join(originals, f))
    : ['originals', 'variants'].flatMap((d) =>
        readdirSync(join(ctx.workspace, d))
          .filter((f) => /^g\d.*\.jpg$/.test(f))
          .map((f) => join(ctx.workspace, d, f)),
      );
  for (let k = 0; k < copies; k++) for (const [i, s] of sources.entries()) copyFileSync(s, join(dir, `c${k}_${i}.jpg`));
  return copies * sources.length;
}

/** The texts of the notification toasts on screen now. */
export async function toastTexts(page: Page): Promise<string[]> {
  return page
    .locator('.notifications-toasts .notification-list-item-message')
    .allTextContents()
    .catch(() => []);
}

/**
 * The gallery's triage buttons that a notification toast covers now (their boxes in the workbench's
 * coordinates: Playwright gives an element inside the webview's frames its place on the page).
 */
export async function controlsUnderToasts(page: Page, g: () => FrameLocator): Promise<{ covered: string[]; toasts: number; buttons: number }> {
  const toasts = (await Promise.all((await page.locator('.notifications-toasts .notification-toast').all()).map((t) => t.boundingBox()))).flatMap((b) =>
    b ? [b] : [],
  );
  const buttons = await g().locator('.compare .actions vscode-button').all();
  const covered: string[] = [];
  for (const b of buttons) {
    const box = await b.boundingBox();
    if (!box) continue;
    const under = toasts.some(
      (t) => Math.min(box.x + box.width, t.x + t.width) - Math.max(box.x, t.x) > 1 && Math.min(box.y + box.height, t.y + t.height) - Math.max(box.y, t.y) > 1,
    );
    if (under) covered.push((await b.getAttribute('data-action')) ?? '?');
  }
  return { covered, toasts: toasts.length, buttons: buttons.length };
}

/** The workbench's status bar entries (window progress and the extension's count show there). */
export async function statusBarTexts(page: Page): Promise<string[]> {
  return page
    .locator('#workbench\\.parts\\.statusbar .statusbar-item')
    .allTextContents()
    .catch(() => []);
}

/**
 * Every text the gallery's scan line and header, the notifications and the status bar show, read every
 * ~40 ms until `stop` says so.
 */
async function watchTexts(ctx: UxContext, stop: (seen: readonly string[]) => boolean, timeoutMs: number): Promise<string[]> {
  const seen: string[] = [];
  const end = Date.now() + timeoutMs;
  const text = (sel: string): Promise<string | null> =>
    ctx
      .g()
      .locator(sel)
      .textContent({ timeout: 500 })
      .catch(() => null);
  while (Date.now() < end) {
    const status = await text('#scan-status');
    const summary = await text('#summary');
    const bar = (await statusBarTexts(ctx.page)).filter((t) => /Media Dedupe/.test(t));
    for (const t of [status, summary, ...(await toastTexts(ctx.page)), ...bar]) if (t && seen.at(-1) !== t && !seen.includes(t)) seen.push(t);
    if (stop(seen)) return seen;
    await sleep(40);
  }
  throw new Error(`timed out; seen: ${JSON.stringify(seen)}`);
}

/** Whether a notification or the status bar still says "Cancelling…". */
async function cancellingOnScreen(page: Page): Promise<boolean> {
  return [...(await toastTexts(page)), ...(await statusBarTexts(page))].some((t) => /Cancelling…/.test(t));
}

/**
 * Cancel mid-scan: the progress names its phase with a count, "Cancelling…" shows once Cancel is
 * pressed, the end says how many hashes were kept, the cache holds them, and the next scan reads exactly
 * that many from the cache.
 */
export async function cancelMidScan(ctx: UxContext): Promise<{ files: number; kept: number; seen: string[] }> {
  const { page, g } = ctx;
  const files = makeBulkFolder(ctx, 'bulk', 30);
  await scanFolderFromPalette(page, 'dataset/bulk');
  // Wait until hashing has started, then press Cancel on the progress notification.
  const hashing = await until(
    'the scan hashing images',
    async () => {
      const t = (await g().locator('#scan-status').textContent({ timeout: 500 })) ?? '';
      return /Hashing images · [\d,]+ \/ [\d,]+/.test(t) ? t : undefined;
    },
    60_000,
    100,
  );
  await ctx.shots.take(page, 'scan-progress');
  // Every text the gallery's scan line takes from now on, recorded in the page: a quick stop shows
  // "Cancelling…" for less than a poll interval.
  await withNameHelper(g());
  await g()
    .locator('#scan-status')
    .evaluate((el) => {
      const texts: string[] = ((window as unknown as { __scanTexts: string[] }).__scanTexts = []);
      new MutationObserver(() => texts.push(el.textContent ?? '')).observe(el, { childList: true, subtree: true, characterData: true });
    });
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'finding duplicates in bulk' });
  await toast.hover();
  await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
  const polled = await watchTexts(ctx, (s) => s.some((t) => /^Cancelled: /.test(t)), 60_000);
  const endedAt = Date.now();
  const recorded = await g()
    .locator('#scan-status')
    .evaluate(() => (window as unknown as { __scanTexts?: string[] }).__scanTexts ?? []);
  const seen = [...polled, ...recorded.filter((t) => !polled.includes(t))];
  assert.ok(
    seen.some((t) => /Cancelling…/.test(t)),
    `"Cancelling…" shown until the worker stopped: ${JSON.stringify(seen)}`,
  );
  // Once the cancel has ended, nothing says "Cancelling…" any more (VS Code's window progress keeps an
  // entry up for at most 150 ms after its task; a notification stayed up to 800 ms).
  await until('"Cancelling…" gone once the cancel ended', async () => !(await cancellingOnScreen(page)), 1500, 50).catch((err: unknown) => {
    throw new Error(`"Cancelling…" still on screen ${Date.now() - endedAt} ms after the cancel ended: ${String(err)}`);
  });
  // The gallery's header, with this partial result's decisions: one phrase for the cancel, never beside
  // "reading the manifest…" (which read as a scan still at work).
  // (Its hash is empty: a cancelled scan writes no manifest, so the page shows the result's own preview.)
  await until('the cancelled result with its decisions', async () => (await g().locator('#app').getAttribute('data-manifest-hash')) !== null, 30_000, 100);
  const summary = (await g().locator('#summary').textContent()) ?? '';
  assert.match(
    summary,
    /^bulk: [\d,]+ pairs? found before the scan was cancelled( \(incl\. [\d,]+ implied by identical copies\)|,( all)? implied by identical copies)? · /,
    `the header says the result is partial: ${summary}`,
  );
  const mixed = [...seen, summary].filter((t) => /reading the manifest/.test(t) && /cancel/i.test(t));
  assert.deepEqual(mixed, [], 'no header says "reading the manifest…" and "cancelled" together');
  await ctx.shots.take(page, 'scan-cancelled');
  // How the cancel ended is said in the status bar (for a few seconds), not in a toast: the workbench piles
  // toasts up at its bottom right, where one covered Overlay, Undo and Redo until it timed out.
  const line = await until(
    'the cancel in the status bar',
    async () => (await statusBarTexts(page)).find((t) => /Media Dedupe: Cancelled: /.test(t)),
    10_000,
    100,
  );
  // How the cancel ended, whole: with what was found so far it ran past the status bar's room at 1600 px
  // (the header says that). Every count with its thousands separator.
  assert.match(line, /Media Dedupe: Cancelled: [\d,]+ hashes kept; scan again to resume$/, line);
  assert.doesNotMatch(line, /\d{4}/, `every count with its thousands separator: ${line}`);
  const cut = await page
    .locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'Media Dedupe: Cancelled: ' })
    .first()
    .evaluate((el) => [...el.querySelectorAll<HTMLElement>('*'), el as HTMLElement].some((e) => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1));
  assert.equal(cut, false, `the cancel's line is not cut in the status bar (${page.viewportSize()?.width} px): ${line}`);
  assert.deepEqual(
    (await toastTexts(page)).filter((t) => /Cancelled/.test(t)),
    [],
    'no toast repeats the cancel',
  );
  const under = await controlsUnderToasts(page, g);
  assert.ok(under.buttons >= 10, `the triage buttons are on screen: ${JSON.stringify(under)}`);
  assert.deepEqual(under.covered, [], `no triage button under a notification toast (${under.toasts} toasts)`);
  const ended = seen.find((t) => /^Cancelled: /.test(t))!;
  const m = /^Cancelled: ([\d,]+) hashes kept; scan again to resume/.exec(ended);
  assert.ok(m, `the end of the cancel says how many hashes were kept: ${ended}`);
  const kept = Number(m[1]!.replace(/,/g, ''));
  assert.ok(kept > 0 && kept < files, `cancelled mid-scan: ${kept} of ${files} kept (first progress seen: ${hashing})`);
  assert.ok(
    readdirSync(join(ctx.workspace, 'bulk', '.media-dedupe')).some((f) => f.startsWith('hashes')),
    'the hash cache is on disk',
  );
  // The next scan resumes: exactly the kept hashes come from the cache.
  await scanFolderFromPalette(page, 'dataset/bulk');
  const done = await until(
    'the resumed scan to finish',
    async () => {
      const t = (await g().locator('#scan-status').textContent({ timeout: 500 })) ?? '';
      return /^Scan finished in /.test(t) ? t : undefined;
    },
    120_000,
    200,
  );
  const resumed = /among ([\d,]+) files \(([\d,]+) from the cache\)/.exec(done);
  assert.ok(resumed, `the finished line says what came from the cache: ${done}`);
  assert.equal(Number(resumed[2]!.replace(/,/g, '')), kept, `the resumed scan read the kept hashes from the cache: ${done}`);
  assert.equal(Number(resumed[1]!.replace(/,/g, '')), files);
  // The cancel's line in the status bar went when the next scan started: it no longer says "Cancelled".
  assert.deepEqual(
    (await statusBarTexts(page)).filter((t) => /Cancelled: /.test(t)),
    [],
    'the status bar no longer says the scan was cancelled',
  );
  await ctx.shots.take(page, 'scan-resumed');
  return { files, kept, seen };
}

/**
 * tsx keeps function names by wrapping inner functions in `__name(...)`, a helper that exists in Node but
 * not in the page: functions run in the page need it defined there first.
 */
async function withNameHelper(g: FrameLocator): Promise<void> {
  await g.locator('body').evaluate('globalThis.__name ??= (f) => f');
}

interface Box {
  readonly what: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/**
 * The gallery's parts that must never cover each other, as laid out now: the pair's head, each pane's
 * picture and caption lines, the triage buttons, the matched-frame list. Returns the overlapping pairs
 * (more than one pixel each way) and the parts cut off by the page's bottom edge.
 */
export async function layoutProblems(g: FrameLocator): Promise<{ overlaps: string[]; clipped: string[]; boxes: Box[] }> {
  await withNameHelper(g);
  return g.locator('body').evaluate(() => {
    const boxes: { what: string; group: string; x: number; y: number; w: number; h: number }[] = [];
    const add = (group: string, sel: string, name: (el: Element) => string): void => {
      for (const el of document.querySelectorAll(sel)) {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || s.display === 'none') continue;
        boxes.push({ what: name(el), group, x: r.x, y: r.y, w: r.width, h: r.height });
      }
    };
    add('head', '.compare .compare-head', () => 'pair head');
    add('frame', '.compare .pane .frame', (el) => `${el.closest('.pane')?.getAttribute('data-side')} picture`);
    add('stage', '.compare .stage', () => 'stage');
    for (const c of ['pane-line', 'pane-path', 'pane-meta', 'pane-reason'])
      add(`caption-${c}`, `.compare .pane figcaption .${c}`, (el) => `${el.closest('.pane')?.getAttribute('data-side')} ${c}`);
    add('frames', '.compare .frames', () => 'matched frames');
    add('button', '.compare .actions vscode-button', (el) => `button ${el.getAttribute('data-action')}`);
    const overlaps: string[] = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        if (a.group === b.group && a.group === 'button') continue; // buttons sit beside each other in one toolbar
        const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
        const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
        if (ox > 1 && oy > 1) overlaps.push(`${a.what} / ${b.what}`);
      }
    const clipped = boxes.filter((b) => b.y + b.h > window.innerHeight + 1 || b.x + b.w > window.innerWidth + 1).map((b) => b.what);
    return { overlaps, clipped, boxes: boxes.map(({ what, x, y, w, h }) => ({ what, x, y, w, h })) };
  });
}

/** The pair rows' names that their column cuts (an ellipsis at the end on top of the one in the middle). */
export async function namesCutTwice(g: FrameLocator): Promise<string[]> {
  return g
    .locator('#pair-list .row-name')
    .evaluateAll((els) => els.filter((el) => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent ?? ''));
}

/**
 * The pair rows' badges their column cuts, as "short form (long label)". Below 1200 px a badge shows its
 * short form, which fits: the long one was cut to "auto: rem…", which did not say which file goes.
 */
export async function badgesCut(g: FrameLocator): Promise<string[]> {
  return g
    .locator('#pair-list .row-meta .badge')
    .evaluateAll((els) =>
      els
        .filter((el) => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
        .map((el) => `${el.getAttribute('data-short') ?? ''} (${el.textContent ?? ''})`),
    );
}

/** How many rows of the pair list are wholly inside the list's box (what a person sees of it). */
export async function pairRowsShown(g: FrameLocator): Promise<number> {
  await withNameHelper(g);
  return g.locator('#pair-list').evaluate((list) => {
    const box = list.getBoundingClientRect();
    return [...list.querySelectorAll('[role="option"]')].filter((row) => {
      const r = row.getBoundingClientRect();
      return r.height > 0 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
    }).length;
  });
}

/**
 * The contrast of each key hint (the <kbd> on the triage buttons) against what is behind it, from the
 * computed colours: the first opaque background up the flat tree (through the button's shadow root),
 * semi-transparent layers composited over it, the element's own opacity applied to its text.
 */
export async function keyHintContrast(g: FrameLocator): Promise<{ min: number; worst: string; n: number }> {
  await withNameHelper(g);
  return g.locator('body').evaluate(() => {
    type Rgba = [number, number, number, number];
    const parse = (c: string): Rgba => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return [0, 0, 0, 0];
      const p = m[1]!
        .split(/[ ,/]+/)
        .filter(Boolean)
        .map(Number);
      return [p[0]!, p[1]!, p[2]!, p[3] ?? 1];
    };
    const over = (top: Rgba, under: Rgba): Rgba => {
      const a = top[3] + under[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      return [0, 1, 2].map((k) => (top[k]! * top[3] + under[k]! * under[3] * (1 - top[3])) / a).concat(a) as Rgba;
    };
    const parentOf = (el: Element): Element | null => el.assignedSlot ?? el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null);
    const lum = (c: Rgba): number => {
      const ch = [c[0], c[1], c[2]].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * ch[0]! + 0.7152 * ch[1]! + 0.0722 * ch[2]!;
    };
    let min = Infinity;
    let worst = '';
    const kbds = [...document.querySelectorAll('.compare .actions vscode-button kbd')];
    for (const k of kbds) {
      // Layers from the kbd up to the first opaque one.
      const layers: Rgba[] = [];
      let opacity = 1;
      for (let el: Element | null = k; el; el = parentOf(el)) {
        const s = getComputedStyle(el);
        opacity *= Number(s.opacity);
        const bg = parse(s.backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      let bg: Rgba = parse(getComputedStyle(document.body).backgroundColor);
      if (bg[3] < 1) bg = [255, 255, 255, 1];
      for (const l of layers.reverse()) bg = over(l, bg);
      const fgRaw = parse(getComputedStyle(k).color);
      const fg = over([fgRaw[0], fgRaw[1], fgRaw[2], fgRaw[3] * opacity], bg);
      const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (l1! + 0.05) / (l2! + 0.05);
      if (ratio < min) {
        min = ratio;
        worst = `${k.closest('vscode-button')?.getAttribute('data-action')}: ${getComputedStyle(k).color} on rgb(${bg.slice(0, 3).map(Math.round).join(',')})`;
      }
    }
    return { min, worst, n: kbds.length };
  });
}

export const THEMES: readonly (readonly [theme: string, bodyClass: string, name: string])[] = [
  ['Dark Modern', 'vscode-dark', 'dark'],
  ['Light Modern', 'vscode-light', 'light'],
  ['Dark High Contrast', 'vscode-high-contrast', 'dark-hc'],
  ['Light High Contrast', 'vscode-high-contrast-light', 'light-hc'],
];

/**
 * Tabs through the gallery `presses` times and, for each element that takes the focus, reads whether a
 * focus ring is drawn (an outline or a box shadow on it, on its focused inner element, or on the focused
 * row of a list). Returns the elements without one.
 */
export async function focusWithoutRing(ctx: UxContext, presses: number): Promise<{ reached: number; missing: string[] }> {
  await withNameHelper(ctx.g());
  await ctx.g().locator('#pair-list').focus();
  const missing = new Set<string>();
  const reached = new Set<string>();
  for (let i = 0; i < presses; i++) {
    await ctx.page.keyboard.press('Tab');
    const r = await ctx
      .g()
      .locator('body')
      .evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return undefined;
        const inner = el.shadowRoot?.activeElement ?? el.shadowRoot?.querySelector('[part], button, input, [tabindex]') ?? el;
        const ring = (e: Element): boolean => {
          const s = getComputedStyle(e);
          return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) || (s.boxShadow !== 'none' && s.boxShadow !== '');
        };
        const name = el.getAttribute('data-action') ?? el.getAttribute('aria-label') ?? el.id ?? `${el.tagName.toLowerCase()}.${el.className}`.slice(0, 40);
        return { name: `${el.tagName.toLowerCase()} ${name}`, ok: ring(el) || ring(inner) };
      });
    if (!r) continue;
    reached.add(r.name);
    if (!r.ok) missing.add(r.name);
  }
  await ctx.page.keyboard.press('Escape');
  return { reached: reached.size, missing: [...missing] };
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: readonly string[];
}

/**
 * axe-core (from npm) run inside the gallery's frame, on the page as it is now: every violation with its
 * impact. The script is read from node_modules and evaluated in the frame (the page's CSP does not apply
 * to the test's own evaluation).
 */
export async function axeViolations(g: FrameLocator): Promise<AxeViolation[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await withNameHelper(g);
  await g.locator('body').evaluate(`${source}\n;typeof axe`);
  return g.locator('body').evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: any[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact ?? 'unknown', help: v.help, targets: v.nodes.slice(0, 5).map((n: any) => String(n.target)) }));
  });
}

/** The live region after a move: "Pair N of M, <verdict>". */
export async function announcementAfter(ctx: UxContext, key: string): Promise<string> {
  await ctx.g().locator('#pair-list').focus();
  const before = (await ctx.g().locator('#announcer').textContent()) ?? '';
  await ctx.page.keyboard.press(key);
  return until(
    'the live region to announce the pair',
    async () => {
      const t = (await ctx.g().locator('#announcer').textContent()) ?? '';
      return t !== before && /^Pair [\d,]+ of [\d,]+, /.test(t) ? t : undefined;
    },
    10_000,
    100,
  );
}

/**
 * Copies of one picture whose names differ only near their start and share a long end
 * ("0001_holiday_at_the_lake_…_exact_copy.jpg"), scanned in an 800 px window with the side bar open: a
 * pair row cut to its room in the middle showed both names as the same tail. What each row on screen
 * shows: rows whose two names read the same though their paths differ, and rows the page shortened apart;
 * and over the whole list, names shown for two different files in different rows.
 */
export async function lookalikeNames(ctx: UxContext): Promise<{
  rows: number;
  apart: number;
  alike: string[];
  /** How many different files the whole list names, and the names it shows for more than one of them. */
  listedFiles: number;
  sameName: string[];
  names: string[];
  captions: { text: string; direction: string }[];
  sharedStart: { text: string; differenceShown: boolean }[];
}> {
  const { page, g } = ctx;
  const dir = join(ctx.workspace, 'lookalike');
  mkdirSync(dir, { recursive: true });
  const picture = readdirSync(join(ctx.workspace, 'originals')).filter((f) => f.endsWith('.jpg'))[0]!;
  const tail = `${'holiday_at_the_lake_'.repeat(3)}exact_copy.jpg`;
  for (const n of ['0001', '0002', '0003']) copyFileSync(join(ctx.workspace, 'originals', picture), join(dir, `${n}_${tail}`));
  // Two more sharing a long start too: from their folder on, the caption's box was filled before the difference.
  const start = 'summer_trip_to_the_lake_at_dawn_';
  for (const n of ['0001', '0002']) copyFileSync(join(ctx.workspace, 'originals', picture), join(dir, `${start}${n}_${tail}`));
  // Four sharing a long start whose rows each told their two apart at the same place (08216 | 08217): cut
  // row by row, 08216…v1 and 08216…v2 read the same in different rows (their v1 | v2 is further on).
  for (const n of ['08216', '08217'])
    for (const v of ['v1', 'v2'])
      copyFileSync(join(ctx.workspace, 'originals', picture), join(dir, `${start}${n}_${'holiday_at_the_lake_'.repeat(2)}${v}_${tail}`));
  await page.setViewportSize({ width: 800, height: 700 });
  if (!(await page.locator('#workbench\\.parts\\.sidebar').isVisible())) await runCommand(page, 'View: Show Explorer');
  await scanFolderFromPalette(page, 'dataset/lookalike');
  await until(
    'the lookalike pairs listed',
    async () =>
      ((await g().locator('#app').getAttribute('data-root-name')) === 'lookalike' && (await g().locator('#pair-list .row[data-pair-index]').count()) >= 2) ||
      undefined,
    60_000,
    200,
  );
  await sleep(800); // the names are fitted to the row's measured room on the next frame
  const shown = await g()
    .locator('#pair-list')
    .evaluate((list) =>
      [...list.querySelectorAll<HTMLElement>('.row[data-pair-index]')]
        .filter((r) => r.getBoundingClientRect().height > 0)
        .map((r) => ({
          apart: r.hasAttribute('data-names-apart'),
          numbered: [...r.querySelectorAll<HTMLElement>('.row-name')].every((n) => /^000\d_/.test(n.title)),
          names: [...r.querySelectorAll<HTMLElement>('.row-name')].map((n) => ({ text: n.textContent ?? '', path: n.title })),
        })),
    );
  // Every row of the list, scrolled through (rows off screen are not laid out): no name is shown for two
  // different files.
  const scrolled = await g()
    .locator('#pair-list')
    .evaluate(async (list, start) => {
      const seen: { text: string; path: string }[] = [];
      // Where the row of the two sharing a long start shows (checked below).
      let sharedStartTop = -1;
      // (No named helper here: the page has no __name for it.)
      for (let top = 0; ; top += Math.max(1, Math.floor(list.clientHeight / 2))) {
        list.scrollTop = top;
        await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
        for (const n of list.querySelectorAll<HTMLElement>('.row[data-pair-index] .row-name')) seen.push({ text: n.textContent ?? '', path: n.title });
        const rows = [...list.querySelectorAll<HTMLElement>('.row[data-pair-index]')];
        if (sharedStartTop < 0 && rows.some((r) => [...r.querySelectorAll<HTMLElement>('.row-name')].every((n) => n.title.startsWith(`${start}000`))))
          sharedStartTop = top;
        if (top + list.clientHeight >= list.scrollHeight) break;
      }
      list.scrollTop = 0;
      await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
      return { seen, sharedStartTop };
    }, start);
  const listed = scrolled.seen;
  const pathsOf = new Map<string, Set<string>>();
  for (const { text, path } of listed) pathsOf.set(text, (pathsOf.get(text) ?? new Set()).add(path));
  const sameName = [...pathsOf].filter(([, ps]) => ps.size > 1).map(([text, ps]) => `"${text}": ${[...ps].join(' | ')}`);
  // The compare view's two captions too: cut at their start, both showed "…lake_exact_copy.jpg".
  const captions = await g()
    .locator('.compare .pane-path')
    .evaluateAll((els) => els.map((el) => ({ text: el.textContent ?? '', direction: getComputedStyle(el).direction })));
  await ctx.shots.take(page, 'narrow-800-lookalike-names');
  await g().locator('.compare .pane-path').first().scrollIntoViewIfNeeded();
  await ctx.shots.take(page, 'narrow-800-lookalike-pair');
  // The pair of the two sharing a long start: each caption's differing number is inside its box. Its row is
  // further down the list: scrolled to where it showed and clicked there (the list recycles its row elements
  // as it scrolls, so a click from outside after its own scrolling can land on another row).
  const at = await g()
    .locator('#pair-list')
    .evaluate(
      async (list, [top, start]) => {
        list.scrollTop = Math.max(0, top);
        await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
        const row = [...list.querySelectorAll<HTMLElement>('.row[data-pair-index]')].find(
          (r) => r.getBoundingClientRect().height > 0 && [...r.querySelectorAll<HTMLElement>('.row-name')].every((n) => n.title.startsWith(`${start}000`)),
        );
        row?.click();
        return row?.getAttribute('data-pair-index') ?? null;
      },
      [scrolled.sharedStartTop, start] as const,
    );
  if (at === null) throw new Error('no row pairs the two names sharing a long start');
  await until(
    'the shared-start pair in the compare view',
    async () => ((await g().locator('.compare').getAttribute('data-left-path')) ?? '').startsWith(start) || undefined,
    10_000,
    100,
  );
  await sleep(300);
  const sharedStart = await g()
    .locator('.compare .pane-path')
    .evaluateAll((els) =>
      els.map((el) => {
        const text = el.textContent ?? '';
        const node = [...el.childNodes].find((c) => c.nodeType === Node.TEXT_NODE && /000\d/.test(c.textContent ?? ''));
        const k = node ? (node.textContent ?? '').search(/000\d/) : -1;
        if (!node || k < 0) return { text, differenceShown: false };
        const range = document.createRange();
        range.setStart(node, k);
        range.setEnd(node, k + 4);
        const r = range.getBoundingClientRect();
        const box = el.getBoundingClientRect();
        return { text, differenceShown: r.width > 0 && r.left >= box.left - 1 && r.right <= box.right + 1 };
      }),
    );
  await ctx.shots.take(page, 'narrow-800-lookalike-shared-start');
  const numbered = shown.filter((r) => r.numbered);
  const alike = shown.filter((r) => r.names.length === 2 && r.names[0]!.text === r.names[1]!.text && r.names[0]!.path !== r.names[1]!.path);
  return {
    rows: numbered.length,
    apart: numbered.filter((r) => r.apart).length,
    alike: alike.map((r) => `${r.names[0]!.path} | ${r.names[1]!.path}: both "${r.names[0]!.text}"`),
    listedFiles: new Set(listed.map((n) => n.path)).size,
    sameName,
    names: shown.map((r) => r.names.map((n) => n.text).join(' | ')),
    captions,
    sharedStart,
  };
}

/** A folder with no image or video: its gallery says so, with where it looked and what it looks for. */
export async function emptyFolderState(ctx: UxContext): Promise<{ summary: string; message: string }> {
  mkdirSync(join(ctx.workspace, 'empty', 'notes'), { recursive: true });
  writeFileSync(join(ctx.workspace, 'empty', 'notes', 'readme.txt'), 'no pictures here\n');
  await scanFolderFromPalette(ctx.page, 'dataset/empty');
  const summary = await until(
    'the empty folder state',
    async () => {
      const t = (await ctx.g().locator('#summary').textContent()) ?? '';
      return /^empty: no images or videos found$/.test(t) ? t : undefined;
    },
    60_000,
    200,
  );
  const message = (await ctx.g().locator('.compare .compare-empty').textContent()) ?? '';
  await ctx.shots.take(ctx.page, 'empty-folder');
  return { summary, message };
}

/**
 * A video pair's Flicker and Overlay: two short clips made with ffmpeg (one a resized copy of the other)
 * are scanned; Space flickers between the frames of the first matched moment (stills the host grabs at
 * those timestamps) and O overlays them. Undefined when there is no ffmpeg to make the clips.
 */
export async function videoPairFlicker(ctx: UxContext): Promise<{ flicker: string; overlay: string; frames: string[] } | undefined> {
  const { page, g } = ctx;
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const dir = join(ctx.workspace, 'videos');
  mkdirSync(dir, { recursive: true });
  const ff = (...args: string[]): void => void execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...args], { stdio: 'ignore' });
  ff('-f', 'lavfi', '-i', 'testsrc=duration=4:size=320x240:rate=10', '-pix_fmt', 'yuv420p', join(dir, 'clip.mp4'));
  ff('-i', join(dir, 'clip.mp4'), '-vf', 'scale=160:120', '-pix_fmt', 'yuv420p', join(dir, 'clip-small.mp4'));
  await scanFolderFromPalette(page, 'dataset/videos');
  await until('the video pair', async () => /^videos: 1 pair/.test((await g().locator('#summary').textContent()) ?? ''), 120_000, 300);
  await g().locator('.compare[data-pair-index] .frames .frame-row').first().waitFor({ timeout: 30_000 });
  await g().locator('#pair-list').focus();
  await page.keyboard.press(' ');
  const stageLoaded = (): Promise<string[] | undefined> =>
    g()
      .locator('.compare .stage')
      .evaluate((stage) => {
        const imgs = [...stage.querySelectorAll('img')] as HTMLImageElement[];
        return imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth > 0 && /\.png/.test(i.src)) ? imgs.map((i) => i.src) : undefined;
      });
  const frames = await until('both matched frames on the stage', stageLoaded, 30_000, 200);
  const flicker = (await g().locator('.compare .stage-label').textContent()) ?? '';
  await ctx.shots.take(page, 'video-flicker');
  await page.keyboard.press('o');
  const overlay = await until(
    'the overlay label',
    async () => {
      const t = (await g().locator('.compare .stage-label').textContent()) ?? '';
      return /^Right over left/.test(t) ? t : undefined;
    },
    10_000,
  );
  await ctx.shots.take(page, 'video-overlay');
  await page.keyboard.press('o');
  await page.keyboard.press('o');
  return { flicker, overlay, frames };
}
