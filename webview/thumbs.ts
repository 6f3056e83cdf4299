/**
 * Thumbnail URIs for large or browser-unreadable files. The host makes them with sharp and caches them on
 * disk; here we only batch requests for what is on screen and remember the answers.
 */
import type { FileEntry } from './files.js';
import type { WebviewMessage } from '../src/shared/protocol.js';
import { MAX_THUMB_REQUEST } from '../src/shared/protocol.js';

export class Thumbs {
  private readonly ready = new Map<number, string>();
  private readonly requested = new Set<number>();
  private pending: number[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly post: (m: WebviewMessage) => void) {}

  reset(): void {
    this.ready.clear();
    this.requested.clear();
    this.pending = [];
  }

  /** The URI to show for a file in a small slot: its thumbnail when it needs one (asked for on first use), else the file. */
  small(index: number, file: FileEntry): string | undefined {
    if (!file.thumb) return file.uri;
    const uri = this.ready.get(index);
    if (uri) return uri;
    this.want(index);
    return undefined;
  }

  /** The URI for the large compare view: the file itself when the browser can show it, else its thumbnail. */
  large(index: number, file: FileEntry): string | undefined {
    return file.renderable ? file.uri : this.small(index, file);
  }

  accept(items: readonly { file: number; uri: string }[]): void {
    for (const it of items) this.ready.set(it.file, it.uri);
  }

  /** A file changed on disk: its thumbnail is asked for again (the host makes a new one for the new content). */
  forget(index: number): void {
    this.ready.delete(index);
    this.requested.delete(index);
  }

  private want(index: number): void {
    if (this.requested.has(index)) return;
    this.requested.add(index);
    this.pending.push(index);
    // One message per frame's worth of rows instead of one per image.
    if (!this.timer) this.timer = setTimeout(() => this.flush(), 30);
  }

  private flush(): void {
    this.timer = undefined;
    while (this.pending.length > 0) {
      const files = this.pending.splice(0, MAX_THUMB_REQUEST);
      this.post({ type: 'thumbs/request', files });
    }
  }
}
