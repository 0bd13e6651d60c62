import type { Intent } from '../../events/ai-analysis.js';
import type { IntentStructure } from './intent-structure.js';
import type { PhraseHit } from './phrase-matcher.js';

export type IntentCue =
  | 'quote'
  | 'appointment'
  | 'information'
  | 'existing'
  | 'spam'
  | 'wrong_number'
  | 'project_wish';

export interface IntentEvidence {
  cues: readonly PhraseHit<IntentCue>[];
  /**
   * Weight of the agent's non-lead phrases: a pitch turned down ("not interested") and a caller put right
   * ("you have the wrong number"). Asked for only when no project was mentioned: reading the agent's side
   * costs as much as a third of the caller's.
   */
  agentNonLead: () => { spam: number; wrongNumber: number };
  /** The caller's first sentence asks for someone by name or place ("is Brenda there?"). */
  asksForSomeoneElse: boolean;
  projectMentioned: boolean;
  callerWordCount: number;
  /**
   * Sentences about a quote already given ("the estimate Brian did", "Tom gave me a quote"): their quote
   * words are not an ask.
   */
  pastQuoteSentences: ReadonlySet<number>;
  /** A form: choosing a project is its ask, however few its words. */
  isForm: boolean;
  /** What the call's shape says (intent-structure.ts), beside the lexicon's phrases. */
  structure: IntentStructure;
}

/** Thresholds below are in lexicon weights: 3 is one phrase that settles it. */
const NON_LEAD_AT = 3;
const EXISTING_AT = 3;
const STRONG = 2;
const BOOKED = 3;
/** What a question asked after the caller's ask weighs, against one asked before it. */
const FOLLOW_UP = 0.5;
/** A caller put right so plainly that a room named on the way does not make a lead. */
const WRONG_DESPITE_PROJECT = 6;

/**
 * The caller's intent, in this order: a recording or a pitch is spam and a caller who meant someone
 * else is a wrong number, unless they asked about a project; work already contracted makes an existing
 * customer unless they ask for a new quote; otherwise the first strong ask (a quote or a visit) wins,
 * then questions, then a stated wish for a project ("we want to redo the kitchen") is a quote request.
 * Each step weighs the lexicon's phrases and the call's shape (intent-structure.ts) together: a pitch
 * addressed to "your business", work "you guys" did for "our" kitchen, a caller who asked for someone
 * else and apologised, questions about the business's services.
 */
