import type { Sentiment } from '../../events/ai-analysis.js';
import type { CallerSentence } from './call-reading.js';
import type { PhraseHit } from './phrase-matcher.js';
import { lexiconTone } from './tone-lexicon.js';

/** Words of routine politeness: "thank you so much, bye" is not enthusiasm. */
const POLITE = new Set(
  'thank thanks you so much very bye okay ok great perfect alright yes yeah please sure fine good that works sounds have a nice day gracias muchas muchisimas perfecto bueno muy bien amable , . ! ?'.split(
    ' ',
  ),
);
/**
 * Words of an exclamation that is only a greeting or a thank-you ("Thanks!", "Have a good day!"): an
 * exclamation with any other word ("Thanks so much!", "Twins on the way!") is warmth.
 */
const BARE_EXCLAMATION = new Set(
  'thank thanks you hi hello hey there great ok okay bye goodbye have a good nice day gracias hola yes yeah sure sorry , . ! ?'.split(
    ' ',
  ),
);
const POSITIVE_AT = 0.5;
const NEGATIVE_AT = -0.3;
/**
 * wink's sentence sentiment counts for less than the trade's phrases: it reads "like" (a filler in
 * speech) as liking, and a complaint said flatly as neutral. The word-by-word lexicon (tone-lexicon.ts)
 * reads what wink reads without politeness and the house's trouble; displeasure counts for more than
 * warmth there, since callers are polite even when they complain and rarely rude when they are pleased.
 */
const SENTENCE_WEIGHT = 0.35;
const LEXICON_POSITIVE_WEIGHT = 0.1;
const LEXICON_NEGATIVE_WEIGHT = 0.25;
/**
 * English warmth counts from the lexicon only when it is said again and again: one "love" or "great" is
 * as often routine ("I'd love to get this done", "great, thanks") as warm, and wink's sentence sentiment
 * already reads it. Spanish warmth ("me encantaron", "quedó precioso") always counts: wink's English
 * sentence sentiment reads none of it.
 */
const WARM_WORDS_AT = 3;
const TONE_WEIGHT = 0.2;
/** One warm exclamation is enough for a positive call, unless something else pulls it down. */
const EXCLAMATION_WEIGHT = 0.6;
const EXCLAMATIONS_COUNTED = 2;
/** A problem damaging the home now (a leak, a flood) is distress, whatever the words of the call. */
const DISTRESS_WEIGHT = 0.6;

interface ToneEvidence {
  tone: readonly PhraseHit<'tone_positive' | 'tone_negative'>[];
  /** The caller reported damage happening now (water through a ceiling) and wants it seen to at once. */
  distress: boolean;
}

function isWarmExclamation(sentence: CallerSentence): boolean {
  const { words } = sentence;
  if (words[words.length - 1] !== '!') return false;
  return words.some((word) => !BARE_EXCLAMATION.has(word));
}

/**
 * The caller's tone: a general lexicon's ratings of the caller's words (tone-lexicon.ts) and wink-nlp's
 * sentence sentiment averaged over what the caller said beyond routine politeness, moved by the trade's
 * own tone words (a "nightmare" kitchen, "we love it", "I'm not happy", "qué caro"), by warm
 * exclamations ("Thanks so much!") and by the distress of damage happening now.
 */
export function decideSentiment(sentences: readonly CallerSentence[], evidence: ToneEvidence): Sentiment {
  const meaningful = sentences.filter((sentence) => sentence.words.some((word) => !POLITE.has(word)));
  const mean =
    meaningful.length === 0
      ? 0
      : meaningful.reduce((sum, sentence) => sum + sentence.sentiment, 0) / meaningful.length;
  let toneScore = 0;
  for (const hit of evidence.tone) {
    if (hit.negated) continue;
    toneScore += hit.label === 'tone_positive' ? hit.weight : -hit.weight;
  }
  let exclamations = 0;
  // An exclamation in distress ("I need someone out today please!") is urgency, not warmth.
  if (!evidence.distress)
    for (const sentence of sentences) {
      if (exclamations < EXCLAMATIONS_COUNTED && isWarmExclamation(sentence)) exclamations += 1;
    }
  const words = lexiconTone(meaningful);
  const score =
    LEXICON_POSITIVE_WEIGHT * (words.warmWords >= WARM_WORDS_AT ? words.positive : words.spanishWarmth) -
    LEXICON_NEGATIVE_WEIGHT * words.negative +
    SENTENCE_WEIGHT * mean +
    TONE_WEIGHT * toneScore +
    EXCLAMATION_WEIGHT * exclamations -
    (evidence.distress ? DISTRESS_WEIGHT : 0);
  if (score >= POSITIVE_AT) return 'positive';
  if (score <= NEGATIVE_AT) return 'negative';
  return 'neutral';
}
