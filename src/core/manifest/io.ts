import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MediaError } from '../errors.js';
import { canonicalize, serializeManifest } from './canonical.js';
import type { Manifest } from './types.js';
import { validateManifest } from './validate.js';

/**
 * Reads and validates a manifest. Returns null when the file does not exist; throws a MediaError
 * (INVALID_OPTION, naming the file and what is wrong) when it exists but is not a valid v1 manifest:
 * a broken manifest must stop the command rather than be silently replaced, since it holds decisions.
 */
export async function readManifest(path: string): Promise<Manifest | null> {
  let text: string;
  try {
    text = await fsp.readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new MediaError('UNREADABLE', `The manifest cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new MediaError(
      'INVALID_OPTION',
      `${path} is not valid JSON (${(e as Error).message}); fix it (git diff shows what changed) or delete it to start over`,
      path,
    );
  }
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > 1) {
    throw new MediaError('INVALID_OPTION', `${path} is a version ${version} manifest, written by a newer media-dedupe; this one reads version 1`, path);
  }
  const errors = validateManifest(value);
  if (errors.length > 0) {
    const more = errors.length > 5 ? ` (and ${errors.length - 5} more)` : '';
    throw new MediaError('INVALID_OPTION', `${path} is not a valid dedupe manifest: ${errors.slice(0, 5).join('; ')}${more}`, path);
  }
  return canonicalize(value as Manifest);
}

/**
 * Writes a manifest atomically (temp file in the same folder, then rename), so a reader or a crash never
 * sees half a file. The bytes are canonical (sorted, 2-space JSON, trailing newline); when the file
 * already holds exactly these bytes it is left untouched, so its mtime does not change either.
 * Returns whether the file was written.
 */
export async function writeManifest(path: string, manifest: Manifest): Promise<boolean> {
  const text = serializeManifest(manifest);
  try {
    if ((await fsp.readFile(path, 'utf8')) === text) return false;
  } catch {
    // absent or unreadable: write it
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    await fsp.writeFile(tmp, text);
    await fsp.rename(tmp, path);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
  return true;
}
