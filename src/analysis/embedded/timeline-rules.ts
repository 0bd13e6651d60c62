import type { Timeline } from '../../events/ai-analysis.js';
import type { CallerSentence } from './call-reading.js';
import type { PhraseHit } from './phrase-matcher.js';
import {
  gateWordsIn,
  needsOneOf,
  opensBySentence,
  SENTENCES_TOLD_APART,
  type WordGate,
} from './word-gate.js';

/**
 * When the caller wants the work done, in months from the call, read from what they said: "in two
 * weeks", "a month or two", "this fall", "by August", "next year", "ASAP", "no rush". Time words in a
 * sentence about a visit ("can someone come out tomorrow?") are the visit's, not the project's.
 */

const UNIT_MONTHS: Readonly<Record<string, number>> = {
  day: 1 / 30,
  days: 1 / 30,
  dia: 1 / 30,
  dias: 1 / 30,
  week: 7 / 30,
  weeks: 7 / 30,
  semana: 7 / 30,
  semanas: 7 / 30,
  month: 1,
  months: 1,
  mes: 1,
  meses: 1,
  year: 12,
  years: 12,
  ano: 12,
  anos: 12,
};
const UNIT = '(days?|weeks?|months?|years?|dias?|semanas?|mes|meses|anos?)';
const COUNT = '(\\d+(?:\\.\\d+)?(?: ?\\+)?|a|an|un|una|uno|couple of|couple|few)';
/** A length of time only counts forward from the call when one of these leads to it. */
const FORWARD =
  /(?:^|\s)(in|within|next|about|around|roughly|maybe|probably|like|en|unos|dentro de|from now|start|starting|begin|take|have|only have|got)\s+(?:the\s+|about\s+|like\s+|maybe\s+|unos\s+)?$/;
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MESES = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
];
const SEASON_START: Readonly<Record<string, number>> = {
  spring: 2,
  primavera: 2,
  summer: 5,
  verano: 5,
  fall: 8,
  autumn: 8,
  otono: 8,
  winter: 11,
  invierno: 11,
};
const IMMEDIATE =
  /\b(asap|as soon as possible|as soon as (?:you|we) can|right away|immediately|urgently|(?:need|want) (?:it|this|them|that)(?: \w+){0,3} now|(?:need|want) (?:someone|somebody|a contractor|help)(?: \w+){0,5} (?:right )?now|(?:needs?|has to|have to) (?:\w+ ){0,3}right now|lo antes posible|lo mas pronto posible|cuanto antes|yesterday|hoy mismo|(?:the )?sooner the better|sooner rather than later|as soon as (?:you guys|y'all|you all) can|as fast as (?:possible|you can)|lo mas rapido posible)\b/g;
const DAY_WORDS =
  /\b(today|tomorrow|tonight|this week|next week|this weekend|hoy|esta semana|la proxima semana)\b/g;
const VISIT =
  /\b(come (out|by|look|see|measure|give)|to look at|look at it|appointment|consultation|walkthrough|showroom|estimator|designer|inspector|visit|call (me|you) ?back|call ?back|una respuesta|an answer|a response|calendar|available|works for|cita|medir|vengan|be home|are you open)\b/;
const FROM_BEFORE = /\b(?:from|del|desde)\s+(?:el\s+)?$/;
const NOT_THEN_BEFORE = /\b(?:from|out of town|away|on vacation|on holiday|travell?ing)\s+$/;
const NEED =
  /\b(need|needs|want|has to|have to|must|necesito|necesitamos|quiero|queremos|if possible|if you can|si se puede)\b/;
const NOT_THIS_YEAR = /\bnot (?:this|esta) (year|ano)\b/g;
/** "2 to 3 months", "4 or 5", and as it is said aloud, "4, 5 months". */
const RANGE = new RegExp(`\\b${COUNT}\\s*(?:-|to|or|o|a|,)\\s*(\\d+(?:\\.\\d+)?)\\s+${UNIT}\\b`, 'g');
const LENGTH = new RegExp(`\\b${COUNT}\\s+${UNIT}\\b(?!\\s+(ago|old|of experience|into))`, 'g');
const ALONE_AFTER = /^\s*[.!?]?\s*$/;
/** A length of time that lies behind or is only compared: "for 2 years", "been 3 weeks". */
const BACKWARD = /\b(for|been|past|last|every|ago|than)\s+(the\s+)?$/;
const NEXT_MONTH_OR_YEAR = /\b(next|proximo|el proximo) (month|mes|year|ano)\b|\bel (mes|ano) que viene\b/g;
const THIS_MONTH = /\b(this month|end of the month|within the month|este mes)\b/g;
const END_OF_YEAR =
  /\b(later this year|end of the year|early next year|fin de ano|after (?:the )?new year)\b/g;
const SEASON =
  /\b(this|next|in the|in|by|before|after the|after|despues del|despues de|early|late|el|la|este|esta|proximo|proxima)?\s?(spring|summer|fall|autumn|winter|primavera|verano|otono|invierno)\b/g;
/** "6+ months": the plus of a count. */
const PLUS = / ?\+$/;
/** "Within 30 days", "within the next 2 weeks": at most that long. */
const WITHIN_BEFORE = /\bwithin\s+(?:the\s+)?(?:next\s+)?$/;
/** "In the next month", "within the next month"; "... or so" after it is looser. */
const IN_THE_BEFORE = /\b(within|in) the $/;
const OR_AFTER = /^\s*or\b/;
const OR_MORE_MONTHS = /^\s*or (?:2|two|3|three)\b/;
/** "Last spring", "el verano pasado" written first: behind, not ahead. */
const LAST_BEFORE = /\b(last|past)\s?$/;
/** "End of summer", "the end of the winter": as late in the season as "late summer". */
const END_OF_BEFORE = /\b(?:end|fin) (?:of|del|de)(?: the| el)?\s?$/;
/** "A fall" is a tumble, not autumn. */
const A_BEFORE = /\ba\s?$/;
/** "It's going to fall through", "the tiles fall off": the verb, not autumn. */
const FALL_VERB_BEFORE = /\b(?:to|will|'ll|might|could|would|may|can|gonna|did|does|not)\s?$/;
const FALL_VERB_AFTER = /^\s(?:through|thru|off|apart|down|over|out|behind)\b/;
/** "Spring next year": the season after the coming one. */
const NEXT_YEAR_AFTER = /^\s+(?:(?:of\s+)?next year|after next)\b/;
/**
 * A month the work was done or signed in ("you finished our kitchen in March"), or a loss happened in
 * ("she passed in January"), is not a timeline.
 */
const PAST_WORK =
  /\b(finished|redid|did|started|signed|installed|completed|remodeled|built|began|passed|died)\b/;
/** "More than 12 months": a length of time that is a lower bound, not a comparison. */
const MORE_THAN = /\bmore than\s+$/;
/** A time said right after the work it times ("starting maybe in the fall") is the work's. */
const WORK_JUST_BEFORE = /\b(start\w*|begin\w*|do it|done|redo it)\s+(?:\S+\s+){0,3}$/;
const NOT_UNTIL = /\b(?:until|till|til|before|hasta)(?:\s+the)?\s*$/;
/** A time said after one of these replaces the one said before it in the sentence. */
const CORRECTED = 2;
const CORRECTION = /\b(?:but|actually|realistically|on second thought|pero|en realidad)\b/;
const MONTH_NAMES = [...MONTHS, ...MESES].join('|');
/**
 * A month after a word that aims at it ("aiming for September", "by June"), said as a sentence alone, or
 * as a date ("May 20th", "el 15 de junio").
 */
const MONTH_NAMED = new RegExp(
  `\\b(in|by|around|until|before|after|early|late|mid|like|en|para|for|probably|maybe|end of|start of|beginning of)[\\s-]+(${MONTH_NAMES})\\b|\\b(${MONTH_NAMES}) or so\\b|^(${MONTH_NAMES}) [.!?]$|\\b(${MONTH_NAMES}) \\d{1,2}(?:st|nd|rd|th)?\\b|\\b\\d{1,2} de (${MONTH_NAMES})\\b`,
  'g',
);
/** Holidays a caller times work by, "'fore the Fourth" as said in the South among them. */
const OR_MONTH = new RegExp(`^\\s*(?:,\\s*)?(?:or|o|to|a)\\s+(${MONTH_NAMES})\\b`);
const HOLIDAYS =
  /\b(before|by|after|fore) (thanksgiving|christmas|the holidays|navidad|the fourth|the 4th|july 4th|memorial day|labor day)\b(?! time| call| one)/g;
/** Each holiday's month (0-11) and day; the holidays are Christmas's. */
const HOLIDAY_DATES: Readonly<Record<string, readonly [number, number]>> = {
  thanksgiving: [10, 20],
  'the fourth': [6, 4],
  'the 4th': [6, 4],
  'july 4th': [6, 4],
  'memorial day': [4, 25],
  'labor day': [8, 1],
};
/** Kinds of time word: a pattern is looked for only in a sentence that says a word of its kind. */
const UNIT_WORD = 1;
const SEASON_WORD = 2;
const MONTH_WORD = 4;
const HOLIDAY_WORD = 8;
const AT_ONCE_WORD = 16;
const DAY_WORD = 32;
function ofKind(words: readonly string[], kind: number): Array<[string, number]> {
  return words.map((word) => [word, kind]);
}
/**
 * Each pattern's matches hold, as a whole word, one of these of its kind: the lengths, NOT_THIS_YEAR, "next
 * month" and "end of the year" a unit; MONTH_NAMED a month's name; HOLIDAYS a holiday's (or the day of
 * "labor day"); IMMEDIATE a word of "asap", "as soon as", "right away", "right now", "cuanto antes", "the
 * sooner the better"; DAY_WORDS a day word.
 */
const TIME_WORD_KINDS: ReadonlyMap<string, number> = new Map([
  ...ofKind('days weeks months month years year dias dia semanas mes meses anos ano'.split(' '), UNIT_WORD),
  ...ofKind(['day'], UNIT_WORD | HOLIDAY_WORD),
  ...ofKind(['week', 'semana'], UNIT_WORD | DAY_WORD),
  ...ofKind([...MONTHS, ...MESES], MONTH_WORD),
  ...ofKind('thanksgiving christmas holidays navidad fourth 4th'.split(' '), HOLIDAY_WORD),
  ...ofKind('today tomorrow tonight weekend'.split(' '), DAY_WORD),
  ...ofKind(['hoy'], DAY_WORD | AT_ONCE_WORD),
  ...ofKind(
    'asap soon sooner away now immediately urgently antes pronto fast rapido yesterday'.split(' '),
    AT_ONCE_WORD,
  ),
]);
const SEASON_LEADS =
  'this next the in by before after del de early late el la este esta proximo proxima'.split(' ');
const SEASONS = 'spring summer fall autumn winter primavera verano otono invierno'.split(' ');
/**
 * The time words, and the seasons, which SEASON also reads with the word before them run on ("inspring",
 * "thefall"). Most sentences hold none and are spared the patterns, and a sentence that holds some is
 * read only by the patterns of their kinds. Whole words, not word starts: "maybe", "falling" and "another"
 * pass no more.
 */
const TIME_WORD = new RegExp(
  `\\b(?:${[...TIME_WORD_KINDS.keys()].join('|')}|(?:${SEASON_LEADS.join('|')})?(?:${SEASONS.join('|')}))\\b`,
  'g',
);
/**
 * TIME_WORD's words by kind, as word gates: every word TIME_WORD can match is a whole run of `\w` (it
 * starts and ends at `\b` and holds only `\w`), the runs the gates hear, so a sentence's gates tell the
 * kinds its TIME_WORD matches note, without scanning it again.
 */
const TIME_WORD_GATES = ((): ReadonlyArray<readonly [number, WordGate]> => {
  const kinds = new Map(TIME_WORD_KINDS);
  for (const lead of ['', ...SEASON_LEADS])
    for (const season of SEASONS) kinds.set(lead + season, TIME_WORD_KINDS.get(lead + season) ?? SEASON_WORD);
  return [UNIT_WORD, SEASON_WORD, MONTH_WORD, HOLIDAY_WORD, AT_ONCE_WORD, DAY_WORD].map((kind) => [
    kind,
    needsOneOf(...[...kinds].filter(([, of]) => (of & kind) !== 0).map(([word]) => word)),
  ]);
})();

/** Each kind of time word with whether a sentence of the call says one, by index. */
type KindsOpen = ReadonlyArray<readonly [number, (sentence: number, text: string) => boolean]>;

/**
 * The kinds of time word said in a caller's sentence (`index` of the call's): from the gates where the
 * call's words tell the sentence apart, otherwise by scanning it.
 */
function kindsSaid(sentence: CallerSentence, index: number, kindsOpen: KindsOpen): number {
  let said = 0;
  if (index < SENTENCES_TOLD_APART) {
    for (const [kind, opens] of kindsOpen) if (opens(index, '')) said |= kind;
    return said;
  }
  TIME_WORD.lastIndex = 0;
  for (let m = TIME_WORD.exec(sentence.text); m !== null; m = TIME_WORD.exec(sentence.text))
    said |= TIME_WORD_KINDS.get(m[0]) ?? SEASON_WORD;
  return said;
}
const WORK =
  /\b(start\w*|begin\w*|get going|break ground|build|done|finished|redone|ready|complete\w*|empezar|listo|lista|necesitamos|need it|want it|have it|move in)\b/;

export interface TimelineFinding {
  months: number;
  /** What was heard, for the score's reasons. */
  heard: string;
  /** The caller's sentence it was said in; none when it is read from "no hurry" or an urgent problem. */
  sentence?: number;
}

interface Candidate extends TimelineFinding {
  weight: number;
  order: number;
}

function count(word: string): number {
  if (word.startsWith('couple')) return 2;
  if (word === 'few') return 3;
  return ['a', 'an', 'un', 'una', 'uno'].includes(word) ? 1 : Number(word.replace(PLUS, ''));
}

/** Months from `from` to the 1st of `monthIndex` (0-11), looking forward. */
function monthsUntil(from: Date, monthIndex: number, day = 1): number {
  const year = from.getUTCFullYear();
  let target = Date.UTC(year, monthIndex, day);
  if (target < from.getTime() - 15 * 86_400_000) target = Date.UTC(year + 1, monthIndex, day);
  return Math.max(0, (target - from.getTime()) / (30 * 86_400_000));
}

/**
 * A range of time that is the whole sentence ("3-6 meses." chosen on a form's dropdown) answers when,
 * whatever the field was called. A single length said alone is as often a complaint's echo ("8 weeks past
 * the date. 8 weeks.") as an answer, so only a range counts so.
 */
function saidAlone(text: string, match: RegExpMatchArray): boolean {
  const at = match.index ?? 0;
  return at === 0 && ALONE_AFTER.test(text.slice(at + match[0].length));
}

function isNegatedAt(sentence: CallerSentence, charIndex: number): boolean {
  const word = sentence.starts.findIndex(
    (start, i) => start <= charIndex && charIndex < (sentence.starts[i + 1] ?? Infinity),
  );
  return word >= 0 && (sentence.negated[word] ?? false);
}

/**
 * The first match of a global pattern, from the text's start, if a time word of its kind was said (the
 * kinds said in `saidIn`); `pattern.exec` then gives the rest, as
 * matchAll would without the copy of the pattern it makes on every call. None of the patterns matches
 * the empty string, so the two step through a text alike.
 */
function firstMatch(pattern: RegExp, text: string, saidIn: number, kind: number): RegExpExecArray | null {
  if ((saidIn & kind) === 0) return null;
  pattern.lastIndex = 0;
  return pattern.exec(text);
}

function findingsIn(
  sentence: CallerSentence,
  said: number,
  from: Date,
): Array<TimelineFinding & { at: number }> {
  if (said === 0) return [];
  const text = sentence.text;
  const found: Array<TimelineFinding & { at: number }> = [];
  // "It won't be till next year", "not before the fall": the negation puts the work at that time or later.
  const add = (at: number, months: number, heard: string) => {
    if (!isNegatedAt(sentence, at) || NOT_UNTIL.test(text.slice(0, at))) found.push({ at, months, heard });
  };

  // "not this year", "not until next spring": the negation moves the time later, it does not remove it.
  for (let m = firstMatch(NOT_THIS_YEAR, text, said, UNIT_WORD); m !== null; m = NOT_THIS_YEAR.exec(text))
    found.push({ at: m.index, months: 12, heard: m[0] });
  for (let m = firstMatch(RANGE, text, said, UNIT_WORD); m !== null; m = RANGE.exec(text)) {
    const [, low = '', high = '', unit = ''] = m;
    const forward =
      FORWARD.test(text.slice(0, m.index)) ||
      sentence.askedAbout === 'timeline' ||
      WORK.test(text) ||
      saidAlone(text, m);
    if (forward) add(m.index, ((count(low) + count(high)) / 2) * (UNIT_MONTHS[unit] ?? 1), m[0]);
  }
  for (let m = firstMatch(LENGTH, text, said, UNIT_WORD); m !== null; m = LENGTH.exec(text)) {
    const [, amount = '', unit = ''] = m;
    if (found.some((f) => f.at <= m.index && m.index < f.at + f.heard.length)) continue;
    const before = text.slice(0, m.index);
    if (BACKWARD.test(before) && !MORE_THAN.test(before)) continue;
    // "6+ months": more than six.
    const units = count(amount) + (amount.endsWith('+') ? 0.5 : 0);
    // "Within 30 days": at most that, so inside it.
    const within = WITHIN_BEFORE.test(before) ? 0.9 : 1;
    if (FORWARD.test(before) || sentence.askedAbout === 'timeline')
      add(m.index, units * (UNIT_MONTHS[unit] ?? 1) * within, m[0]);
  }
  for (
    let m = firstMatch(NEXT_MONTH_OR_YEAR, text, said, UNIT_WORD);
    m !== null;
    m = NEXT_MONTH_OR_YEAR.exec(text)
  ) {
    // "Within the next month", "in the next month" (but not "... or so"): inside four weeks.
    const before = text.slice(0, m.index);
    const within =
      IN_THE_BEFORE.test(before) &&
      (before.endsWith('within the ') || !OR_AFTER.test(text.slice(m.index + m[0].length)));
    add(m.index, /year|ano/.test(m[0]) ? 12 : within ? 0.9 : 1, m[0]);
  }
  // "Within the month or two" stretches the month into a range around six weeks.
  for (let m = firstMatch(THIS_MONTH, text, said, UNIT_WORD); m !== null; m = THIS_MONTH.exec(text))
    add(m.index, OR_MORE_MONTHS.test(text.slice(m.index + m[0].length)) ? 1.5 : 0.5, m[0]);
  for (let m = firstMatch(END_OF_YEAR, text, said, UNIT_WORD); m !== null; m = END_OF_YEAR.exec(text)) {
    const months = m[0].endsWith('new year') ? monthsUntil(from, 0) : monthsUntil(from, 10);
    add(m.index, m[0] === 'early next year' ? 9 : months, m[0]);
  }
  for (let m = firstMatch(SEASON, text, said, SEASON_WORD); m !== null; m = SEASON.exec(text)) {
    // "She had a fall" is no season.
    if (
      m[2] === 'fall' &&
      m[1] === undefined &&
      (A_BEFORE.test(text.slice(0, m.index)) ||
        FALL_VERB_BEFORE.test(text.slice(0, m.index)) ||
        FALL_VERB_AFTER.test(text.slice(m.index + m[0].length)))
    )
      continue;
    // "Last spring" is behind.
    if (m[1] === undefined && LAST_BEFORE.test(text.slice(0, m.index))) continue;
    const season = SEASON_START[m[2] ?? ''] ?? 0;
    const now = from.getUTCMonth();
    const inSeason = (now - season + 12) % 12 < 3;
    const next = m[1] === 'next' || NEXT_YEAR_AFTER.test(text.slice(m.index + m[0].length));
    let months = inSeason && !next ? 0 : monthsUntil(from, season);
    if (inSeason && next) months = 12 - ((now - season + 12) % 12);
    // "Next summer" said in spring is the one after this summer.
    else if (next && months < 6) months += 12;
    if (
      m[1]?.startsWith('after') ||
      m[1]?.startsWith('despues') ||
      m[1] === 'late' ||
      (m[1] === undefined && END_OF_BEFORE.test(text.slice(0, m.index)))
    )
      months += 3;
    add(m.index, months, m[0]);
  }
  for (let m = firstMatch(MONTH_NAMED, text, said, MONTH_WORD); m !== null; m = MONTH_NAMED.exec(text)) {
    // The answer to "and timing?" is the timeline, though it says "started": "ideally started in June".
    if (sentence.askedAbout !== 'timeline' && PAST_WORK.test(text.slice(0, m.index))) continue;
    // "Push it from May 5th to June 2nd": the date moved from is not the one wanted.
    if (FROM_BEFORE.test(text.slice(0, m.index))) continue;
    const name = m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? '';
    const index = MONTHS.includes(name) ? MONTHS.indexOf(name) : MESES.indexOf(name);
    // "In May" said in April is next month, not "within weeks", however close May's first day is.
    const until = index === from.getUTCMonth() ? 0 : Math.max(1, monthsUntil(from, index));
    // "July or August" spans both months and counts by its middle, the end of the first.
    const other = OR_MONTH.exec(text.slice(m.index + m[0].length))?.[1];
    if (other !== undefined) {
      const otherIndex = MONTHS.includes(other) ? MONTHS.indexOf(other) : MESES.indexOf(other);
      add(m.index, (until + Math.max(1, monthsUntil(from, otherIndex))) / 2 + 0.5, m[0]);
      continue;
    }
    add(m.index, until + (m[1] === 'after' ? 1 : 0), m[0]);
  }
  for (let m = firstMatch(HOLIDAYS, text, said, HOLIDAY_WORD); m !== null; m = HOLIDAYS.exec(text)) {
    const [month, day] = HOLIDAY_DATES[m[2] ?? ''] ?? [11, 20];
    const holiday = monthsUntil(from, month, day);
    add(m.index, m[1] === 'after' ? holiday + 1 : holiday, m[0]);
  }
  // "We close in June and want to start right away": at once after a later time is that time.
  const later = found.some((finding) => finding.months >= 1);
  if (!later)
    for (let m = firstMatch(IMMEDIATE, text, said, AT_ONCE_WORD); m !== null; m = IMMEDIATE.exec(text))
      add(m.index, 0, m[0]);
  // "Installed this week", "come out tomorrow": day words count only when the caller needs the work then.
  // A day moved away from ("reschedule from tomorrow") or spent away ("we'll be out of town next week") is
  // when the caller cannot have the work, not when they want it.
  if ((NEED.test(text) || WORK.test(text)) && !VISIT.test(text))
    for (let m = firstMatch(DAY_WORDS, text, said, DAY_WORD); m !== null; m = DAY_WORDS.exec(text))
      if (!NOT_THEN_BEFORE.test(text.slice(0, m.index))) add(m.index, 0.1, m[0]);
  return found.sort((a, b) => a.at - b.at);
}

/**
 * The caller's timeline: the time said about the work itself first, otherwise the first time said;
 * failing that, "no rush" means long, an urgent problem (a leak) means now.
 */
export function findTimeline(
  sentences: readonly CallerSentence[],
  from: Date,
  noHurry: readonly PhraseHit<string>[],
  urgentProblem: readonly PhraseHit<string>[],
): TimelineFinding | undefined {
  const candidates: Candidate[] = [];
  const heard = gateWordsIn(sentences);
  const kindsOpen: KindsOpen = TIME_WORD_GATES.map(([kind, gate]) => [kind, opensBySentence(gate, heard)]);
  for (const [index, sentence] of sentences.entries()) {
    const findings = findingsIn(sentence, kindsSaid(sentence, index, kindsOpen), from);
    if (findings.length === 0) continue;
    const weight = 1 + (WORK.test(sentence.text) ? 1 : 0) + (sentence.askedAbout === 'timeline' ? 1 : 0);
    for (const [at, finding] of findings.entries()) {
      const timesWork = WORK_JUST_BEFORE.test(sentence.text.slice(0, finding.at)) ? 1 : 0;
      // "We need it next month, but realistically three or four months": the caller corrected it.
      const previous = findings[at - 1];
      const corrected =
        previous && CORRECTION.test(sentence.text.slice(previous.at, finding.at)) ? CORRECTED : 0;
      candidates.push({
        months: finding.months,
        heard: finding.heard,
        weight: weight + timesWork + corrected,
        order: index,
      });
    }
  }
  const best = candidates.sort((a, b) => b.weight - a.weight || a.order - b.order)[0];
  if (best) return { months: best.months, heard: best.heard, sentence: best.order };
  if (noHurry.some((hit) => !hit.negated)) return { months: 12, heard: 'no hurry' };
  // One phrase that settles it ("leak"), or two that hint ("dripping" and "today").
  let urgency = 0;
  for (const hit of urgentProblem) if (!hit.negated) urgency += hit.weight;
  if (urgency >= 3) return { months: 0, heard: 'an urgent problem' };
  return undefined;
}

export function timelineOf(finding: TimelineFinding | undefined): Timeline {
  if (!finding) return 'unknown';
  if (finding.months < 0.93) return 'immediate';
  if (finding.months <= 3) return '1-3_months';
  if (finding.months <= 6) return '3-6_months';
  return '6+_months';
}