export function decideIntent(evidence: IntentEvidence): Intent {
  const { referrals, aboutTheirPrices } = evidence.structure;
  const cues = evidence.cues.filter(
    (hit) =>
      !hit.negated &&
      !(
        hit.label === 'quote' &&
        (evidence.pastQuoteSentences.has(hit.sentence) || aboutTheirPrices.has(hit.sentence))
      ) &&
      !(hit.label === 'existing' && referrals.has(hit.sentence)),
  );
  // A meeting or visit the caller asks to book, or a price they ask to be sent, is a strong ask in
  // whatever words it is named.
  for (const { sentence, word } of evidence.structure.bookings)
    cues.push({ label: 'appointment', weight: BOOKED, sentence, word, negated: false });
  for (const { sentence, word } of evidence.structure.visitAsks)
    cues.push({ label: 'appointment', weight: STRONG, sentence, word, negated: false });
  for (const { sentence, word } of evidence.structure.priceAsks)
    cues.push({ label: 'quote', weight: BOOKED, sentence, word, negated: false });
  const total = (cue: IntentCue) =>
    cues.filter((hit) => hit.label === cue).reduce((sum, hit) => sum + hit.weight, 0);
  const quote = total('quote');
  const appointment = total('appointment');
  const strongAsks = cues.filter(
    (hit) => hit.weight >= STRONG && (hit.label === 'quote' || hit.label === 'appointment'),
  );
  // Questions asked after a quote or a visit was asked for ("and do you do financing?") follow the ask up.
  const firstAsk = Math.min(...strongAsks.map((hit) => hit.sentence));
  const information = cues
    .filter((hit) => hit.label === 'information')
    .reduce((sum, hit) => sum + (hit.sentence > firstAsk ? hit.weight * FOLLOW_UP : hit.weight), 0);
  const wish = total('project_wish');
  const leadAsk = quote + appointment;

  const { structure } = evidence;
  const spam = total('spam') + structure.spam;
  // A question that names a pitch's word ("does Medicare pay?") is still a question.
  if (spam >= NON_LEAD_AT + 1 || (spam >= NON_LEAD_AT && spam > leadAsk + information)) return 'spam';
  if (!evidence.projectMentioned) {
    const agent = evidence.agentNonLead();
    const wrong =
      total('wrong_number') +
      Math.max(evidence.asksForSomeoneElse ? 2 : 0, structure.wrongNumber) +
      agent.wrongNumber;
    if (wrong >= NON_LEAD_AT && wrong >= spam + agent.spam) return 'wrong_number';
    if (spam >= STRONG && spam + agent.spam >= NON_LEAD_AT + 1) return 'spam';
    if (wrong >= NON_LEAD_AT) return 'wrong_number';
  } else if (total('wrong_number') + structure.wrongNumber >= WRONG_DESPITE_PROJECT && leadAsk === 0) {
    // "This is a remodeling company ... like kitchens": a room named only while being put right.
    return 'wrong_number';
  }
  // A caller sent by a customer ("you did my sister's bathroom") who asks for work of their own is a lead.
  const referredLead = referrals.size > 0 && leadAsk + wish > 0;
  // A customer who also asks a price for another job ("the bathroom came out great; now quote the
  // kitchen") stays a customer when the call's shape, not only a word, says the work is theirs.
  if (
    total('existing') + structure.existing + structure.callsAgain >= EXISTING_AT &&
    (quote < 3 || structure.workForThem) &&
    !referredLead
  )
    return 'existing_customer';

  // In one sentence, a price asked for outweighs a visit merely mentioned ("can someone come out and
  // give us an estimate?"), but not a visit booked ("book an in-home estimate").
  const rank = (hit: PhraseHit<IntentCue>) => (hit.label === 'appointment' && hit.weight < 3 ? 1 : 0);
  const firstStrong = [...strongAsks].sort(
    (a, b) => a.sentence - b.sentence || rank(a) - rank(b) || a.word - b.word,
  )[0];
  // Only finding out, but about the price of a project of their own and nothing about the business
  // ("just want an idea of price for the kids' bathroom so we can save up"): a quote, however early.
  if (
    leadAsk === 0 &&
    structure.exploring > 0 &&
    structure.asksPrice &&
    structure.serviceQuestions === 0 &&
    evidence.projectMentioned
  )
    return 'quote_request';
  if (information > leadAsk && information >= STRONG) return 'information_seeking';
  if (firstStrong) return firstStrong.label === 'quote' ? 'quote_request' : 'appointment_booking';
  // A caller who asked for no price and took the day the agent offered booked a visit.
  if (
    quote === 0 &&
    structure.visitBookedByAgent &&
    (wish > 0 || evidence.projectMentioned || structure.agentNamesProject)
  )
    return 'appointment_booking';
  if (information >= STRONG) return 'information_seeking';
  if (structure.serviceQuestions + structure.exploring > 0) return 'information_seeking';
  if (wish > 0 && evidence.projectMentioned) return 'quote_request';
  if (structure.wantsWork) return 'quote_request';
  if (evidence.projectMentioned && (evidence.isForm || evidence.callerWordCount >= 8)) return 'quote_request';
  // The agent named the caller's project and the caller answered its questions: a lead, its price to come.
  if (structure.agentNamesProject) return 'quote_request';
  // A form that chose a timeline or a budget for a job of its own, whatever the job ("Basement
  // finishing"), asks for a price: a project form with no other ask.
  if (evidence.isForm && structure.answersWhenOrBudget) return 'quote_request';
  return 'unknown';
}
