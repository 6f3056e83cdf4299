/**
 * The e2e checks of what a person sees around the review itself: scan progress and cancel, layout,
 * contrast, accessibility, messages. Kept apart from gallery.e2e.ts (which calls them in order) so the
 * review checks and these can change without touching each other.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { runCommand, sleep, until, type Shots } from './workbench.js';

export interface UxContext {
  readonly page: Page;
  readonly workspace: string;
  readonly shared: string;
  readonly shots: Shots;
  readonly g: () => FrameLocator;
}

/** Picks a subfolder of the workspace in "Find Duplicates in Folder". */
export async function scanFolderFromPalette(page: Page, rel: string): Promise<void> {
  await runCommand(page, 'Media Dedupe: Find Duplicates in Folder');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(rel);
  await until(
    `${rel} in the pick`,
    async () =>
      new RegExp(rel.replace(/[/]/g, '\\/')).test((await page.locator('.quick-input-list .monaco-list-row').first().getAttribute('aria-label')) ?? ''),
    15_000,
  );
  await page.keyboard.press('Enter');
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

/** Every text the gallery's scan line and the notifications show, read every ~40 ms until `stop` says so. */
async function watchTexts(ctx: UxContext, stop: (seen: readonly string[]) => boolean, timeoutMs: number): Promise<string[]> {
  const seen: string[] = [];
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const status = await ctx
      .g()
      .locator('#scan-status')
      .textContent({ timeout: 500 })
      .catch(() => null);
    const toasts = await ctx.page
      .locator('.notifications-toasts .notification-list-item-message')
      .allTextContents()
      .catch(() => []);
    for (const t of [status, ...toasts]) if (t && seen.at(-1) !== t && !seen.includes(t)) seen.push(t);
    if (stop(seen)) return seen;
    await sleep(40);
  }
  throw new Error(`timed out; seen: ${JSON.stringify(seen)}`);
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
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'finding duplicates in bulk' });
  await toast.hover();
  await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
  const seen = await watchTexts(ctx, (s) => s.some((t) => /^Cancelled: /.test(t)), 60_000);
  await ctx.shots.take(page, 'scan-cancelled');
  assert.ok(
    seen.some((t) => /Cancelling…/.test(t)),
    `"Cancelling…" shown until the worker stopped: ${JSON.stringify(seen)}`,
  );
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
  await ctx.shots.take(page, 'scan-resumed');
  return { files, kept, seen };
}
