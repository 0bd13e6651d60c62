/**
 * Splits a call transcript into the agent's and the caller's turns, whatever shape the transcript came in:
 * one turn a line ("Agent: ...\nCaller: ...", as CallRail writes it) or every label inline on one line
 * ("Agent: ... Caller: ... Agent: ..."); labels Agent/Caller, Rep/Customer, Speaker 1/Speaker 2, Speaker A
 * or the speakers' names, in any case; with or without a timestamp before a line or a label ("[00:12]",
 * "0:12 -") or between a label and its colon ("Agent (00:12):"). A transcript without labels (a voicemail,
 * a recording) is all the caller's.
 *
 * Telling a name label from ordinary text with a colon ("Budget: about 40k"): at the start of a line, a
 * label of a few words counts when the transcript is labelled, that is most of its turns start with one
 * of at most four labels (a stray "Budget:" line among them becomes a turn of the caller's, as the caller
 * is who talks about budgets). Inside a line, and only where the line itself started with a label: a role
 * label (Agent, Caller, Speaker 2, ...) after a space, written in the case the first label was written in
 * ("customer:" in a transcript labelled "Customer:" is a word of the sentence); a name only where the
 * transcript's labels are names, capitalised, and used as a label at least twice in the transcript, since
 * speakers take turns while a capitalised word heading a clause ("Todo: cocina, baños") rarely recurs. A
 * two-turn inline call between names therefore reads as one speaker, the caller; and a name of two words
 * is found inline only after the end of a sentence.
 *
 * Which speaker is the caller: a role label says it (English or Spanish: Agente, Cliente). With names or
 * Speaker 1/2, the one who says the business's greeting ("thank you for calling", "how can I help") is the
 * agent; without a greeting, the one whose first turns sound like the business ("let me pull it up", "we
 * do") rather than a caller ("my kitchen", "I need"), as a caller who rang first and introduced
 * themselves ("Hi, this is Grace") is not the business; failing both, the first of two speakers is (the
 * business answered). Every other speaker is the caller.
 */

type Speaker = 'agent' | 'caller';

export interface Turn {
  speaker: Speaker;
  text: string;
}

