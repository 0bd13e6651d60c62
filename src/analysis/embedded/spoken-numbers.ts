/**
 * Writes numbers spoken as words with digits, so later rules read one form: "fifty thousand" → "50000",
 * "a hundred and fifty thousand" → "150000", "twenty-four hundred" → "2400", "a couple of" → "2",
 * "half a year" → "6 months", "ten grand" → "10000", "treinta y cinco mil" → "35000". English and Spanish.
 */

const UNITS: ReadonlyMap<string, number> = new Map([
  ['zero', 0],
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['eight', 8],
  ['nine', 9],
  ['ten', 10],
  ['eleven', 11],
  ['twelve', 12],
  ['thirteen', 13],
  ['fourteen', 14],
  ['fifteen', 15],
  ['sixteen', 16],
  ['seventeen', 17],
  ['eighteen', 18],
  ['nineteen', 19],
  ['twenty', 20],
  ['thirty', 30],
  ['forty', 40],
  ['fifty', 50],
  ['sixty', 60],
  ['seventy', 70],
  ['eighty', 80],
  ['ninety', 90],
  ['dos', 2],
  ['tres', 3],
  ['cuatro', 4],
  ['cinco', 5],
  ['seis', 6],
  ['siete', 7],
  ['ocho', 8],
  ['nueve', 9],
  ['diez', 10],
  ['once', 11],
  ['doce', 12],
  ['trece', 13],
  ['catorce', 14],
  ['quince', 15],
  ['dieciseis', 16],
  ['dieciséis', 16],
  ['diecisiete', 17],
  ['dieciocho', 18],
  ['diecinueve', 19],
  ['veinte', 20],
  ['veintiuno', 21],
  ['veintiun', 21],
  ['veintiún', 21],
  ['veintidos', 22],
  ['veintidós', 22],
  ['veintitres', 23],
  ['veintitrés', 23],
  ['veinticuatro', 24],
  ['veinticinco', 25],
  ['veintiseis', 26],
  ['veintiséis', 26],
  ['veintisiete', 27],
  ['veintiocho', 28],
  ['veintinueve', 29],
  ['treinta', 30],
  ['cuarenta', 40],
  ['cincuenta', 50],
  ['sesenta', 60],
  ['setenta', 70],
  ['ochenta', 80],
  ['noventa', 90],
]);
const HUNDREDS: ReadonlySet<string> = new Set(['hundred', 'cien', 'ciento']);
const THOUSANDS: ReadonlySet<string> = new Set(['thousand', 'grand', 'mil']);
const MILLIONS: ReadonlySet<string> = new Set(['million', 'millon', 'millón', 'millones']);
/** Words that join the parts of one number ("a hundred and fifty", "treinta y cinco"). */
const JOINERS: ReadonlySet<string> = new Set(['and', 'y']);

/** Phrases rewritten before numbers are read: they stand for a number without saying one. */
const IDIOMS: ReadonlyArray<[RegExp, string]> = [
  [/\bhalf (a|one) year\b/gi, '6 months'],
  [/\bhalf a million\b/gi, '500000'],
  [/\ba couple(?: of)?\b/gi, '2'],
  [/\bcouple of\b/gi, '2'],
  [/\ba few\b/gi, '3'],
  [/\b(?:few|several) (days|weeks|months|years)\b/gi, '3 $1'],
  [/\b(a|one) (hundred|thousand|grand|million)\b/gi, '1 $2'],
  [/\bun (mes|ano|año)\b/gi, '1 $1'],
  [/\bunos\b/gi, 'unos'],
];

const WORD = /[\p{L}]+|\d+(?:[.,]\d+)*|[^\p{L}\d]+/gu;

const NUMBER_WORDS: ReadonlySet<string> = new Set([...UNITS.keys(), ...HUNDREDS, ...THOUSANDS, ...MILLIONS]);

/**
 * The shortest and longest number word: lower-casing keeps a word's length unless it makes a combining
 * mark, which no number word has, so a part of another length is told without lower-casing it.
 */
const SHORTEST_NUMBER_WORD = Math.min(...[...NUMBER_WORDS].map((word) => word.length));
const LONGEST_NUMBER_WORD = Math.max(...[...NUMBER_WORDS].map((word) => word.length));

function isNumberWord(word: string): boolean {
  if (word.length < SHORTEST_NUMBER_WORD || word.length > LONGEST_NUMBER_WORD) return false;
  return NUMBER_WORDS.has(word.toLowerCase());
}

/** A digit string the next words may multiply ("50 thousand"). */
function digitValue(token: string): number | undefined {
  if (!/^\d+(?:,\d{3})*(?:\.\d+)?$/.test(token)) return undefined;
  return Number(token.replaceAll(',', ''));
}

