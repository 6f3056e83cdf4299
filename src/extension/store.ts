/**
 * The last scan result per folder, kept in the extension's storage so the gallery comes back after a
 * window reload without re-scanning. Written atomically; a file that does not parse is ignored
 * (rebuilt by the next scan, never trusted).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/files/atomicWrite.js';
import type { ScanResult } from '../core/types.js';

const VERSION = 1;

export class ResultStore {
  constructor(private readonly dir: string) {}

  private fileFor(root: string): string {
    return join(this.dir, 'scans', `${createHash('sha256').update(root).digest('hex').slice(0, 24)}.json`);
  }

  async save(result: ScanResult): Promise<void> {
    const file = this.fileFor(result.root);
    await mkdir(join(this.dir, 'scans'), { recursive: true });
    await writeFileAtomic(file, JSON.stringify({ version: VERSION, result }));
    await this.setLast(result.root);
  }

  async load(root: string): Promise<ScanResult | undefined> {
    try {
      const raw = JSON.parse(await readFile(this.fileFor(root), 'utf8')) as { version?: unknown; result?: ScanResult };
      if (raw.version !== VERSION || !raw.result || raw.result.root !== root || !Array.isArray(raw.result.pairs)) return undefined;
      return raw.result;
    } catch {
      return undefined;
    }
  }

  /** The result of the folder scanned last, if it is still stored. */
  async loadLast(): Promise<ScanResult | undefined> {
    const root = await this.lastRoot();
    return root ? this.load(root) : undefined;
  }

  async lastRoot(): Promise<string | undefined> {
    try {
      const raw = JSON.parse(await readFile(join(this.dir, 'last.json'), 'utf8')) as { root?: unknown };
      return typeof raw.root === 'string' ? raw.root : undefined;
    } catch {
      return undefined;
    }
  }

  private async setLast(root: string): Promise<void> {
    const file = join(this.dir, 'last.json');
    await writeFileAtomic(file, JSON.stringify({ root }));
  }
}
