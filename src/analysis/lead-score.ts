import type { AiAnalysis } from '../events/ai-analysis.js';
import { isPhoneCall, type RawCall } from '../events/raw-call.js';

/**
 * The lead score, 0 to 100, with a reason for every part, so a salesperson sees why. The same formula
 * scores the embedded analyzer's and the LLM's fields (README, "Call analysis"):
 *
 *   contact   answered call or form +10; voicemail +4; call of 60 s or more +5, 180 s or more +10
 *   intent    appointment_booking +35, quote_request +30, information_seeking +15, existing_customer +5,
 *             unknown +0; spam and wrong_number score 0 whatever else
 *   project   a known project type +8
 *   timeline  immediate +15, 1-3 months +12, 3-6 months +7, 6+ months +3, unknown +5
 *   budget    high +10, medium +7, low +3, unknown +4
 *   sentiment positive +5, neutral +0, negative -5
 *   urgency   high +5, medium +2, low +0
 *   details   name +2, phone +3, e-mail +3
 *
 * clamped to 0-100. An existing customer's call is service, not a new lead: their total is halved.
 */

type ScoredFields = Pick<
  AiAnalysis,
  'intent' | 'project_type' | 'timeline' | 'budget_indicator' | 'sentiment' | 'urgency'
>;

const INTENT_POINTS: Record<AiAnalysis['intent'], number> = {
  appointment_booking: 35,
  quote_request: 30,
  information_seeking: 15,
  existing_customer: 5,
  unknown: 0,
  spam: 0,
  wrong_number: 0,
};
const TIMELINE_POINTS: Record<AiAnalysis['timeline'], number> = {
  immediate: 15,
  '1-3_months': 12,
  '3-6_months': 7,
  '6+_months': 3,
  unknown: 5,
};
const BUDGET_POINTS: Record<AiAnalysis['budget_indicator'], number> = {
  high: 10,
  medium: 7,
  low: 3,
  unknown: 4,
};
const SENTIMENT_POINTS: Record<AiAnalysis['sentiment'], number> = {
  positive: 5,
  neutral: 0,
  negative: -5,
  unknown: 0,
};
const URGENCY_POINTS: Record<AiAnalysis['urgency'], number> = { high: 5, medium: 2, low: 0, unknown: 0 };

export interface LeadScore {
  lead_score: number;
  score_reasons: string[];
}

export function scoreLead(call: RawCall, fields: ScoredFields): LeadScore {
  if (fields.intent === 'spam' || fields.intent === 'wrong_number') {
    const what = fields.intent === 'spam' ? 'spam or a sales pitch' : 'a wrong number';
    return { lead_score: 0, score_reasons: [`0: the call is ${what}, not a lead`] };
  }
  const reasons: string[] = [];
  let score = 0;
  const add = (points: number, why: string) => {
    if (points === 0) return;
    score += points;
    reasons.push(`${points > 0 ? '+' : ''}${points} ${why}`);
  };
  if (!isPhoneCall(call)) add(10, 'form submitted');
  else if (call.answered) add(10, 'call answered');
  else if (call.voicemail) add(4, 'voicemail left');
  const duration = call.duration_seconds ?? 0;
  if (duration >= 180) add(10, `call lasted ${Math.round(duration / 60)} minutes`);
  else if (duration >= 60) add(5, 'call lasted over a minute');
  add(INTENT_POINTS[fields.intent], `intent ${fields.intent}`);
  if (fields.project_type !== 'unknown') add(8, `project ${fields.project_type}`);
  add(TIMELINE_POINTS[fields.timeline], `timeline ${fields.timeline}`);
  add(BUDGET_POINTS[fields.budget_indicator], `budget ${fields.budget_indicator}`);
  add(SENTIMENT_POINTS[fields.sentiment], `sentiment ${fields.sentiment}`);
  add(URGENCY_POINTS[fields.urgency], `urgency ${fields.urgency}`);
  const details =
    (call.customer_name ? 2 : 0) + (call.customer_phone ? 3 : 0) + (call.customer_email ? 3 : 0);
  add(details, 'contact details given');
  if (fields.intent === 'existing_customer') {
    score = Math.round(score / 2);
    reasons.push('halved: an existing customer, service rather than a new lead');
  }
  return { lead_score: Math.max(0, Math.min(100, Math.round(score))), score_reasons: reasons };
}
