/**
 * Splits a call transcript into the agent's and the caller's turns. CallRail writes
 * "Agent: ...\nCaller: ..."; other tools write "Rep:"/"Customer:" or "Speaker 1:"/"Speaker 2:". A
 * transcript without labels (a voicemail, a recording) is all the caller's.
 */

type Speaker = 'agent' | 'caller';

export interface Turn {
  speaker: Speaker;
  text: string;
}

const LABEL = /^\s*([\p{L}][\p{L}\d .'-]{0,30}?)\s*:\s*(.*)$/u;
const AGENT_LABELS = /^(agent|rep|representative|employee|staff|business|receptionist|operator|csr)\b/i;
const CALLER_LABELS = /^(caller|customer|client|prospect|lead|homeowner|contact)\b/i;
/** How a business answers the phone: the speaker who says it first is the agent. */
const GREETING =
  /thank(s| you) for calling|how (can|may) i help|this is \p{L}+( speaking)?[.,]|buenos d[ií]as|speaking\b/iu;

/** Filler words that carry nothing; "like" only where it is set off by commas. */
const FILLERS = /\b(?:uh-huh|u+m+|u+h+|e+r+m*|h+m+|mm+)\b[,.]?\s*|,\s*(?:like|you know|i mean),(?=\s)/giu;
/**
 * FILLERS without the Unicode flag, five times faster. The two read a text alike unless it has the long s
 * or the Kelvin sign, the only characters Unicode case folding adds to \w and to the letters above.
 */
const FILLERS_PLAIN = new RegExp(FILLERS.source, 'gi');
const UNICODE_FOLDED = /[\u017f\u212a]/;

export function withoutFillers(text: string): string {
  const fillers = UNICODE_FOLDED.test(text) ? FILLERS : FILLERS_PLAIN;
  return text.replace(fillers, (match) => (match.startsWith(',') ? ',' : '')).replace(/\s{2,}/g, ' ');
}

export function splitTurns(transcript: string): Turn[] {
  const lines = transcript.split(/\r?\n/).filter((line) => line.trim() !== '');
  const labelled = lines.map((line) => {
    const match = LABEL.exec(line);
    return match
      ? { label: (match[1] ?? '').trim(), text: match[2] ?? '' }
      : { label: undefined, text: line };
  });
  const labels = [...new Set(labelled.flatMap(({ label }) => (label === undefined ? [] : [label])))];
  // A transcript is speaker-labelled when most lines carry one of at most a few recurring labels.
  const isLabelled =
    labels.length > 0 &&
    labels.length <= 4 &&
    labelled.filter(({ label }) => label !== undefined).length >= Math.ceil(lines.length / 2);
  if (!isLabelled) return lines.length === 0 ? [] : [{ speaker: 'caller', text: lines.join(' ') }];

  const agentLabel =
    labels.find((label) => AGENT_LABELS.test(label)) ??
    (labels.some((label) => CALLER_LABELS.test(label))
      ? labels.find((label) => !CALLER_LABELS.test(label))
      : (labelled.find(({ label, text }) => label !== undefined && GREETING.test(text))?.label ??
        // Without a greeting, the business answered: the first of two speakers is the agent.
        (labels.length >= 2 ? labels[0] : undefined)));
  const turns: Turn[] = [];
  let previous: Speaker = 'caller';
  for (const { label, text } of labelled) {
    const speaker: Speaker = label === undefined ? previous : label === agentLabel ? 'agent' : 'caller';
    turns.push({ speaker, text });
    previous = speaker;
  }
  return turns;
}
