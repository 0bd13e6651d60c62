/**
 * Trains the embedded analyzer's intent model (src/analysis/embedded/intent-model.ts) on every dev case of
 * the labelled sets and writes its weights beside it. Held-out cases are never read: the field set's
 * held-out files and the original set's held-out positions are left out, and a set still held out whole
 * is not loaded at all, so its one scoring stays clean.
 *
 *   npx tsx scripts/train-intent-model.ts           # writes src/analysis/embedded/intent-weights.json
 *   npx tsx scripts/train-intent-model.ts --check   # fails if the committed weights are not what training gives
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { intentTrainingExamples, trainIntentWeights } from '../test/unit/analysis/intent-training.js';

const WEIGHTS_FILE = new URL('../src/analysis/embedded/intent-weights.json', import.meta.url);
const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } }, strict: true });

const examples = intentTrainingExamples();
const written = `${JSON.stringify(trainIntentWeights(examples))}\n`;
if (values.check) {
  if (readFileSync(WEIGHTS_FILE, 'utf8') !== written) {
    console.error(
      'intent-weights.json is not what training on the dev cases gives: run scripts/train-intent-model.ts',
    );
    process.exit(1);
  }
  console.log(`intent-weights.json matches training on ${examples.length} dev cases`);
} else {
  writeFileSync(WEIGHTS_FILE, written);
  console.log(`trained on ${examples.length} dev cases; wrote ${WEIGHTS_FILE.pathname}`);
}
