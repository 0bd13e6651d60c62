import type { EnrichedCall } from '../events/enriched-call.js';
import { displayName } from '../mapping/command-builder.js';
import type { ExpressionScope } from '../mapping/expressions/compile-expression.js';

/**
 * What a salesperson needs to phone a lead back, as the mapper saw the call: carried on the CrmCommand
 * (delivery has no other view of the call) and on to each Notification. Caller-controlled values (name,
 * reasons drawn from the transcript) are data everywhere they go.
 */
export interface LeadSummary {
  name: string;
  phone: string | null;
  email: string | null;
  project_type: string;
  timeline: string;
  budget: string;
  lead_score: number;
  score_reasons: string[];
  recording_url: string | null;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

export function leadSummaryOf(event: EnrichedCall, scope: ExpressionScope): LeadSummary {
  const analysis = event.ai_analysis;
  return {
    name: displayName(scope),
    phone: text(scope.view.customer_phone),
    email: text(scope.view.customer_email),
    project_type: analysis.project_type,
    timeline: analysis.timeline,
    budget: analysis.budget_indicator,
    lead_score: analysis.lead_score,
    score_reasons: [...analysis.score_reasons],
    recording_url: text(event.call.recording_url),
  };
}
