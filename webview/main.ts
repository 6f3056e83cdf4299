// Gallery entry point: registers the @vscode-elements components, builds the app, listens, then says `ready` once.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { App } from './app.js';
import { connect, hostMessage, sayReady } from './vscodeApi.js';
import type { HostMessage } from '../src/shared/protocol.js';

const host = connect();
const app = new App(host);
let heard: (m: HostMessage) => void = () => undefined;
window.addEventListener('message', (e: MessageEvent) => {
  const m = hostMessage(e, window.origin);
  if (!m) return;
  heard(m);
  app.handle(m);
});
// Only now that the page listens may the host send state. The host listens before it shows or restores
// anything and answers every `ready`; the page asks again until it hears an answer (sayReady says why).
heard = sayReady(host.post, window);
