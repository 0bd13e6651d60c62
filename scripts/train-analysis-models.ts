/**
 * Trains the embedded analyzer's models (src/analysis/embedded/analysis-models.ts) on every dev case of
 * the labelled sets and writes their weights beside them. Held-out cases are never read: the field set's
 * held-out files and the original set's held-out positions are left out, and a set still held out whole
 * is not loaded at all, so its one scoring stays clean.
 *
 *   npx tsx scripts/train-analysis-models.ts           # writes src/analysis/embedded/analysis-weights.json
 *   npx tsx scripts/train-analysis-models.ts --check   # fails if the committed weights are not what training gives
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { trainAnalysisWeights, trainingCases } from '../test/unit/analysis/model-training.js';

const WEIGHTS_FILE = new URL('../src/analysis/embedded/analysis-weights.json', import.meta.url);
const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } }, strict: true });

const cases = trainingCases();
const written = `${JSON.stringify(trainAnalysisWeights(cases))}\n`;
if (values.check) {
  if (readFileSync(WEIGHTS_FILE, 'utf8') !== written) {
    console.error(
      'analysis-weights.json is not what training on the dev cases gives: run scripts/train-analysis-models.ts',
    );
    process.exit(1);
  }
  console.log(`analysis-weights.json matches training on ${cases.length} dev cases`);
} else {
  writeFileSync(WEIGHTS_FILE, written);
  console.log(`trained on ${cases.length} dev cases; wrote ${WEIGHTS_FILE.pathname}`);
}
