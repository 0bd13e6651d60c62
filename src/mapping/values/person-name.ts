/** Caller-ID (CNAM) placeholders carriers send instead of a person's name. */
const NOT_A_NAME = new Set([
  'wireless caller',
  'cell phone',
  'unknown',
  'unknown caller',
  'unavailable',
  'private',
  'private caller',
  'anonymous',
  'toll free caller',
  'restricted',
  'no caller id',
]);

const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'mx', 'sr.', 'sra', 'srta']);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'v', 'md', 'phd', 'esq']);
/** Lower-case particles that begin a family name: "Ana de la Cruz" → last name "de la Cruz". */
const PARTICLES = new Set([
  'de',
  'la',
  'del',
  'della',
  'van',
  'von',
  'der',
  'den',
  'da',
  'di',
  'du',
  'le',
  'los',
  'las',
  'st',
  'st.',
  'bin',
  'al',
]);

const bare = (word: string) => word.toLowerCase().replace(/[.,]/g, '');

/** "JANE DOE" (how carriers send caller-ID names) → "Jane Doe"; mixed case is left as written. */
function titleCaseShouting(name: string): string {
  if (name !== name.toUpperCase()) return name;
  return name
    .toLowerCase()
    .replace(/(^|[\s'-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

export interface PersonName {
  full: string | null;
  first: string | null;
  last: string | null;
}

/**
 * Splits a full name for CRMs that want first and last apart. "Doe, Jane" is last-first; honorifics are
 * dropped; a suffix stays with the last name ("Smith Jr"); particles start the last name ("de la Cruz");
 * every word before the last name is the first name ("Mary Ann"). One word is a first name. Caller-ID
 * placeholders ("WIRELESS CALLER") and "CITY ST" location stand-ins are not names.
 */
export function splitPersonName(raw: string | null): PersonName {
  const none = { full: null, first: null, last: null };
  if (raw === null) return none;
  const cleaned = raw.replace(/\s+/g, ' ').trim();
  if (cleaned === '' || NOT_A_NAME.has(cleaned.toLowerCase()) || /\d/.test(cleaned)) return none;
  // Carriers fill CNAM with "LOS ANGELES CA" when no subscriber name is known.
  if (cleaned === cleaned.toUpperCase() && / [A-Z]{2}$/.test(cleaned) && cleaned.split(' ').length >= 2) {
    const [maybeState] = cleaned.split(' ').slice(-1);
    if (maybeState !== undefined && !SUFFIXES.has(maybeState.toLowerCase())) return none;
  }
  const name = titleCaseShouting(cleaned);
  if (name.includes(',')) {
    const [last = '', ...rest] = name.split(',').map((part) => part.trim());
    const first = rest.join(' ').trim();
    if (first !== '' && last !== '' && !SUFFIXES.has(bare(first))) {
      return { full: `${first} ${last}`, first, last };
    }
  }
  let words = name.replace(/,/g, ' ').split(' ').filter(Boolean);
  const addressed = words.length > 1 && HONORIFICS.has(bare(words[0] ?? ''));
  while (words.length > 1 && HONORIFICS.has(bare(words[0] ?? ''))) words = words.slice(1);
  // "Mrs Alvarez" gives a family name; a lone "Jane" a first name.
  if (words.length === 1) {
    const only = words[0] ?? null;
    return addressed ? { full: only, first: null, last: only } : { full: only, first: only, last: null };
  }
  let lastStart = words.length - 1;
  while (lastStart > 1 && SUFFIXES.has(bare(words[lastStart] ?? ''))) lastStart -= 1;
  while (lastStart > 1 && PARTICLES.has((words[lastStart - 1] ?? '').toLowerCase())) lastStart -= 1;
  const first = words.slice(0, lastStart).join(' ');
  const last = words.slice(lastStart).join(' ');
  return { full: words.join(' '), first: first === '' ? null : first, last: last === '' ? null : last };
}
