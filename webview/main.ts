// Gallery entry point: registers the @vscode-elements components, builds the app, and says `ready`.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { isHostMessage } from '../src/shared/protocol.js';
import { App } from './app.js';
import { connect } from './vscodeApi.js';

const host = connect();
const app = new App(host);
window.addEventListener('message', (e: MessageEvent) => {
  if (isHostMessage(e.data)) app.handle(e.data);
});
// Only now that the page listens may the host send state. Until the state arrives, say it again now and
// then: a page restored after a window reload can come up before its host is listening.
host.post({ type: 'ready' });
let tries = 0;
const again = setInterval(() => {
  if (app.hasState || ++tries > 10) clearInterval(again);
  else host.post({ type: 'ready' });
}, 2000);
