/** Driving the VS Code workbench in Chromium: the command palette, the gallery's frames, screenshots. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it returns a truthy value (or throws the last error after `timeoutMs`). */
export async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
  // The explorer is up when the workspace folder's tree has rows.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90_000 });
}

/**
 * Runs a command through the palette by its full label ("Category: Title"). The palette lists the
 * commands known when it opened, and early key presses can be swallowed: both are retried.
 */
export async function runCommand(page: Page, label: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let attempt = 0;
  while (Date.now() < end) {
    attempt++;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    try {
      await input.waitFor({ state: 'visible', timeout: 3000 });
      // The palette can close again under us (a picker closing late): retry rather than wait.
      await input.fill(`>${label}`, { timeout: 3000 });
    } catch {
      await sleep(500);
      continue;
    }
    const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: label }) });
    try {
      await row.first().waitFor({ state: 'visible', timeout: 3000 });
      const labels = await page
        .locator('.quick-input-list .monaco-list-row')
        .evaluateAll((rows) => rows.map((r) => (r.getAttribute('aria-label') ?? '').split(',')[0]!.trim()));
      const exact = labels.findIndex((l) => l === label);
      if (exact < 0) throw new Error(`no exact match for "${label}" among ${JSON.stringify(labels)}`);
      await page.locator('.quick-input-list .monaco-list-row').nth(exact).click();
      return;
    } catch (err) {
      if (attempt % 3 === 0) console.log(`  (palette: "${label}" not listed yet: ${String(err).split('\n')[0]})`);
      await sleep(1000);
    }
  }
  throw new Error(`command "${label}" never appeared in the palette`);
}

/**
 * In the folder pick of a command: types `folder` (workspace/sub) and takes it once it is the first row.
 * The pick lists the workspace's folders asynchronously, slowly on a busy machine: waits up to 30 s.
 */
export async function pickFolder(page: Page, folder: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(folder, { timeout: 10_000 });
  await until(
    `${folder} in the pick`,
    async () => ((await page.locator('.quick-input-list .monaco-list-row').first().getAttribute('aria-label')) ?? '').includes(folder),
    30_000,
  );
  await page.keyboard.press('Enter');
}

/**
 * Runs a command that asks for a folder and picks `folder` in it. On a busy machine the pick can close
 * before the folder is typed (focus moved by the workbench; seen in "Find Duplicates in Folder" and "Check
 * Files Against Dataset…"): the command is run again, up to 3 times.
 */
export async function runCommandOnFolder(page: Page, command: string, folder: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, command);
    try {
      await pickFolder(page, folder);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      console.log(`  (the folder pick of "${command}" closed before "${folder}" was taken: ${String(err).split('\n')[0]}; again)`);
      await page.keyboard.press('Escape');
    }
  }
}

/** Labels of every palette entry starting with `prefix`. */
export async function paletteLabels(page: Page, prefix: string): Promise<string[]> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${prefix}`);
  await sleep(800);
  const labels = await page
    .locator('.quick-input-list .monaco-list-row')
    .evaluateAll((rows) => rows.map((r) => (r.getAttribute('aria-label') ?? '').split(',')[0]!.trim()));
  await page.keyboard.press('Escape');
  return labels;
}

/**
 * The gallery page shown: two iframes deep (the webview host, then its active frame). Each scanned folder
 * has a gallery of its own; the visible one is the one in front (one editor group).
 */
export function gallery(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
}

/** The gallery of the folder named `rootName` among those on screen (two editor groups show two). */
export async function galleryOf(page: Page, rootName: string): Promise<FrameLocator> {
  return until(`the gallery of ${rootName} on screen`, async () => {
    const frames = page.frameLocator('iframe.webview.ready:visible');
    const n = await page.locator('iframe.webview.ready:visible').count();
    for (let i = 0; i < n; i++) {
      const g = frames.nth(i).frameLocator('#active-frame');
      if (
        (await g
          .locator('#app')
          .getAttribute('data-root-name', { timeout: 1000 })
          .catch(() => null)) === rootName
      )
        return g;
    }
    return undefined;
  });
}

export class Shots {
  private n = 0;
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }
  async take(page: Page, name: string): Promise<string> {
    const file = join(this.dir, `${String(++this.n).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    return file;
  }
}

/** Picks a colour theme through "Preferences: Color Theme", as a person would. */
export async function setTheme(page: Page, theme: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  // The theme picker replaces the palette asynchronously: wait for it before typing.
  await until(
    'the colour theme picker',
    async () => /theme/i.test((await input.getAttribute('placeholder')) ?? '') || /theme/i.test((await input.getAttribute('aria-label')) ?? ''),
    15_000,
  );
  await input.fill(theme);
  await until(
    `"${theme}" first in the theme picker`,
    async () => {
      const first = await page.locator('.quick-input-list .monaco-list-row').first().getAttribute('aria-label');
      return (first ?? '').startsWith(theme);
    },
    10_000,
  );
  await page.keyboard.press('Enter');
  await page
    .locator('.quick-input-widget')
    .waitFor({ state: 'hidden', timeout: 10_000 })
    .catch(() => page.keyboard.press('Escape'));
}
