/** Files as the webview uses them: the protocol's FileView plus its webview URI, computed once per init. */
import type { FileView, GalleryInit } from '../src/shared/protocol.js';
import { fileUri } from '../src/shared/protocol.js';

export type FileEntry = FileView & { readonly uri: string };

export function withUris(init: GalleryInit): FileEntry[] {
  return init.files.map((f) => ({ ...f, uri: fileUri(init.baseUri, f.src ?? f.path) }));
}
