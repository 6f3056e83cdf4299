// Entry of dist/lshWorker.js: one thread of an LSH search, running its share of the tables over the
// shared hashes (see lsh.ts) and sending back its verified pairs.
import { parentPort, workerData } from 'node:worker_threads';
import { runLshTables, type LshJob } from './lshKernel.js';
import { transferables } from './pairSet.js';

const r = runLshTables(workerData as LshJob);
parentPort!.postMessage(r, transferables(r.pairs));
