// Entry of dist/searchWorker.js: one thread of an exact search. Everything it reads (hashes, tiles,
// item ids) is shared memory set up by src/core/search/engine.ts; it takes tiles until none are
// left and sends back the pairs it found.
import { parentPort, workerData } from 'node:worker_threads';
import type { SearchWorkerData } from '../search/engine.js';
import { runTiles } from '../search/runner.js';

const { job, thread } = workerData as SearchWorkerData;
const found = runTiles(job, thread);
parentPort!.postMessage(found, [found.i.buffer as ArrayBuffer, found.j.buffer as ArrayBuffer, found.d.buffer as ArrayBuffer]);