/** A clock reading: "00:12", "1:02:03", "0:12.5". */
const CLOCK = String.raw`\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?`;
/** A timestamp before a label or a line: "[00:12]", "(0:12)", "0:12 -", "00:12 |". */
const STAMP = String.raw`(?:[\[(]${CLOCK}[\])]\s*(?:[-\u2013\u2014|]\s*)?|${CLOCK}\s*[-\u2013\u2014|]\s*)`;
/** A bracketed timestamp between a label and its colon: "Agent [00:12]:". */
const LABEL_STAMP = String.raw`(?:\s*[\[(]${CLOCK}[\])])?`;
/** A line's own timestamp, also before text without a label. */
const LEADING_STAMP = new RegExp(`^\\s*${STAMP}`);
/** Most lines start with a letter: no timestamp to look for. */
const STAMP_START = /^\s*[[(\d]/;
/**
 * A line that starts with a label, a bare clock reading allowed before it ("00:12 Agent: ..."). A colon
 * before a digit is a clock's ("call me back at 3:30"), not a label's.
 */
const LABEL = new RegExp(
  String.raw`^\s*(?:${CLOCK}\s+)?([\p{L}][\p{L}\d .'-]{0,30}?)${LABEL_STAMP}\s*:(?!\d)\s*(.*)$`,
  'su',
);
const ROLE_WORDS =
  'agent|rep|representative|employee|staff|business|receptionist|operator|csr|caller|customer|client|prospect|lead|homeowner|contact|agente|representante|recepcionista|asesora?|cliente|llamante';
const ROLE = new RegExp(`^(?:${ROLE_WORDS}|speaker ?(?:\\d{1,2}|\\p{L}))$`, 'iu');
/** A role label inside a line, after a space, a timestamp allowed before it (the empty group: see INLINE_NAME's). */
const INLINE_ROLE = new RegExp(
  String.raw`()(?<=\s)(?:${STAMP})?((?:${ROLE_WORDS}|speaker ?(?:\d{1,2}|\p{L}))${LABEL_STAMP})\s*:(?=\s|$)`,
  'giu',
);
/**
 * A name label inside a line, after a space: a capitalised word, or two after the end of a sentence
 * ("... help? Dana Smith:"), as without punctuation the word before a name may be capitalised too.
 */
const NAME = String.raw`\p{Lu}[\p{L}'-]*`;
const INLINE_NAME = new RegExp(
  String.raw`(?:([.!?\u2026]["'\u201d)]?\s+)(?:${STAMP})?(${NAME} ${NAME}${LABEL_STAMP})|(?<=\s)(?:${STAMP})?(${NAME}${LABEL_STAMP}))\s*:(?=\s|$)`,
  'gu',
);
const AGENT_LABELS =
  /^(agent|rep|representative|employee|staff|business|receptionist|operator|csr|agente|representante|recepcionista|asesora?)\b/i;
const CALLER_LABELS = /^(caller|customer|client|prospect|lead|homeowner|contact|cliente|llamante)\b/i;
/** How a business answers the phone: the speaker who says it is the agent. */
const GREETING =
  /thank(s| you) for calling|gracias por llamar|how (can|may) i help|en qu[eé] (le )?puedo ayudar|\bspeaking\b|le habla/iu;
/** What the business says on a call: it knows the schedule, sends people, asks for the address. */
const AGENT_SAYS =
  /\b(let me (check|pull|look|see|get|talk)|i'll (text|send|have|get|page|pass|talk|call the)|we (do|have|can|cover|offer|sub|install|build)\b|can i (get|take) (your|a)|what's (your|the) (name|address|email)|our (crews?|team|estimator|designers?|schedule|warranty)|le mand(o|amos)|déjeme)/iu;
/** What a caller says: their own rooms, needs and the business's work for them. */
const CALLER_SAYS =
  /\b(my (kitchen|bathroom|bath|house|home|basement|addition|deck|contract|invoice)|our (kitchen|bathroom|house|home)|i need|i'd like|i want|i had a|i'm trying to|i got the|your (crew|foreman|guys|website)|ustedes|mi (cocina|baño|casa)|necesito|quiero)\b/iu;
/** Turns per speaker read for those cues: who is who shows in a call's first exchanges. */
const CUE_TURNS = 6;

/**
 * The agent among speakers named only by name or number: the one who says the business's greeting, or
 * else whose first turns sound most like the business's and least like a caller's; without either, the
 * first speaker, as the business answered.
 */
function agentByWords(segments: readonly Segment[], labels: readonly string[]): string | undefined {
  const greeter = segments.find(({ label, text }) => label !== undefined && GREETING.test(text))?.label;
  if (greeter !== undefined) return greeter;
  if (labels.length < 2) return undefined;
  const score = new Map<string, number>();
  const read = new Map<string, number>();
  for (const { label, text } of segments) {
    if (label === undefined || (read.get(label) ?? 0) >= CUE_TURNS) continue;
    read.set(label, (read.get(label) ?? 0) + 1);
    const cue = (AGENT_SAYS.test(text) ? 1 : 0) - (CALLER_SAYS.test(text) ? 1 : 0);
    score.set(label, (score.get(label) ?? 0) + cue);
  }
  const [first, second] = labels;
  const firstScore = score.get(first ?? '') ?? 0;
  const secondScore = score.get(second ?? '') ?? 0;
  return secondScore > firstScore ? second : first;
}

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

/** A label as the transcript's speaker: "SPEAKER  1" and "Speaker 1" are one speaker. */
function keyOf(label: string): string {
  return label
    .replace(/\s*[[(].*$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** keyOf through the transcript's own table: most of its labels recur on every other line. */
function keyIn(known: Map<string, string>, label: string): string {
  let key = known.get(label);
  if (key === undefined) {
    key = keyOf(label);
    known.set(label, key);
  }
  return key;
}

/** How a transcript writes its labels; an inline label in another case is a word of the sentence. */
function caseOf(label: string): 'lower' | 'upper' | 'mixed' {
  if (label === label.toLowerCase()) return 'lower';
  return label === label.toUpperCase() ? 'upper' : 'mixed';
}

/** A stretch of the transcript with its speaker's label, if it has one. */
interface Segment {
  label: string | undefined;
  text: string;
}

/** A label found inside a line: where it starts and ends, and whose it is. */
interface InlineLabel {
  start: number;
  end: number;
  key: string;
}

function inlineLabels(
  text: string,
  pattern: RegExp,
  style: ReturnType<typeof caseOf> | undefined,
  known: Map<string, string>,
): InlineLabel[] {
  const found: InlineLabel[] = [];
  for (const match of text.matchAll(pattern)) {
    // The end of the sentence before a name is matched, not looked behind for: a look back over a long
    // run of spaces from every space in it took seconds.
    const sentenceEnd = match[1] ?? '';
    const label = match[2] ?? match[3] ?? '';
    if (style !== undefined && caseOf(label.replace(/[\d\s[\]():.,]/g, '')) !== style) continue;
    found.push({
      start: match.index + sentenceEnd.length,
      end: match.index + match[0].length,
      key: keyIn(known, label),
    });
  }
  return found;
}

/** Pushes the line's text cut at the labels inside it, the first part under the line's own label. */
function pushCut(segments: Segment[], label: string, text: string, labels: readonly InlineLabel[]): void {
  let current = label;
  let from = 0;
  for (const inline of labels) {
    segments.push({ label: current, text: text.slice(from, inline.start).trim() });
    current = inline.key;
    from = inline.end;
  }
  segments.push({ label: current, text: text.slice(from).trim() });
}

function segmentsOf(lines: readonly string[]): Segment[] {
  const starts: Array<RegExpExecArray | null> = [];
  let first: RegExpExecArray | null = null;
  for (const line of lines) {
    const match = LABEL.exec(line);
    starts.push(match);
    first ??= match;
  }
  if (first === null) return lines.map((text) => ({ label: undefined, text }));
  const known = new Map<string, string>();
  const firstLabel = (first[1] ?? '').trim();
  const byRole = ROLE.test(keyIn(known, firstLabel));
  const style = caseOf(firstLabel.replace(/[\d\s]/g, ''));
  const found = starts.map((match) => {
    const text = match?.[2];
    if (text === undefined || !text.includes(':')) return undefined;
    return byRole
      ? inlineLabels(text, INLINE_ROLE, style, known)
      : inlineLabels(text, INLINE_NAME, undefined, known);
  });
  // A name is a speaker's where it recurs; a capitalised word before a colon once is the sentence's.
  const uses = new Map<string, number>();
  if (!byRole) {
    for (const match of starts) {
      const key = match && keyIn(known, match[1] ?? '');
      if (key) uses.set(key, (uses.get(key) ?? 0) + 1);
    }
    for (const labels of found) for (const { key } of labels ?? []) uses.set(key, (uses.get(key) ?? 0) + 1);
  }
  const segments: Segment[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const match = starts[index];
    if (!match) {
      segments.push({ label: undefined, text: lines[index] ?? '' });
      continue;
    }
    const labels = found[index];
    const label = keyIn(known, match[1] ?? '');
    if (labels === undefined) segments.push({ label, text: (match[2] ?? '').trim() });
    else
      pushCut(
        segments,
        label,
        match[2] ?? '',
        byRole ? labels : labels.filter(({ key }) => (uses.get(key) ?? 0) >= 2),
      );
  }
  return segments;
}

/**
 * A role word opening a line without a colon, as speech-to-text writes it: "agent thank you for calling",
 * "rep good afternoon", "speaker a hi".
 */
const BARE_ROLE_WORDS = 'agent|caller|agente|cliente|rep|customer|speaker [a-d1-4]';
const BARE_ROLE = new RegExp(`^(${BARE_ROLE_WORDS})\\b(?![:([])\\s*`, 'i');
/** The same words inside a line of such a transcript, where the other speaker takes over. */
const BARE_ROLE_INLINE = new RegExp(`\\s(${BARE_ROLE_WORDS})\\s`, 'gi');

/**
 * Lines whose role words have no colon ("agent hello", "caller hi is this the pharmacy"), given their
 * colons, when every line but a stray one opens with a role word and no line has a labelled colon: a
 * transcript without punctuation whose speakers are still named. A single such line is cut where the
 * other role is named inside it.
 */
function withBareRolesLabelled(lines: readonly string[]): readonly string[] {
  // Every line but one opens with a role word, so the first or the second does: most transcripts stop here.
  if (!BARE_ROLE.test(lines[0] ?? '') && !BARE_ROLE.test(lines[1] ?? '')) return lines;
  if (lines.some((line) => LABEL.test(line))) return lines;
  const opening = lines.filter((line) => BARE_ROLE.test(line)).length;
  if (opening < Math.max(1, lines.length - 1)) return lines;
  const labelled: string[] = [];
  for (const line of lines) {
    const match = BARE_ROLE.exec(line);
    if (!match) {
      labelled.push(line);
      continue;
    }
    const own = (match[1] ?? '').toLowerCase();
    const rest = line.slice(match[0].length);
    if (lines.length > 1) {
      labelled.push(`${own}: ${rest}`);
      continue;
    }
    // One line: a role word other than the current speaker's inside it starts the other's turn.
    let current = own;
    const cut = rest.replace(BARE_ROLE_INLINE, (word, role: string) => {
      const next = role.toLowerCase();
      if (next === current) return word;
      current = next;
      return `\n${next}: `;
    });
    labelled.push(`${own}: ${cut}`);
  }
  return labelled.flatMap((line) => line.split('\n'));
}

export function splitTurns(transcript: string): Turn[] {
  const read: string[] = [];
  // Without a carriage return the line breaks are the newlines alone, which a plain split finds faster.
  const rawLines = transcript.includes('\r') ? transcript.split(/\r?\n/) : transcript.split('\n');
  for (const line of rawLines) {
    const text = (STAMP_START.test(line) ? line.replace(LEADING_STAMP, '') : line).trim();
    if (text !== '') read.push(text);
  }
  const lines = withBareRolesLabelled(read);
  const segments = segmentsOf(lines);
  const labels: string[] = [];
  let labelledCount = 0;
  for (const { label } of segments) {
    if (label === undefined) continue;
    labelledCount += 1;
    // Five are enough to know the transcript is not labelled; a list of thousands is not scanned.
    if (labels.length <= 4 && !labels.includes(label)) labels.push(label);
  }
  // A transcript is speaker-labelled when most turns carry one of at most a few recurring labels.
  const isLabelled =
    labels.length > 0 && labels.length <= 4 && labelledCount >= Math.ceil(segments.length / 2);
  if (!isLabelled) return lines.length === 0 ? [] : [{ speaker: 'caller', text: lines.join(' ') }];

  const agentLabel =
    labels.find((label) => AGENT_LABELS.test(label)) ??
    (labels.some((label) => CALLER_LABELS.test(label))
      ? labels.find((label) => !CALLER_LABELS.test(label))
      : agentByWords(segments, labels));
  const turns: Turn[] = [];
  let previous: Speaker = 'caller';
  for (const { label, text } of segments) {
    const speaker: Speaker = label === undefined ? previous : label === agentLabel ? 'agent' : 'caller';
    // A label alone on its line ("Agent:") names the speaker of the lines after it.
    if (text !== '') turns.push({ speaker, text });
    previous = speaker;
  }
  return turns;
}
