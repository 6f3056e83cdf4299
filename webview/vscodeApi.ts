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
 * messages to this page with postMessage from the parent window, targeted at this page's own origin; a
 * message from any other window or origin (a frame inside the page, anything else that can reach it), or
 * one not shaped like a host message, is ignored.
 */
export function hostMessage(
  e: { readonly origin: string; readonly source: unknown; readonly data: unknown },
  own: { readonly origin: string; readonly parent: unknown },
): HostMessage | undefined {
  return e.origin === own.origin && e.source === own.parent && isHostMessage(e.data) ? e.data : undefined;
}