/** Whether `value` may follow `current` inside one number ("twenty" then "four", not "eight" then "ten"). */
function canAppendUnit(current: number, value: number): boolean {
  const belowHundred = current % 100;
  if (belowHundred === 0) return true;
  return value < 10 && belowHundred >= 20 && belowHundred % 10 === 0;
}

/** Reads one number from consecutive parts; returns its value and how many parts it used. */
function readNumber(parts: readonly string[], start: number): { value: number; used: number } | undefined {
  let total = 0;
  let current = 0;
  let used = 0;
  let sawWord = false;
  let i = start;
  const digits = digitValue(parts[start] ?? '');
  if (digits !== undefined) {
    current = digits;
    i += 1;
    used = 1;
  }
  while (i < parts.length) {
    const part = parts[i] ?? '';
    const lower = part.toLowerCase();
    const next = (parts[i + 1] ?? '').toLowerCase();
    if (i > start && /^[ -]$/.test(part) && (isNumberWord(next) || (JOINERS.has(next) && sawWord))) {
      i += 1;
      continue;
    }
    if (JOINERS.has(lower) && sawWord) {
      // "and" joins only inside a number: "a hundred and fifty", "treinta y cinco", not "two and a half".
      const after = UNITS.get((parts[i + 2] ?? '').toLowerCase());
      if (after === undefined || current === 0 || !canAppendUnit(current, after)) break;
      i += 1;
      continue;
    }
    const unit = UNITS.get(lower);
    if (unit !== undefined) {
      // "One-fifty", "one-twenty-five": hundreds said the short way, as figures are in the trade.
      if (total === 0 && current >= 1 && current <= 9 && unit >= 20 && parts[i - 1] === '-') {
        current = current * 100 + unit;
      } else if (!canAppendUnit(current, unit) || (unit >= 20 && current % 100 !== 0)) break;
      else current += unit;
    } else if (HUNDREDS.has(lower)) {
      if (current >= 100) break;
      current = current === 0 ? 100 : current * 100;
    } else if (THOUSANDS.has(lower)) {
      total += (current || 1) * 1000;
      current = 0;
    } else if (MILLIONS.has(lower)) {
      total += (current || 1) * 1_000_000;
      current = 0;
    } else {
      break;
    }
    sawWord = true;
    i += 1;
    used = i - start;
  }
  if (!sawWord) return undefined;
  return { value: total + current, used };
}

/**
 * Spanish number words that are also English words ("at once"): alone they count only before a Spanish
 * unit ("once meses", "once mil dólares").
 */
const AMBIGUOUS_ALONE: ReadonlySet<string> = new Set(['once']);
const SPANISH_UNITS = /^\s*(mes|meses|semanas?|d[ií]as|a[nñ]os|d[oó]lares|pesos)\b/i;

function isAmbiguousAlone(parts: readonly string[], start: number, used: number): boolean {
  if (used !== 1 || !AMBIGUOUS_ALONE.has((parts[start] ?? '').toLowerCase())) return false;
  return !SPANISH_UNITS.test(parts.slice(start + 1, start + 3).join(''));
}

/** Any idiom, in one test: most texts have none, and one test is cheaper than a replace per idiom. */
const ANY_IDIOM = new RegExp(IDIOMS.map(([pattern]) => `(?:${pattern.source})`).join('|'), 'i');

/**
 * A number word standing alone, in any case: a number is read only where there is one (digits alone are
 * left as they are), so a text without one needs no further reading.
 */
const ANY_NUMBER_WORD = new RegExp(`(?<!\\p{L})(?:${[...NUMBER_WORDS].join('|')})(?!\\p{L})`, 'iu');
/**
 * ANY_NUMBER_WORD for a text of ASCII characters only, where a letter is a-z or A-Z (twice as fast), and
 * through the whole text, to find where its first number word starts and its last ends.
 */
const EVERY_NUMBER_WORD_ASCII = new RegExp(`(?<![a-z])(?:${[...NUMBER_WORDS].join('|')})(?![a-z])`, 'gi');
const NOT_ASCII = /[\u0080-\uffff]/;

/** Whether a number can start at this part: digits, or a number word (readNumber needs one or the other). */
function mayStartNumber(part: string): boolean {
  const first = part.charCodeAt(0);
  return (first >= 48 && first <= 57) || isNumberWord(part);
}

function isAsciiLetter(text: string, at: number): boolean {
  const folded = text.charCodeAt(at) | 32;
  return folded >= 97 && folded <= 122;
}

/** Where a run of letters (or of other characters) that starts at `at` ends. */
function runEnd(text: string, at: number, letters: boolean): number {
  let end = at;
  while (end < text.length && isAsciiLetter(text, end) === letters) end += 1;
  return end;
}

