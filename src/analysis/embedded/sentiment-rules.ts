import type { Sentiment } from '../../events/ai-analysis.js';
import type { CallerSentence } from './call-reading.js';
import type { PhraseHit } from './phrase-matcher.js';
import { lexiconTone } from './tone-lexicon.js';
import {
  gateWordsIn,
  type HeardGroups,
  mayMatch,
  opensBySentence,
  type WordGate,
  wordGate,
} from './word-gate.js';

/** Words of routine politeness: "thank you so much, bye" is not enthusiasm. */
const POLITE = new Set(
  'thank thanks you so much very bye okay ok great perfect alright yes yeah please sure fine good that works sounds have a nice day gracias muchas muchisimas perfecto bueno muy bien amable , . ! ?'.split(
    ' ',
  ),
);
/**
 * Words of an exclamation that is only a greeting, a thank-you, surprise or an apology ("Thanks!", "Have
 * a good day!", "Oh!", "Oops, sorry to bother you!"): an exclamation with any other word ("Thanks so
 * much!", "Twins on the way!") is warmth.
 */
const BARE_EXCLAMATION = new Set(
  'thank thanks you hi hello hey there great ok okay bye goodbye have a good nice day gracias hola yes yeah sure sorry oh ah oops whoops my bad to bother excuse me , . ! ?'.split(
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
/**
 * A greeting exclaimed ("Hi!", "Hi there!") is cheer the caller brings to the call, though it says less
 * than warm words do: it tips a call already leaning warm.
 */
const GREETING_EXCLAIMED = /^(?:hi|hello|hey|hola)(?: there)? !/;
const GREETING_WEIGHT = 0.45;
/**
 * A caller who comes on the word of someone the business worked for ("you did my brother's bathroom",
 * "my neighbor had you do her kitchen") arrives well disposed: like an exclaimed greeting, it tips a call
 * already leaning warm.
 */
const REFERRED =
  /\b(?:you|y'all|you guys) (?:did|redid|remodeled|renovated|built|fixed) (?:my|our) (?:\w+ ){0,2}\w+ '(?:s\b)?|\b(?:my|our) (?:\w+ ){1,2}(?:had|used|hired) (?:you|y'all|your)\b/;
/** REFERRED's words (word-gate.ts): a sentence without them is not scanned. */
const REFERRED_NEEDS = wordGate([
  [
    ['you', 'all'],
    ['did', 'redid', 'remodeled', 'renovated', 'built', 'fixed'],
    ['my', 'our'],
  ],
  [
    ['my', 'our'],
    ['had', 'used', 'hired'],
    ['you', 'all', 'your'],
  ],
]);
const REFERRED_WEIGHT = 0.45;

function isReferred(sentences: readonly CallerSentence[], heard: HeardGroups): boolean {
  const opens = opensBySentence(REFERRED_NEEDS, heard);
  return sentences.some(({ text }, index) => opens(index, text) && REFERRED.test(text));
}
/** A problem damaging the home now (a leak, a flood) is distress, whatever the words of the call. */
const DISTRESS_WEIGHT = 0.6;

interface ToneEvidence {
  tone: readonly PhraseHit<'tone_positive' | 'tone_negative'>[];
  /** The caller reported damage happening now (water through a ceiling) and wants it seen to at once. */
  distress: boolean;
  /** The caller called to thank for finished work ("I just wanted to say thank you"). */
  thanks: boolean;
}

/**
 * How a complaint is built, whatever its words: contact tried again and again or never returned
 * ("emailed twice with no answer", "third message", "keep getting the voicemail", "ghosted"), waiting
 * ("been waiting two weeks", "still won't close"), finished work failing at once ("already cracking"), a
 * promise heard before ("you said that last time"). Callers complain politely, so the sentence's own
 * sentiment rarely shows it.
 */
const COMPLAINTS: ReadonlyArray<{ pattern: RegExp; needs: WordGate }> = [
  {
    pattern:
      /\b(?:called|emailed|e-mailed|texted|messaged|left (?:a |you )?(?:messages?|voicemails?))\b(?: \w+){0,3} (?:twice|\d+ times|several times|a few times|multiple times|again and again)\b|\b(?:second|third|fourth|2nd|3rd|4th) (?:message|voicemail)\b|\bkeep getting (?:the |your |a )?voicemail\b|\bwith no (?:answer|response|reply|call back|callback)\b|\b(?:nobody|no one|never) (?:\w+ )?(?:called|calls|call) (?:me )?back\b|\bghosted\b/,
    needs: wordGate([
      [
        ['called', 'emailed', 'mailed', 'texted', 'messaged', 'left'],
        ['twice', 'times', 'again'],
      ],
      [['message', 'voicemail']],
      [['with'], ['no'], ['answer', 'response', 'reply', 'call', 'callback']],
      [['nobody', 'one', 'never'], ['called', 'calls', 'call'], ['back']],
      [['ghosted']],
    ]),
  },
  {
    pattern:
      /\b(?:been waiting|still waiting|still (?:will not|does not|do not|has not|have not|is not|are not|not|can not|hasn't|haven't|won't|doesn't|isn't))\b|\b(?:nobody|no one) (?:'s|has|is) (?:been|shown|showed|come|called)\b/,
    needs: wordGate([
      [['waiting', 'still']],
      [
        ['nobody', 'one'],
        ['been', 'shown', 'showed', 'come', 'called'],
      ],
    ]),
  },
  {
    pattern:
      /\balready (?:cracking|cracked|peeling|leaking|broken|loose|falling|coming (?:off|loose|apart)|chipped|chipping|rusting|failing|stained|separating)\b/,
    needs: wordGate([
      [
        ['already'],
        [
          'cracking',
          'cracked',
          'peeling',
          'leaking',
          'broken',
          'loose',
          'falling',
          'coming',
          'chipped',
          'chipping',
          'rusting',
          'failing',
          'stained',
          'separating',
        ],
      ],
    ]),
  },
  {
    pattern:
      /\b(?:you|they) (?:said|told me|promised) (?:that|the same)(?: \w+)? (?:last time|before|last week)\b|\beso me dijeron\b/,
    needs: wordGate([
      [
        ['you', 'they'],
        ['said', 'told', 'promised'],
        ['that', 'same'],
        ['last', 'before'],
      ],
      [['dijeron']],
    ]),
  },
];
const COMPLAINT_WEIGHT = 0.5;
const COMPLAINTS_COUNTED = 2;
/**
 * A call made to thank for the work is warm even when its words are plain ("the crew was respectful",
 * "everyone who walks in says it's the nicest kitchen they've seen"): positive by itself, unless
 * something else in the call pulls it down.
 */
const THANKS_WEIGHT = POSITIVE_AT;

/**
 * The complaint patterns a call may hold: one needs a word (word-gate.ts) that most calls never say, and
 * is then tested on no sentence.
 */
function complaintPatternsIn(heard: HeardGroups): RegExp[] {
  return COMPLAINTS.filter(({ needs }) => mayMatch(needs, heard, () => '')).map(({ pattern }) => pattern);
}

const isComplaint = ({ text }: CallerSentence, patterns: readonly RegExp[]) =>
  patterns.some((pattern) => pattern.test(text));

/**
 * Praise said to the business ("we've heard great things about your team", "the whole crew was just
 * outstanding", "you've been very helpful") is warmth, unlike a pleasant word in a request ("could you
 * send someone, that would be great") or a question said without its question mark ("do you guys do
 * financing"). It counts by how warm wink reads the sentence.
 */
const TO_THE_BUSINESS = /\b(?:you|your|y'all|crew|team|guys|ustedes)\b/;
const NOT_PRAISE =
  /\b(?:do|does|did|are|is|have|has) (?:you|your|y'all)\b|\b(?:would|could|can|need|want|like to|please|if|will|'ll|calling|thank|thanks|wondering)\b/;
const PRAISE_AT = 0.5;
const PRAISE_WEIGHT = 0.5;

function praiseIn(sentences: readonly CallerSentence[], complaints: readonly RegExp[]): number {
  let warmest = 0;
  for (const sentence of sentences) {
    if (sentence.sentiment < PRAISE_AT || sentence.question || sentence.sentiment <= warmest) continue;
    const { text } = sentence;
    if (TO_THE_BUSINESS.test(text) && !NOT_PRAISE.test(text) && !isComplaint(sentence, complaints))
      warmest = sentence.sentiment;
  }
  return warmest;
}

/**
 * An ironic aside: a warm word said flat after "but" or "just" ("But lovely.", "Wonderful. Just
 * wonderful.") or insisted on with "really" as a sentence of its own ("Fantastic. Really."). Said so, the
 * warm words of the call mean their opposite.
 */
const ASIDE_WORD =
  '(?:fantastic|wonderful|lovely|brilliant|terrific|marvelous|fabulous|great|perfect|amazing|awesome)';
const IRONIC_ASIDE = new RegExp(`^(?:but|just) ${ASIDE_WORD} \\.$`);
const BARE_WARM_WORD = new RegExp(`^${ASIDE_WORD} \\.$`);

function isIronic(sentences: readonly CallerSentence[]): boolean {
  return sentences.some(
    ({ text }, index) =>
      IRONIC_ASIDE.test(text) ||
      (text === 'really .' && BARE_WARM_WORD.test(sentences[index - 1]?.text ?? '')),
  );
}

function complaintsIn(sentences: readonly CallerSentence[], patterns: readonly RegExp[]): number {
  let found = 0;
  for (const pattern of patterns) if (sentences.some(({ text }) => pattern.test(text))) found += 1;
  return Math.min(found, COMPLAINTS_COUNTED);
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
 * exclamations ("Thanks so much!") and by the distress of damage happening now; an ironic aside ("But
 * lovely.") makes it displeasure.
 */
export function decideSentiment(sentences: readonly CallerSentence[], evidence: ToneEvidence): Sentiment {
  if (isIronic(sentences)) return 'negative';
  const heard = gateWordsIn(sentences);
  const complaintPatterns = complaintPatternsIn(heard);
  const meaningful = sentences.filter((sentence) => sentence.words.some((word) => !POLITE.has(word)));
  const mean =
    meaningful.length === 0
      ? 0
      : meaningful.reduce(
          // wink hears "cracking" and "sparking" as praise: a sentence built as a complaint is not warm
          // (only a warm-read sentence is looked at, which spares most sentences the patterns).
          (sum, sentence) =>
            sum +
            (sentence.sentiment > 0 && isComplaint(sentence, complaintPatterns) ? 0 : sentence.sentiment),
          0,
        ) / meaningful.length;
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
  const complaints = complaintsIn(sentences, complaintPatterns);
  const score =
    LEXICON_POSITIVE_WEIGHT * (words.warmWords >= WARM_WORDS_AT ? words.positive : words.spanishWarmth) -
    LEXICON_NEGATIVE_WEIGHT * words.negative +
    SENTENCE_WEIGHT * mean +
    TONE_WEIGHT * toneScore +
    EXCLAMATION_WEIGHT * exclamations +
    (!evidence.distress && sentences.some(({ text }) => GREETING_EXCLAIMED.test(text))
      ? GREETING_WEIGHT
      : 0) +
    (complaints === 0 && isReferred(sentences, heard) ? REFERRED_WEIGHT : 0) -
    (evidence.distress ? DISTRESS_WEIGHT : 0) -
    COMPLAINT_WEIGHT * complaints +
    (evidence.thanks && complaints === 0 ? THANKS_WEIGHT : 0) +
    (complaints === 0 && !evidence.distress ? PRAISE_WEIGHT * praiseIn(sentences, complaintPatterns) : 0);
  if (score >= POSITIVE_AT) return 'positive';
  if (score <= NEGATIVE_AT) return 'negative';
  return 'neutral';
}
