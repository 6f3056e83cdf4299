/**
 * Worker-thread entry: runs the engine's scan off the extension host's thread, so VS Code stays responsive
 * however long hashing takes. No `vscode` here. Bundled to dist/scanWorker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
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

// The engine looks ffmpeg up in the setting, then PATH, then the bundled build; the setting travels by env.
if (data.ffmpegPath) process.env['MEDIA_DEDUPE_FFMPEG'] = data.ffmpegPath;

// Progress arrives far more often than a notification can show: forward at most ~10 per second.
let last = 0;
function onProgress(p: ScanProgress): void {
  const now = Date.now();
  if (p.phase === 'done' || p.done === p.total || now - last >= 100) {
    last = now;
    post({ type: 'progress', progress: p });
  }
}

scanFolder(data.root, data.options, { onProgress, signal, log: (message) => post({ type: 'log', message }) }).then(
  (result) => post({ type: 'result', result }),
  (err: unknown) => {
    const e = err as { code?: unknown; message?: unknown; stack?: unknown };
    post({ type: 'error', code: typeof e?.code === 'string' ? e.code : 'INTERNAL', message: String(e?.message ?? err) + (typeof e?.stack === 'string' ? `\n${e.stack}` : '') });
  },
);
