/** The one acquireVsCodeApi() call, typed with our protocol. */
import type { WebviewMessage } from '../src/shared/protocol.js';

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
