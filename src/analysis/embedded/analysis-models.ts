import {
  INTENTS,
  type Intent,
  SENTIMENTS,
  type Sentiment,
  URGENCIES,
  type Urgency,
} from '../../events/ai-analysis.js';
import trained from './analysis-weights.json' with { type: 'json' };
import { FeatureColumns, LinearModel, type LinearModelWeights } from './linear-model.js';

/** Whether a call's problem is to be seen to now: the one timeline a model may add to the rules'. */
export const NOW_CLASSES = ['now', 'not_now'] as const;
export type Now = (typeof NOW_CLASSES)[number];

/** Weights of the models the embedded analyzer reads calls with (scripts/train-analysis-models.ts). */
export interface AnalysisWeights {
  intent: LinearModelWeights<Intent>;
  sentiment: LinearModelWeights<Sentiment>;
  urgency: LinearModelWeights<Urgency>;
  now: LinearModelWeights<Now>;
}

/**
 * What the labelled calls taught: the caller's intent, tone and urgency, and whether a problem is to be
 * seen to now. Hand-written rules read 0.98 of the calls they were tuned on and 0.775 (intent) to 0.88
 * (the others) of calls written after them; each model, trained on calls apart from a set, read that set
 * better (README, "Call analysis"). The rules still read dates, budgets and rooms, and what they read is
 * among the models' features.
 */
export interface AnalysisModels {
  /** The four share one table of columns (modelsFrom), so a call's features are looked up once for all. */
  intent: LinearModel<Intent>;
  sentiment: LinearModel<Sentiment>;
  urgency: LinearModel<Urgency>;
  now: LinearModel<Now>;
}

/** The models of a set of weights, each refused if it answers with a value its field does not have. */
export function modelsFrom(weights: AnalysisWeights): AnalysisModels {
  const columns = new FeatureColumns(
    [weights.intent, weights.sentiment, weights.urgency, weights.now].flatMap((model) =>
      model === undefined ? [] : Object.keys(model.features),
    ),
  );
  return {
    intent: modelOf('intent', weights.intent, INTENTS, columns),
    sentiment: modelOf('sentiment', weights.sentiment, SENTIMENTS, columns),
    urgency: modelOf('urgency', weights.urgency, URGENCIES, columns),
    now: modelOf('now', weights.now, NOW_CLASSES, columns),
  };
}

function modelOf<Label extends string>(
  name: string,
  weights: LinearModelWeights<Label> | undefined,
  allowed: readonly Label[],
  columns: FeatureColumns,
): LinearModel<Label> {
  if (weights === undefined) throw new Error(`analysis models: no ${name} model`);
  const strange = weights.classes.filter((label) => !(allowed as readonly string[]).includes(label));
  if (strange.length > 0) throw new Error(`analysis models: ${strange.join(', ')} is no ${name}`);
  return new LinearModel(weights, columns);
}

let trainedOnes: AnalysisModels | undefined;

/** The models committed beside this file, built once a process: their tables take milliseconds to build. */
export function trainedModels(): AnalysisModels {
  trainedOnes ??= modelsFrom(trained as unknown as AnalysisWeights);
  return trainedOnes;
}
