/** TypeScript view of the AiAnalysis record in schemas/avro/EnrichedCall.avsc. */
export const INTENTS = [
  'quote_request',
  'information_seeking',
  'appointment_booking',
  'existing_customer',
  'spam',
  'wrong_number',
  'unknown',
] as const;
export type Intent = (typeof INTENTS)[number];

export const STANDARD_PROJECT_TYPES = ['kitchen', 'bathroom', 'whole_home', 'addition', 'unknown'] as const;
/** A standard project type or one the tenant declared. */
export type ProjectType = string;

export const TIMELINES = ['immediate', '1-3_months', '3-6_months', '6+_months', 'unknown'] as const;
export type Timeline = (typeof TIMELINES)[number];

export const BUDGET_INDICATORS = ['high', 'medium', 'low', 'unknown'] as const;
export type BudgetIndicator = (typeof BUDGET_INDICATORS)[number];

export const SENTIMENTS = ['positive', 'neutral', 'negative', 'unknown'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export const URGENCIES = ['high', 'medium', 'low', 'unknown'] as const;
export type Urgency = (typeof URGENCIES)[number];

export interface AiAnalysis {
  intent: Intent;
  project_type: ProjectType;
  timeline: Timeline;
  budget_indicator: BudgetIndicator;
  sentiment: Sentiment;
  urgency: Urgency;
  /** integer 0-100 */
  lead_score: number;
  score_reasons: string[];
  analyzer: string;
}

export function isTimeline(value: string): value is Timeline {
  return (TIMELINES as readonly string[]).includes(value);
}

/** An analysis that found nothing: every field `unknown`, score 0, no reasons. */
export function unknownAnalysis(analyzer: string): AiAnalysis {
  return {
    intent: 'unknown',
    project_type: 'unknown',
    timeline: 'unknown',
    budget_indicator: 'unknown',
    sentiment: 'unknown',
    urgency: 'unknown',
    lead_score: 0,
    score_reasons: [],
    analyzer,
  };
}