/** Where a run of letters (or of other characters) that ends at `at` starts. */
function runStart(text: string, at: number, letters: boolean): number {
  let start = at;
  while (start > 0 && isAsciiLetter(text, start - 1) === letters) start -= 1;
  return start;
}

/** Numbers read in `text`, part by part. */
function numbersRead(text: string): string {
  const parts = text.match(WORD) ?? [];
  // The parts cover the text whole, so what lies between the numbers read is copied as one slice.
  let out = '';
  let copiedTo = 0;
  let at = 0;
  let i = 0;
  while (i < parts.length) {
    const part = parts[i] ?? '';
    const read = mayStartNumber(part) ? readNumber(parts, i) : undefined;
    if (read && !isAmbiguousAlone(parts, i, read.used)) {
      out += text.slice(copiedTo, at) + String(read.value);
      for (const end = i + read.used; i < end; i += 1) at += (parts[i] ?? '').length;
      copiedTo = at;
    } else {
      at += part.length;
      i += 1;
    }
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/**
 * An ASCII text's numbers, read only between the word before its first number word (at `first`) and the
 * second word after its last (ending at `last`): every number read holds a number word, starts at most two
 * parts before one (digits and a space: "50 thousand") and ends with one, and a part is looked ahead of at
 * most two parts, all inside those bounds. A word's start is always a part's start, so the parts between
 * the bounds are the text's.
 */
function numbersReadBetween(text: string, first: number, last: number): string {
  const from = runStart(text, runStart(text, first, false), true);
  const to = runEnd(text, runEnd(text, runEnd(text, last, false), true), false);
  const within = text.slice(from, to);
  const read = numbersRead(within);
  return read === within ? text : text.slice(0, from) + read + text.slice(to);
}

function numbersReadAscii(text: string): string {
  EVERY_NUMBER_WORD_ASCII.lastIndex = 0;
  let match = EVERY_NUMBER_WORD_ASCII.exec(text);
  if (match === null) return text;
  const first = match.index;
  let last = first;
  for (; match !== null; match = EVERY_NUMBER_WORD_ASCII.exec(text)) last = match.index + match[0].length;
  return numbersReadBetween(text, first, last);
}

/**
 * EVERY_NUMBER_WORD_ASCII that also finds the words an idiom cannot match without, so one scan tells a
 * text without idioms and finds its number words. Each idiom's match holds, as a whole word, "half",
 * "couple", "few", "several", "un", "unos" or one of the number words of group 2; `\b` beside a word means
 * no letter there, as the lookarounds ask. Group 1 is every other number word. A match is the whole run
 * of letters where it starts, so the same number words are found as by EVERY_NUMBER_WORD_ASCII.
 */
const IDIOM_NUMBER_WORDS: ReadonlySet<string> = new Set(['hundred', 'thousand', 'grand', 'million']);
const NUMBER_OR_IDIOM_WORD = new RegExp(
  `(?<![a-z])(?:(${[...NUMBER_WORDS].filter((word) => !IDIOM_NUMBER_WORDS.has(word)).join('|')})|(${[
    ...IDIOM_NUMBER_WORDS,
  ].join('|')})|half|couple|few|several|un|unos)(?![a-z])`,
  'gi',
);

/** Numbers read in a text whose number words are not yet found. */
function numbersReadIn(text: string): string {
  if (!NOT_ASCII.test(text)) return numbersReadAscii(text);
  // Beside a letter outside a-z a word found is no number word: such a text is read part by part.
  return ANY_NUMBER_WORD.test(text) ? numbersRead(text) : text;
}

/** Idioms rewritten, then numbers read, in a text where an idiom is said. */
function idiomsAndNumbersRead(text: string): string {
  let rewritten = text;
  for (const [pattern, replacement] of IDIOMS) rewritten = rewritten.replace(pattern, replacement);
  return numbersReadIn(rewritten);
}

/**
 * Idioms rewritten where one is said (only where a word one needs was found), then numbers read; in a text
 * without idioms, between the number words found in the same scan.
 */
export function writeSpokenNumbersAsDigits(text: string): string {
  NUMBER_OR_IDIOM_WORD.lastIndex = 0;
  let idiomWord = false;
  let first = -1;
  let last = -1;
  for (let match = NUMBER_OR_IDIOM_WORD.exec(text); match !== null; match = NUMBER_OR_IDIOM_WORD.exec(text)) {
    if (match[1] === undefined) idiomWord = true;
    if (match[1] === undefined && match[2] === undefined) continue;
    if (first < 0) first = match.index;
    last = match.index + match[0].length;
  }
  if (idiomWord && ANY_IDIOM.test(text)) return idiomsAndNumbersRead(text);
  // The scan's a-z letters do not tell the number words of a text with other letters.
  if (NOT_ASCII.test(text)) return numbersReadIn(text);
  return first < 0 ? text : numbersReadBetween(text, first, last);
}
