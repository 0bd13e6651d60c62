import type { RawCall } from '../../events/raw-call.js';
import { isContactField } from '../contact-fields.js';
import { foldWord, winkReader } from './nlp.js';
import { writeSpokenNumbersAsDigits } from './spoken-numbers.js';
import { splitTurns, withoutFillers } from './transcript-turns.js';

/** What the agent asked just before the caller spoke: a bare "sixty-five" answers "what's your budget?". */
type AskedAbout = 'budget' | 'timeline';

/** One of the caller's sentences, as the rules read it. */
export interface CallerSentence {
  /** Normal forms, lower case without accents, numbers as digits. */
  words: string[];
  /** Whether each word lies in a negation's scope ("not the kitchen"). */
  negated: boolean[];
  /** The words joined by single spaces, for the rules written as patterns. */
  text: string;
  /** Where each word starts in `text`. */
  starts: number[];
  /** wink-nlp's sentiment of the sentence, -1 to 1. */
  sentiment: number;
  question: boolean;
  askedAbout: AskedAbout | undefined;
}

/** The word of a sentence that a match found at `at` (an offset in its text) starts in. */
export function wordAt(sentence: Pick<CallerSentence, 'starts'>, at: number): number {
  return Math.max(
    0,
    sentence.starts.findLastIndex((start) => start <= at),
  );
}

export interface CallReading {
  caller: CallerSentence[];
  /** The agent's words, lower case without accents (only a few phrases are looked for there). */
  agentText: string;
  callerWordCount: number;
}

const NEGATION_CUES: ReadonlySet<string> = new Set([
  'not',
  'no',
  'never',
  'nothing',
  'without',
  'nor',
  'neither',
]);
/** Words after which a negation no longer reaches: "not the kitchen, just the bathroom". */
const SCOPE_ENDS: ReadonlySet<string> = new Set([
  'just',
  'only',
  'but',
  'rather',
  'instead',
  'except',
  'sino',
  'pero',
  // "Not now, probably next year": what follows a hedge is said, not denied.
  'probably',
  'maybe',
  'quizas',
]);
/** Hedges and bounds: "not sure", "no idea", "no more than 12 thousand" negate nothing that follows. */
const HEDGES: ReadonlySet<string> = new Set([
  'sure',
  'idea',
  'know',
  'problem',
  'worries',
  'more',
  'less',
  'later',
]);
const NEGATION_REACH = 8;
const CLAUSE_ENDS: ReadonlySet<string> = new Set([',', '.', ';', ':', '!', '?']);
const QUESTION_STARTS =
  /^(how|what|whats|is|are|do|does|did|can|could|would|will|should|cuanto|cuantos|que|ofrecen|hacen)\b/;
const BUDGET_QUESTION =
  /\b(budget|spend|price range|approved for|to work with|presupuesto|gastar|invertir)\b/;
const TIMELINE_QUESTION = /\b(when|timeline|timeframe|time frame|timing|cuando|para cuando)\b/;
const BUDGET_FIELD = /budget|price|presupuesto/i;
const TIMELINE_FIELD = /time|when|start|date|cuando/i;

function askedAboutIn(agentText: string): AskedAbout | undefined {
  const folded = foldWord(agentText);
  if (BUDGET_QUESTION.test(folded)) return 'budget';
  if (TIMELINE_QUESTION.test(folded)) return 'timeline';
  return undefined;
}

/** wink marks everything after a negation up to punctuation; the trade reads it shorter. */
function negationScopes(words: readonly string[], winkFlags: readonly boolean[], first: number): boolean[] {
  const negated: boolean[] = [];
  let reach = 0;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] ?? '';
    if (NEGATION_CUES.has(word)) {
      reach = HEDGES.has(words[i + 1] ?? '') ? 0 : NEGATION_REACH;
      negated.push(false);
      continue;
    }
    if (SCOPE_ENDS.has(word) || CLAUSE_ENDS.has(word)) reach = 0;
    negated.push(reach > 0 && (winkFlags[first + i] ?? false));
    if (reach > 0) reach -= 1;
  }
  return negated;
}

/** Whether a word has a letter: a plain ASCII word is told without a Unicode regex. */
function hasLetter(word: string): boolean {
  for (let i = 0; i < word.length; i += 1) {
    const code = word.charCodeAt(i);
    if (code >= 128) return /\p{L}/u.test(word);
    if ((code | 32) >= 97 && (code | 32) <= 122) return true;
  }
  return false;
}

/** What the caller said in one go: a turn, or a form field. */
interface Passage {
  text: string;
  askedAbout: AskedAbout | undefined;
}

/** Between passages read as one document: wink always ends a sentence there. */
const PASSAGE_BREAK = '\n\n';
/** Whitespace other than spaces: wink could read it with a break as one token. */
const OTHER_SPACE = /[^\S ]/;

function sentenceOf(
  normals: readonly string[],
  winkFlags: readonly boolean[],
  first: number,
  last: number,
  sentiment: number,
  askedAbout: AskedAbout | undefined,
): CallerSentence {
  const words: string[] = [];
  const starts: number[] = [];
  let offset = 0;
  for (let i = first; i <= last; i += 1) {
    const word = foldWord(normals[i] ?? '');
    words.push(word);
    starts.push(offset);
    offset += word.length + 1;
  }
  const joined = words.join(' ');
  return {
    words,
    negated: negationScopes(words, winkFlags, first),
    text: joined,
    starts,
    sentiment: sentiment || 0,
    question: joined.endsWith('?') || QUESTION_STARTS.test(joined),
    askedAbout,
  };
}

