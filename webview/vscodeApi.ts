/** The one acquireVsCodeApi() call, typed with our protocol, and the one check on what arrives from the host. */
import type { HostMessage, WebviewMessage } from '../src/shared/protocol.js';
import { isHostMessage } from '../src/shared/protocol.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Host {
  post(m: WebviewMessage): void;
  getState(): unknown;
  setState(s: unknown): void;
}

export function connect(): Host {
  const api = acquireVsCodeApi();
  return {
    post: (m) => api.postMessage(m),
    getState: () => api.getState(),
    setState: (s) => api.setState(s),
  };
}

/**
 * The host's message in a `message` event, or undefined. VS Code's webview frame relays the extension's
 * messages to this page with postMessage targeted at this page's own origin (the frame hides
 * `window.parent` from the page, so the origin is what can be checked); a message from any other origin,
 * or one not shaped like a host message, is ignored.
 */
export function hostMessage(e: { readonly origin: string; readonly data: unknown }, ownOrigin: string): HostMessage | undefined {
  return e.origin === ownOrigin && isHostMessage(e.data) ? e.data : undefined;
}

/** Host messages that answer a `ready`: the page's state, an error in its place, or the status of a scan under way. */
const ANSWERS: ReadonlySet<HostMessage['type']> = new Set(['gallery/init', 'gallery/error', 'scan/status']);

export interface Timers {
  setInterval(f: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/**
 * Says `ready`, and says it again every `everyMs` until the host answers (at most `tries` times). The host
 * answers every `ready` with the whole state, so one a page load is enough in principle; but a page that
 * VS Code reloads while it moves the editor to another group can lose the answer, and the gallery then
 * stayed on "Loading the gallery…" (2 of 3 moves on a busy machine). The pause is long enough that a big
 * state still on its way is not asked for twice. Returns what the page's listener calls with each message.
 */
export function sayReady(post: (m: WebviewMessage) => void, timers: Timers, everyMs = 5000, tries = 12): (m: HostMessage) => void {
  let left = tries;
  post({ type: 'ready' });
  const handle = timers.setInterval(() => {
    if (--left <= 0) timers.clearInterval(handle);
    else post({ type: 'ready' });
  }, everyMs);
  return (m) => {
    if (left > 0 && ANSWERS.has(m.type)) {
      left = 0;
      timers.clearInterval(handle);
    }
  };
}
