/**
 * Worker-thread entry: runs the engine's scan off the extension host's thread, so VS Code stays responsive
 * however long hashing takes. No `vscode` here. Bundled to dist/scanWorker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compareAgainst } from '../../core/query/compare.js';
import { findSimilar } from '../../core/query/findSimilar.js';
import { scanDecisionsOf } from '../../core/decisions/scanDecisions.js';
import { scanFolder } from '../../core/scan/scanFolder.js';
import type { CancelSignal, ScanProgress } from '../../core/types.js';
import type { FromWorker, ScanWorkerData } from './workerProtocol.js';

const data = workerData as ScanWorkerData;
const flag = new Int32Array(data.cancelFlag);
const post = (m: FromWorker): void => parentPort!.postMessage(m);

const signal: CancelSignal = {
  get cancelled() {
    return Atomics.load(flag, 0) === 1;
  },
};

// Progress arrives far more often than a notification can show: forward at most ~10 per second.
let last = 0;
function onProgress(p: ScanProgress): void {
  const now = Date.now();
  if (p.phase === 'done' || p.done === p.total || now - last >= 100) {
    last = now;
    post({ type: 'progress', progress: p });
  }
}

function fail(err: unknown): void {
  const e = err as { code?: unknown; message?: unknown; stack?: unknown };
  const internal = typeof e?.code !== 'string';
  // Engine errors carry a code and a message a person can act on; only unexpected ones need the stack.
  post({
    type: 'error',
    code: internal ? 'INTERNAL' : (e.code as string),
    message: String(e?.message ?? err) + (internal && typeof e?.stack === 'string' ? `\n${e.stack}` : ''),
  });
}

if (data.query) {
  findSimilar(data.query).then((output) => post({ type: 'query', output }), fail);
} else if (data.compare) {
  compareAgainst({ ...data.compare, log: (message) => post({ type: 'log', message }) }).then((output) => post({ type: 'compare', output }), fail);
} else {
  // The engine looks ffmpeg up in the setting (an empty one means unset), then PATH, then the bundled build.
  const options = data.ffmpegPath ? { ...data.options, ffmpegPath: data.ffmpegPath } : data.options;
  scanFolder(data.root, options, { onProgress, signal, log: (message) => post({ type: 'log', message }) }).then((result) => {
    const clusters = scanDecisionsOf(result)?.clusters;
    post({ type: 'result', result, ...(clusters ? { clusters } : {}) });
  }, fail);
}
