/** Files as the webview uses them: the protocol's FileView plus its webview URI, computed once per init. */
import type { FileView, GalleryInit } from '../src/shared/protocol.js';
import { fileUri } from '../src/shared/protocol.js';

export type FileEntry = FileView & { readonly uri: string };

export function withUris(init: GalleryInit): FileEntry[] {
  return init.files.map((f) => ({ ...f, uri: fileUri(init.baseUri, f.path, f.version) }));
}

/** The files after the host saw some change on disk: those get their new version, hence a new URI. */
export function withVersions(baseUri: string, files: readonly FileEntry[], items: readonly { file: number; version: string }[]): FileEntry[] {
  const out = files.slice();
  for (const { file, version } of items) {
    const f = out[file];
    if (f) out[file] = { ...f, version, uri: fileUri(baseUri, f.path, version) };
  }
  return out;
}
