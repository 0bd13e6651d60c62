import type { Sentiment } from '../../events/ai-analysis.js';
import type { CallerSentence } from './call-reading.js';
import type { PhraseHit } from './phrase-matcher.js';

/** Words of routine politeness: "thank you so much, bye" is not enthusiasm. */
const POLITE = new Set(
  'thank thanks you so much very bye okay ok great perfect alright yes yeah please sure fine good that works sounds have a nice day gracias muchas muchisimas perfecto bueno muy bien amable , . ! ?'.split(
    ' ',
  ),
);
const POSITIVE_AT = 0.6;
const NEGATIVE_AT = -0.35;
const TONE_WEIGHT = 0.2;

/**
 * The caller's tone: wink-nlp's sentence sentiment averaged over what the caller said beyond routine
 * politeness, moved by the trade's own tone words (a "nightmare" kitchen, "we love it").
 */
export function decideSentiment(
  sentences: readonly CallerSentence[],
  tone: readonly PhraseHit<'tone_positive' | 'tone_negative'>[],
): Sentiment {
  const meaningful = sentences.filter((sentence) => sentence.words.some((word) => !POLITE.has(word)));
  const mean =
    meaningful.length === 0
      ? 0
      : meaningful.reduce((sum, sentence) => sum + sentence.sentiment, 0) / meaningful.length;
  let toneScore = 0;
  for (const hit of tone) {
    if (hit.negated) continue;
    toneScore += hit.label === 'tone_positive' ? hit.weight : -hit.weight;
  }
  const score = mean + TONE_WEIGHT * toneScore;
  if (score >= POSITIVE_AT) return 'positive';
  if (score <= NEGATIVE_AT) return 'negative';
  return 'neutral';
}
