import { parentPort } from 'node:worker_threads';
import { type AnalysisRequest, answer } from '../../src/analysis/worker-pool/analysis-request.js';

/** The analysis pool's worker, except that a call whose transcript is CRASH ends the thread, as a fatal bug would. */
export const CRASH = 'CRASH';

parentPort?.on('message', (request: AnalysisRequest) => {
  if (request.call.transcription === CRASH) process.exit(70);
  parentPort?.postMessage(answer(request));
});
