/**
 * Worker-thread entry for the "workers" hashing pipeline: each worker decodes and hashes the paths it is
 * sent with its own in-flight pipeline and posts outcomes back in small batches.
 */
import { parentPort } from 'node:worker_threads';
import { toMediaError } from '../errors.js';
import { prepareHashers } from '../hashing/hashImage.js';
import { HashPipeline } from '../hashing/pipeline.js';
import type { FromWorker, ToWorker } from '../hashing/protocol.js';
import type { HashOutcome } from '../hashing/types.js';

const port = parentPort;
if (!port) throw new Error('hashWorker must run in a worker thread');

let pipeline: HashPipeline | undefined;
let batch: Array<readonly [number, HashOutcome]> = [];
let flushQueued = false;

const post = (m: FromWorker): void => port.postMessage(m);

// One message per file costs more than the hash itself for small images; flush once per turn instead.
function flush(): void {
  flushQueued = false;
  if (batch.length === 0) return;
  const items = batch;
  batch = [];
  post({ type: 'outcomes', items });
}

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'init':
      try {
        const s = m.settings;
        pipeline = new HashPipeline({
          hashers: prepareHashers(s.hashers),
          isometric: s.isometric,
          colorSignature: s.colorSignature,
          cropResistant: s.cropResistant,
          fingerprint: s.fingerprint,
          keepStats: s.keepStats,
          format: s.format,
          decode: s.decode,
          inFlight: s.inFlight,
          onOutcome: (o, i) => {
            batch.push([i, o]);
            if (!flushQueued) {
              flushQueued = true;
              setImmediate(flush);
            }
          },
        });
        post({ type: 'ready' });
      } catch (e) {
        const err = toMediaError(e);
        post({ type: 'initError', code: err.code, message: err.message });
      }
      break;
    case 'paths':
      for (const [i, p] of m.items) pipeline?.push(i, p);
      break;
    case 'stop':
      pipeline?.stop();
      break;
  }
});
