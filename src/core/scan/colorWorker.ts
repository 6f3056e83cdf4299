// Entry of dist/colorWorker.js: one slice of a scan's colour check (colorStage.ts), answered with
// verifyPairs and sent back as one byte per question.
import { parentPort, workerData } from 'node:worker_threads';
import { answerColorJob, type ColorJob } from './colorStage.js';

const answers = answerColorJob(workerData as ColorJob);
parentPort!.postMessage(answers, [answers.buffer as ArrayBuffer]);
