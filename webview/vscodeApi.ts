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
