// Entry of dist/exactWorker.js: one thread of an exact search. Everything it reads (hashes, tiles, item
// ids) is shared memory set up by exact.ts; it takes tiles until none are left and sends back its pairs.
import { parentPort, workerData } from 'node:worker_threads';
import { runTiles, type SearchJob } from './exactKernel.js';
import { transferables } from './pairSet.js';

const { job, thread } = workerData as { job: SearchJob; thread: number };
const found = runTiles(job, thread);
parentPort!.postMessage(found, transferables(found));
