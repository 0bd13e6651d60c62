import type { CallerSentence } from './call-reading.js';
import { normalWords } from './nlp.js';
import type { WeightedPhrases } from './trade-lexicon.js';

/** Where a phrase of the lexicon occurs in the caller's words. */
export interface PhraseHit<Label extends string> {
  label: Label;
  weight: number;
  sentence: number;
  word: number;
  /** The caller negated it ("not the kitchen"); phrases with their own negation ("no rush") never are. */
  negated: boolean;
}

interface CompiledPhrase<Label extends string> {
  label: Label;
  weight: number;
  words: string[];
  /** The last word matches as a prefix (`cabinet*`). */
  prefixLast: boolean;
  selfNegating: boolean;
}

const NEGATING_WORDS = new Set(['not', 'no', 'never', 'nothing', 'without']);
/** For the words no phrase starts with, most of them: one shared list rather than a new one per word. */
const NO_PHRASES: readonly never[] = [];

/** What the lexicon holds for one word: the phrases starting with it, and the prefixes (`cabinet*`) it matches. */
interface PhrasesOfWord<Label extends string> {
  starting: readonly CompiledPhrase<Label>[];
  /**
   * For a word that starts many phrases ("the", "is", "we"): by the word said after it, the phrases
   * starting with it that may match there, in the order of `starting`. A phrase left out of a word's list
   * needs another word second, so it would not match there.
   */
  bySecond: ReadonlyMap<string, readonly CompiledPhrase<Label>[]> | undefined;
  /** The phrases starting with the word that need no particular word second: one word, or a prefix second. */
  anySecond: readonly CompiledPhrase<Label>[];
  prefixed: readonly CompiledPhrase<Label>[];
}

/** How many phrases a word starts before they are looked up by the word after it rather than each tried. */
const INDEXED_FROM = 4;

/** Whether a phrase matches whatever word is said second: one word, or two with a prefix (`kitchen cab*`). */
function takesAnySecond<Label extends string>(phrase: CompiledPhrase<Label>): boolean {
  return phrase.words.length === 1 || (phrase.words.length === 2 && phrase.prefixLast);
}

function bySecondWord<Label extends string>(
  starting: readonly CompiledPhrase<Label>[],
): ReadonlyMap<string, readonly CompiledPhrase<Label>[]> | undefined {
  if (starting.length < INDEXED_FROM) return undefined;
  const seconds = new Set<string>();
  for (const phrase of starting) if (!takesAnySecond(phrase)) seconds.add(phrase.words[1] ?? '');
  return new Map(
    [...seconds].map((second) => [
      second,
      starting.filter((phrase) => takesAnySecond(phrase) || phrase.words[1] === second),
    ]),
  );
}

/**
 * Words looked up so far, so a word said again (most are) costs one lookup instead of a lookup and a test
 * of every prefix with its initial. Callers' names and misheard words would grow it without end: it starts
 * over at this size.
 */
const WORDS_REMEMBERED = 20_000;

/** A set of labelled phrases compiled for matching: one lookup per word, not per phrase. */
export class PhraseMatcher<Label extends string> {
  private readonly byFirstWord = new Map<string, CompiledPhrase<Label>[]>();
  /** One-word prefixes (`cabinet*`) by their first letter: a word can only start with those of its own. */
  private readonly prefixesByInitial = new Map<string, CompiledPhrase<Label>[]>();
  private readonly byWord = new Map<string, PhrasesOfWord<Label>>();
  private readonly nothing: PhrasesOfWord<Label> = {
    starting: NO_PHRASES,
    bySecond: undefined,
    anySecond: NO_PHRASES,
    prefixed: NO_PHRASES,
  };

  constructor(groups: ReadonlyArray<readonly [Label, WeightedPhrases]>) {
    for (const [label, phrases] of groups) {
      for (const [phrase, weight] of phrases) {
        const prefixLast = phrase.endsWith('*');
        const words = normalWords(prefixLast ? phrase.slice(0, -1) : phrase);
        if (words.length === 0) continue;
        const compiled = {
          label,
          weight,
          words,
          prefixLast,
          selfNegating: words.some((word) => NEGATING_WORDS.has(word)),
        };
        const first = words[0] ?? '';
        if (prefixLast && words.length === 1) listIn(this.prefixesByInitial, first.charAt(0)).push(compiled);
        else listIn(this.byFirstWord, first).push(compiled);
      }
    }
  }

