import { type AnalysisWeights, NOW_CLASSES } from '../../../src/analysis/embedded/analysis-models.js';
import { timingFeatures, toneFeatures } from '../../../src/analysis/embedded/call-features.js';
import { readCall } from '../../../src/analysis/embedded/call-reading.js';
import {
  ASKS_MODEL,
  analyseByRules,
  callFeaturesOf,
  type RuleAnalysis,
} from '../../../src/analysis/embedded/embedded-analyzer.js';
import {
  DEFAULT_TRAINING,
  LinearModel,
  trainLinearModel,
} from '../../../src/analysis/embedded/linear-model.js';
import { INTENTS, SENTIMENTS, URGENCIES } from '../../../src/events/ai-analysis.js';
import {
  type LabelledCase,
  loadBlind2Cases,
  loadBlindCases,
  loadFieldCases,
  loadFreshCases,
  loadLabelledCases,
  loadTrainCases,
} from './labelled-cases.js';

/** Every dev case of every labelled set: what the models may learn from. */
export function trainingCases(): LabelledCase[] {
  return [
    ...loadLabelledCases(),
    ...loadFieldCases('dev'),
    ...loadFreshCases(),
    ...loadBlindCases(),
    ...loadBlind2Cases(),
    ...loadTrainCases(),
  ].filter((labelled) => !labelled.heldOut);
}

/** The classes of a field that the labels use, in the field's own order. */
function used<Label extends string>(all: readonly Label[], labels: readonly string[]): Label[] {
  return all.filter((label) => labels.includes(label));
}

/**
 * Trains the models in the order the analyzer uses them: intent on the calls' features, then, with that
 * intent, the rules' readings of every case, on which tone, urgency and "see to it now" are trained, each
 * on the cases where the analyzer asks it (ASKS_MODEL in embedded-analyzer.ts).
 */
export function trainAnalysisWeights(cases: readonly LabelledCase[]): AnalysisWeights {
  const readings = cases.map((labelled) => readCall(labelled.call));
  const features = cases.map((labelled, at) => callFeaturesOf(labelled.call, labelled.tenant, readings[at]));
  const intent = trainLinearModel(
    used(
      INTENTS,
      cases.map(({ expected }) => expected.intent),
    ),
    cases.map((labelled, at) => ({
      features: features[at] ?? [],
      label: labelled.expected.intent,
    })),
    DEFAULT_TRAINING,
  );
  const intentModel = new LinearModel(intent);
  type Ruled = { labelled: LabelledCase; features: string[]; rules: RuleAnalysis };
  const ruled: Ruled[] = cases.map((labelled, at) => ({
    labelled,
    features: features[at] ?? [],
    rules: analyseByRules(labelled.call, labelled.tenant, intentModel, readings[at]),
  }));
  const toned = ruled.filter(({ rules }) => ASKS_MODEL.tone(rules));
  const unsettled = ruled.filter(({ rules }) => ASKS_MODEL.urgency(rules));
  const untimed = ruled.filter(({ rules }) => ASKS_MODEL.now(rules));
  const timeless = ({ features, rules }: Ruled) => timingFeatures(features, rules.fields);
  return {
    intent,
    sentiment: trainLinearModel(
      used(
        SENTIMENTS,
        toned.map(({ labelled }) => labelled.expected.sentiment),
      ),
      toned.map(({ labelled, features, rules }) => ({
        features: toneFeatures(features, rules.fields),
        label: labelled.expected.sentiment,
      })),
    ),
    urgency: trainLinearModel(
      used(
        URGENCIES,
        unsettled.map(({ labelled }) => labelled.expected.urgency),
      ),
      unsettled.map((one) => ({ features: timeless(one), label: one.labelled.expected.urgency })),
    ),
    now: trainLinearModel(
      NOW_CLASSES,
      untimed.map((one) => ({
        features: timeless(one),
        label: one.labelled.expected.timeline === 'immediate' ? ('now' as const) : ('not_now' as const),
      })),
    ),
  };
}
