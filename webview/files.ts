/** Files as the webview uses them: the protocol's FileView plus its webview URI, computed once per init. */
import type { FileView, GalleryInit } from '../src/shared/protocol.js';
import { fileUri } from '../src/shared/protocol.js';

export type FileEntry = FileView & { readonly uri: string };

export function withUris(init: GalleryInit): FileEntry[] {
  return init.files.map((f) => ({ ...f, uri: fileUri(init.baseUri, f.path, f.version) }));
}

const keys = new WeakMap<readonly FileEntry[], object>();

/**
 * What stays the same while the files' paths do: the arrays withVersions makes (a file changed on disk: a new
 * version, the same path) share the key of the one they were made from; each init's array has a new one. What
 * is made from the paths alone (the list's distinct names) is keyed on it, not on the array.
 */
export function pathsKey(files: readonly FileEntry[]): object {
  let key = keys.get(files);
  if (!key) keys.set(files, (key = {}));
  return key;
}

/** The files after the host saw some change on disk: those get their new version, hence a new URI. */
export function withVersions(baseUri: string, files: readonly FileEntry[], items: readonly { file: number; version: string }[]): FileEntry[] {
  const out = files.slice();
  for (const { file, version } of items) {
    const f = out[file];
    if (f) out[file] = { ...f, version, uri: fileUri(baseUri, f.path, version) };
  }
  keys.set(out, pathsKey(files));
  return out;
}
