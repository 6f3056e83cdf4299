// Gallery entry point: registers the @vscode-elements components, builds the app, listens, then says `ready` once.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { App } from './app.js';
import { connect, hostMessage } from './vscodeApi.js';

const host = connect();
const app = new App(host);
window.addEventListener('message', (e: MessageEvent) => {
  const m = hostMessage(e, window.origin);
  if (m) app.handle(m);
});
// Only now that the page listens may the host send state. The host listens before it shows or restores
// anything, so one `ready` per page load is enough: it answers when it has something to show.
host.post({ type: 'ready' });
