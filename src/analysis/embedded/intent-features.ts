import { isPhoneCall, type RawCall } from '../../events/raw-call.js';
import type { CallReading } from './call-reading.js';
import type { IntentStructure } from './intent-structure.js';

/** What the rules read of a call besides its words, given to the intent model as features. */
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
 * What the intent model reads of a call: the caller's words and word pairs (a word in a negation's scope
 * marked as such: "not a quote" is not "a quote"), the agent's words, whether the caller asked a question,
 * what kind of contact it was, roughly how much the caller said, and the rules' evidence. Distinct.
 */
export function intentFeatures(call: RawCall, reading: CallReading, evidence: IntentEvidence): string[] {
  const features = new Set<string>();
  for (const sentence of reading.caller) {
    const words = sentence.words.map((word, at) => (sentence.negated[at] ? `not_${word}` : word));
    words.forEach((word, at) => {
      features.add(`w:${word}`);
      const next = words[at + 1];
      if (next !== undefined) features.add(`p:${word}_${next}`);
    });
    if (sentence.question) features.add('asked');
  }
  for (const word of reading.agentText.split(/[^a-z0-9']+/)) if (word !== '') features.add(`a:${word}`);
  features.add(`kind:${call.source_kind}`);
  if (isPhoneCall(call)) features.add(call.answered === false ? 'unanswered' : 'answered');
  features.add(`said:${Math.min(6, Math.floor(Math.log2(1 + reading.callerWordCount)))}`);
  for (const cue of evidence.cues) features.add(`cue:${cue}`);
  for (const said of evidence.agentSays) features.add(`agent:${said}`);
  for (const [name, value] of Object.entries(evidence.structure))
    if (shows(value)) features.add(`shape:${name}`);
  if (evidence.asksForSomeoneElse) features.add('asks_for_someone');
  if (evidence.mentionsPastQuote) features.add('past_quote');
  if (evidence.projectMentioned) features.add('project');
  return [...features];
}

/** A structure reading that found something: a count above 0, a yes, places or sentences. */
function shows(value: unknown): boolean {
  if (typeof value === 'number') return value > 0;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.length > 0;
  return value instanceof Set && value.size > 0;
}
