import { describe, expect, it } from 'vitest';
import {
  type AnalysisWeights,
  modelsFrom,
  trainedModels,
} from '../../../src/analysis/embedded/analysis-models.js';
import trained from '../../../src/analysis/embedded/analysis-weights.json' with { type: 'json' };
import { timingFeatures, toneFeatures } from '../../../src/analysis/embedded/call-features.js';
import {
  analyseByRules,
  callFeaturesOf,
  modelColumns,
} from '../../../src/analysis/embedded/embedded-analyzer.js';
import {
  FIELD_HELD_OUT_FILE,
  loadBlind3Cases,
  loadFieldCases,
  loadFreshCases,
  loadLabelledCases,
} from './labelled-cases.js';
import { trainAnalysisWeights, trainingCases } from './model-training.js';

const empty = { bias: [0, 0], features: {} };

describe('the analysis models', () => {
  it('learn only from dev cases: no held-out case of any set is among what they are trained on', () => {
    const trainedOn = new Set(trainingCases().map(({ file, id }) => `${file}/${id}`));
    const heldOut = [...loadLabelledCases(), ...loadFieldCases('all'), ...loadBlind3Cases()].filter(
      (labelled) => labelled.heldOut,
    );
    expect(heldOut.length).toBeGreaterThan(600);
    for (const { file, id } of heldOut) expect(trainedOn.has(`${file}/${id}`)).toBe(false);
    expect([...trainedOn].some((key) => FIELD_HELD_OUT_FILE.test(key.split('/')[0] ?? ''))).toBe(false);
  });

  it('are committed as training on the dev cases gives them, so anyone can rebuild them', {
    timeout: 120_000,
  }, () => {
    // scripts/train-analysis-models.ts writes the file; a hand-edited weight or a stale file fails here.
    expect(trainAnalysisWeights(trainingCases())).toEqual(trained);
  });

  it('refuse weights that answer with a value their field does not have', () => {
    const weights = trained as unknown as AnalysisWeights;
    expect(() =>
      modelsFrom({ ...weights, intent: { ...empty, classes: ['quote_request', 'complaint' as 'spam'] } }),
    ).toThrow(/complaint is no intent/);
    expect(() =>
      modelsFrom({ ...weights, urgency: { ...empty, classes: ['high', 'soon' as 'low'] } }),
    ).toThrow(/soon is no urgency/);
  });
});

describe('the analyzer', () => {
  it('gives the tone and timing models, column for column, the features they were trained on', () => {
    const models = trainedModels();
    const { columns } = models.intent;
    const cases = loadFreshCases();
    expect(cases.length).toBeGreaterThan(200);
    let timeWordsLeftOut = 0;
    // Column for column in the same order (the models' sums are then the same to the last bit), and the
    // same count of distinct features, those no model knows included (the models scale by it).
    const asTrained = (features: string[]) => {
      const found = columns.of(features);
      return { columns: [...found].filter((column) => column >= 0), count: found.length };
    };
    for (const labelled of cases) {
      const ruled = analyseByRules(labelled.call, labelled.tenant, models.intent);
      const features = callFeaturesOf(labelled.call, labelled.tenant);
      const given = modelColumns(ruled, columns);
      expect(given.tone).toEqual(asTrained(toneFeatures(features, ruled.fields)));
      expect(given.timing).toEqual(asTrained(timingFeatures(features, ruled.fields)));
      timeWordsLeftOut += given.tone.count - given.timing.count;
    }
    expect(timeWordsLeftOut).toBeGreaterThan(0);
  });
});