/**
 * Reads passages as one wink document, joined by breaks, into each passage's sentences. Undefined when
 * wink did not end a sentence at every break, or a passage came out without one: then each is read alone.
 */
function readJoined(passages: readonly Passage[]): CallerSentence[][] | undefined {
  // One reading for all the turns: each reading starts the three automata and its arrays anew.
  const { normals, negated, sentences } = winkReader.read(
    passages.map((passage) => passage.text).join(PASSAGE_BREAK),
  );
  const byPassage: CallerSentence[][] = passages.map(() => []);
  let passage = 0;
  for (const { first: from, last: to, sentiment } of sentences) {
    let first = from;
    let last = to;
    while (first <= last && normals[first] === PASSAGE_BREAK) {
      first += 1;
      passage += 1;
    }
    let breaksAfter = 0;
    while (last >= first && normals[last] === PASSAGE_BREAK) {
      last -= 1;
      breaksAfter += 1;
    }
    if (first <= last) {
      for (let i = first; i <= last; i += 1) if (normals[i] === PASSAGE_BREAK) return undefined;
      const reading = byPassage[passage];
      if (reading === undefined) return undefined;
      reading.push(sentenceOf(normals, negated, first, last, sentiment, passages[passage]?.askedAbout));
    }
    passage += breaksAfter;
  }
  if (passage !== passages.length - 1 || byPassage.some((reading) => reading.length === 0)) return undefined;
  return byPassage;
}

function readAlone(passage: Passage): CallerSentence[] {
  const { normals, negated, sentences } = winkReader.read(passage.text);
  return sentences.map(({ first, last, sentiment }) =>
    sentenceOf(normals, negated, first, last, sentiment, passage.askedAbout),
  );
}

/** The caller's sentences, passage after passage. */
function readPassages(passages: readonly Passage[]): CallerSentence[] {
  const joinable = passages.filter(({ text }) => text.trim() !== '' && !OTHER_SPACE.test(text));
  const joined = joinable.length > 1 ? readJoined(joinable) : undefined;
  const sentences: CallerSentence[] = [];
  let next = 0;
  for (const passage of passages) {
    const reading = joined !== undefined && passage === joinable[next] ? joined[next++] : undefined;
    sentences.push(...(reading ?? readAlone(passage)));
  }
  return sentences;
}

/**
 * What a transcription service writes for sounds that are not words: "[inaudible]", "[fax tones]",
 * "(cuelga)". Said by no one, they are not the caller's words.
 */
const NON_SPEECH =
  /\[[^\]\n]{0,40}\]|\((?:cuelga|laughs?|laughing|risas?|inaudible|crosstalk|pause|silence|silencio|static|hangs up|music)\)/giu;

/** Typographic apostrophes, as phones and word processors write them: "neighbor’s" is "neighbor's". */
const CURLY_APOSTROPHE = /[‘’]/g;

function plainApostrophes(text: string): string {
  return text.includes('’') || text.includes('‘') ? text.replace(CURLY_APOSTROPHE, "'") : text;
}

/** Sounds and fillers out, apostrophes plain, spoken numbers as digits. */
function prepared(raw: string): string {
  const text = plainApostrophes(raw);
  const spoken = text.includes('[') || text.includes('(') ? text.replace(NON_SPEECH, ' ') : text;
  return writeSpokenNumbersAsDigits(withoutFillers(spoken));
}

/** Form fields as passages: free text as written, choices as "budget: $25,000 - $50,000". */
function formPassages(fields: Record<string, string>): Passage[] {
  const passages: Passage[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value.trim() === '' || isContactField(key)) continue;
    // "¿Cuándo?", "Presupuesto": a field's name is read without its accents, as the words are.
    const name = foldWord(key);
    const asked = BUDGET_FIELD.test(name) ? 'budget' : TIMELINE_FIELD.test(name) ? 'timeline' : undefined;
    passages.push({ text: prepared(/[.!?]\s*$/.test(value) ? value : `${value}.`), askedAbout: asked });
  }
  return passages;
}

/** Reads a call or form into the caller's sentences; agent turns give context only. */
export function readCall(call: RawCall): CallReading {
  const passages: Passage[] = [];
  const agentParts: string[] = [];
  let askedAbout: AskedAbout | undefined;
  for (const turn of splitTurns(call.transcription ?? '')) {
    if (turn.speaker === 'agent') {
      agentParts.push(turn.text);
      askedAbout = askedAboutIn(turn.text);
    } else {
      passages.push({ text: prepared(turn.text), askedAbout });
      askedAbout = undefined;
    }
  }
  passages.push(...formPassages(call.form_fields));
  const caller = readPassages(passages);
  let callerWordCount = 0;
  for (const sentence of caller) for (const word of sentence.words) if (hasLetter(word)) callerWordCount += 1;
  return { caller, agentText: foldWord(plainApostrophes(agentParts.join(' \n '))), callerWordCount };
}