  matchSentence(sentence: CallerSentence, index: number, hits: PhraseHit<Label>[]): void {
    const { words, negated } = sentence;
    for (let i = 0; i < words.length; i += 1) {
      const { starting, bySecond, anySecond, prefixed } = this.phrasesOf(words[i] ?? '');
      const next = words[i + 1];
      const tried =
        bySecond === undefined
          ? starting
          : next === undefined
            ? anySecond
            : (bySecond.get(next) ?? anySecond);
      for (const phrase of tried)
        if (matchesAt(words, i, phrase)) hits.push(hitOf(phrase, index, i, negated));
      for (const phrase of prefixed) hits.push(hitOf(phrase, index, i, negated));
    }
  }

  private phrasesOf(word: string): PhrasesOfWord<Label> {
    let phrases = this.byWord.get(word);
    if (phrases === undefined) {
      const starting = this.byFirstWord.get(word) ?? NO_PHRASES;
      const prefixed = (this.prefixesByInitial.get(word.charAt(0)) ?? NO_PHRASES).filter((phrase) =>
        word.startsWith(phrase.words[0] ?? ''),
      );
      phrases =
        starting.length === 0 && prefixed.length === 0
          ? this.nothing
          : {
              starting,
              bySecond: bySecondWord(starting),
              anySecond: starting.filter(takesAnySecond),
              prefixed: prefixed.length === 0 ? NO_PHRASES : prefixed,
            };
      if (this.byWord.size >= WORDS_REMEMBERED) this.byWord.clear();
      this.byWord.set(word, phrases);
    }
    return phrases;
  }

  match(sentences: readonly CallerSentence[]): PhraseHit<Label>[] {
    const hits: PhraseHit<Label>[] = [];
    for (const [index, sentence] of sentences.entries()) this.matchSentence(sentence, index, hits);
    return hits;
  }

  /** Whether any phrase occurs in a plain text (the agent's side, read without sentences). */
  occursIn(text: string): Label[] {
    const words = normalWords(text);
    const found: Label[] = [];
    for (let i = 0; i < words.length; i += 1) {
      for (const phrase of this.byFirstWord.get(words[i] ?? '') ?? []) {
        if (matchesAt(words, i, phrase)) found.push(phrase.label);
      }
    }
    return found;
  }
}

function listIn<Phrase>(lists: Map<string, Phrase[]>, key: string): Phrase[] {
  const list = lists.get(key);
  if (list) return list;
  const created: Phrase[] = [];
  lists.set(key, created);
  return created;
}

function matchesAt<Label extends string>(
  words: readonly string[],
  at: number,
  phrase: CompiledPhrase<Label>,
): boolean {
  const last = phrase.words.length - 1;
  for (let j = 1; j <= last; j += 1) {
    const word = words[at + j];
    const wanted = phrase.words[j] ?? '';
    if (word === undefined) return false;
    if (j === last && phrase.prefixLast ? !word.startsWith(wanted) : word !== wanted) return false;
  }
  return true;
}

function hitOf<Label extends string>(
  phrase: CompiledPhrase<Label>,
  sentence: number,
  word: number,
  negated: readonly boolean[],
): PhraseHit<Label> {
  return {
    label: phrase.label,
    weight: phrase.weight,
    sentence,
    word,
    negated: !phrase.selfNegating && (negated[word] ?? false),
  };
}

/** Sum of weights per label over the hits that were not negated. */
export function weightsByLabel<Label extends string>(hits: readonly PhraseHit<Label>[]): Map<Label, number> {
  const totals = new Map<Label, number>();
  for (const hit of hits) if (!hit.negated) totals.set(hit.label, (totals.get(hit.label) ?? 0) + hit.weight);
  return totals;
}
