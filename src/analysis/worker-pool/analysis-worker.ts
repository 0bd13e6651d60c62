import { parentPort } from 'node:worker_threads';
import { type AnalysisRequest, answer } from './analysis-request.js';

/** A thread of the analysis pool (worker-pool-analyzer.ts): answers each request in turn. */
const port = parentPort;
if (port === null) throw new Error('analysis-worker runs only as a worker thread');
port.on('message', (request: AnalysisRequest) => port.postMessage(answer(request)));
