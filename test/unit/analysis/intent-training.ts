import { intentFeaturesOf } from '../../../src/analysis/embedded/embedded-analyzer.js';
import {
  DEFAULT_TRAINING,
  type LinearModelWeights,
  type TrainingExample,
  trainLinearModel,
} from '../../../src/analysis/embedded/linear-model.js';
import { INTENTS, type Intent } from '../../../src/events/ai-analysis.js';
import {
  type LabelledCase,
  loadBlind2Cases,
  loadBlindCases,
  loadFieldCases,
  loadFreshCases,
  loadLabelledCases,
} from './labelled-cases.js';

/** Every dev case of every labelled set: what the intent model may learn from. */
export function intentTrainingCases(): LabelledCase[] {
  return [
    ...loadLabelledCases(),
    ...loadFieldCases('dev'),
    ...loadFreshCases(),
    ...loadBlindCases(),
    ...loadBlind2Cases(),
  ].filter((labelled) => !labelled.heldOut);
}

export function intentTrainingExamples(
  cases: readonly LabelledCase[] = intentTrainingCases(),
): TrainingExample<Intent>[] {
  return cases.map((labelled) => ({
    features: intentFeaturesOf(labelled.call, labelled.tenant),
    label: labelled.expected.intent,
  }));
}

export function trainIntentWeights(examples: readonly TrainingExample<Intent>[]): LinearModelWeights<Intent> {
  return trainLinearModel(INTENTS, examples, DEFAULT_TRAINING);
}
