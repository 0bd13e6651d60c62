import { describe, expect, it } from 'vitest';
import { IntentModel, TRAINED_INTENT_WEIGHTS } from '../../../src/analysis/embedded/intent-model.js';
import { intentTrainingCases, intentTrainingExamples, trainIntentWeights } from './intent-training.js';
import { FIELD_HELD_OUT_FILE, loadBlind3Cases, loadFieldCases, loadLabelledCases } from './labelled-cases.js';

describe('the intent model', () => {
  it('learns only from dev cases: no held-out case of any set is among what it is trained on', () => {
    const trainedOn = new Set(intentTrainingCases().map(({ file, id }) => `${file}/${id}`));
    const heldOut = [...loadLabelledCases(), ...loadFieldCases('all'), ...loadBlind3Cases()].filter(
      (labelled) => labelled.heldOut,
    );
    expect(heldOut.length).toBeGreaterThan(600);
    for (const { file, id } of heldOut) expect(trainedOn.has(`${file}/${id}`)).toBe(false);
    expect([...trainedOn].some((key) => FIELD_HELD_OUT_FILE.test(key.split('/')[0] ?? ''))).toBe(false);
  });

  it('is committed as training on the dev cases gives it, so anyone can rebuild it', {
    timeout: 60_000,
  }, () => {
    // scripts/train-intent-model.ts writes the file; a hand-edited weight or a stale file fails here.
    expect(trainIntentWeights(intentTrainingExamples())).toEqual(TRAINED_INTENT_WEIGHTS);
  });

  it('refuses weights for an intent the events do not know', () => {
    expect(
      () =>
        new IntentModel({ classes: ['quote_request', 'complaint' as 'spam'], bias: [0, 0], features: {} }),
    ).toThrow(/complaint is no intent/);
  });
});
