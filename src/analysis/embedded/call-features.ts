import type { Intent, Sentiment, Timeline, Urgency } from '../../events/ai-analysis.js';
import { isPhoneCall, type RawCall } from '../../events/raw-call.js';
import type { CallReading } from './call-reading.js';
import type { IntentStructure } from './intent-structure.js';
import type { NameFeature } from './linear-model.js';

/** What the rules read of a call besides its words, given to the models as features. */
export interface IntentEvidence {
  /** Labels of the lexicon's phrases the caller said and did not deny (`quote`, `existing`, `kitchen`, ...). */
  cues: ReadonlySet<string>;
  /** The call's shape (intent-structure.ts): who did the work, who sells, who asks for whom. */
  structure: IntentStructure;
  /** Labels of the agent's phrases: a pitch turned down, a caller put right. */
  agentSays: ReadonlySet<string>;
  /** The caller's first sentence asks for someone by name or place ("is Brenda there?"). */
  asksForSomeoneElse: boolean;
  /** The caller talks about a quote already given ("the estimate Brian did"). */
  mentionsPastQuote: boolean;
  projectMentioned: boolean;
}

/**
 * What the models read of a call: the caller's words (a word in a negation's scope marked as such:
 * "not a quote" is not "a quote"), the agent's words, whether the caller asked a question, what kind of
 * contact it was, roughly how much the caller said, and the rules' evidence; each named by its family's
 * prefix and the rest (`w:` and `kitchen`), repeats included. Training reads them as whole names
 * (callFeatures), the analyzer as columns (ColumnGatherer), so both read the same features. Word pairs
 * were tried and left out: read by set (`npm run eval`), the model without them was as good on average
 * (0.939 against 0.935) with half the features to read.
 */
export function nameCallFeatures(
  call: RawCall,
  reading: CallReading,
  evidence: IntentEvidence,
  name: NameFeature,
): void {
  for (const sentence of reading.caller) {
    const { words, negated } = sentence;
    for (let at = 0; at < words.length; at += 1) name(negated[at] ? 'w:not_' : 'w:', words[at] ?? '');
    if (sentence.question) name('', 'asked');
  }
  nameAgentWords(reading.agentText, name);
  name('kind:', call.source_kind);
  if (isPhoneCall(call)) name('', call.answered === false ? 'unanswered' : 'answered');
  name('said:', String(Math.min(6, Math.floor(Math.log2(1 + reading.callerWordCount)))));
  for (const cue of evidence.cues) name('cue:', cue);
  for (const said of evidence.agentSays) name('agent:', said);
  for (const [shape, value] of Object.entries(evidence.structure)) if (shows(value)) name('shape:', shape);
  if (evidence.asksForSomeoneElse) name('', 'asks_for_someone');
  if (evidence.mentionsPastQuote) name('', 'past_quote');
  if (evidence.projectMentioned) name('', 'project');
}

/** Each run of `[a-z0-9']` in the agent's folded words, as `split(/[^a-z0-9']+/)` gives them but without the array. */
function nameAgentWords(text: string, name: NameFeature): void {
  let start = -1;
  for (let at = 0; at <= text.length; at += 1) {
    const code = at < text.length ? text.charCodeAt(at) : -1;
    const inWord = (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 39;
    if (inWord) {
      if (start < 0) start = at;
    } else if (start >= 0) {
      name('a:', text.slice(start, at));
      start = -1;
    }
  }
}

/** The call's features as distinct names, as the models are trained on them. */
export function callFeatures(call: RawCall, reading: CallReading, evidence: IntentEvidence): string[] {
  const features = new Set<string>();
  nameCallFeatures(call, reading, evidence, (prefix, rest) => features.add(prefix + rest));
  return [...features];
}

/** A structure reading that found something: a count above 0, a yes, places or sentences. */
function shows(value: unknown): boolean {
  if (typeof value === 'number') return value > 0;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.length > 0;
  return value instanceof Set && value.size > 0;
}

/**
 * Month, season and holiday words, and counts of time. The labelled calls all happened on one day in
 * April, so a model would learn from them that "June" is near; the rules read times against the call's
 * own date, so the models that weigh timing (urgency, a problem to see to now) read the rules' timeline
 * instead of these words.
 */
const TIME_WORDS = [
  ...['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october'],
  ...['november', 'december', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov'],
  ...['dec', 'enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre'],
  ...['octubre', 'noviembre', 'diciembre', 'spring', 'summer', 'fall', 'autumn', 'winter', 'primavera'],
  ...['verano', 'otono', 'invierno', 'christmas', 'thanksgiving', 'easter', 'halloween', 'navidad'],
  ...['holiday', 'holidays', 'new', 'year', 'years', 'month', 'months', 'week', 'weeks'],
];
/** The caller-word features of those words, said or denied; a Set, as every word of a call is tried. */
const TIME_FEATURES: ReadonlySet<string> = new Set(
  TIME_WORDS.flatMap((word) => [`w:${word}`, `w:not_${word}`]),
);

/** A time word or a number ("3", "2027"), said or denied. */
export function isTimeWord(feature: string): boolean {
  if (TIME_FEATURES.has(feature)) return true;
  if (!feature.startsWith('w:')) return false;
  const from = feature.startsWith('w:not_') ? 'w:not_'.length : 'w:'.length;
  if (from === feature.length) return false;
  for (let at = from; at < feature.length; at += 1) {
    const code = feature.charCodeAt(at);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** What the rules (and the intent model) decided of a call, as the later models read it. */
export interface RuleReadings {
  intent: Intent;
  timeline: Timeline;
  sentiment: Sentiment;
  urgency: Urgency;
}

export function ruleReadingNames(readings: RuleReadings): string[] {
  return [
    `intent:${readings.intent}`,
    `rule_timeline:${readings.timeline}`,
    `rule_sentiment:${readings.sentiment}`,
    `rule_urgency:${readings.urgency}`,
  ];
}

/** What the tone model reads: the call's features and the rules' readings. */
export function toneFeatures(features: readonly string[], readings: RuleReadings): string[] {
  return [...features, ...ruleReadingNames(readings)];
}

/** What the urgency and "now" models read: the same without the time words. */
export function timingFeatures(features: readonly string[], readings: RuleReadings): string[] {
  return [...features.filter((feature) => !isTimeWord(feature)), ...ruleReadingNames(readings)];
}
