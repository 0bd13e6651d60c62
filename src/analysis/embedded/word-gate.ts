import type { CallerSentence } from './call-reading.js';

/**
 * Words a pattern cannot match without, read off its alternatives: for one of the ways it can match, one
 * word of each group, as a whole word the way the pattern's `\b` sees words (runs of letters, digits and
 * `_`), unless one of the fragments occurs in the text. A pattern of many alternatives is scanned at every
 * position of a call, which costs many times a few lookups of the words it needs; most calls say none.
 */
export interface WordGate {
  /** Each way as the groups it needs, by group number. */
  readonly ways: ReadonlyArray<readonly number[]>;
  readonly fragments: readonly string[];
}

/**
 * The groups each word of a gate stands in: a call's words are looked up here once, and a gate then
 * only reads which of its groups were heard.
 */
const GROUPS_OF_WORD = new Map<string, number[]>();
let groupCount = 0;

export function wordGate(
  ways: ReadonlyArray<ReadonlyArray<readonly string[]>>,
  fragments: readonly string[] = [],
): WordGate {
  const numbered = ways.map((way) =>
    way.map((group) => {
      const id = groupCount;
      groupCount += 1;
      for (const word of group) {
        // A word with other characters is never one run, so the gate would never open for it.
        if (!/^\w+$/.test(word)) throw new Error(`a gate's word is a run of \\w: ${word}`);
        const groups = GROUPS_OF_WORD.get(word);
        if (groups) groups.push(id);
        else GROUPS_OF_WORD.set(word, [id]);
      }
      return id;
    }),
  );
  return { ways: numbered, fragments };
}

/** A gate whose pattern needs one of a few words, however it matches. */
export function needsOneOf(...words: string[]): WordGate {
  return wordGate([[words]]);
}

/**
 * Which gates' groups a call's words fill, by group number: for each group, one bit for each sentence that
 * says one of its words (the first 31 sentences a bit each, every later one the last bit). A pattern tested
 * on a sentence needs the words of one of its ways in that sentence, so a way whose words are only said
 * apart opens no gate, and a sentence without them is not tested.
 */
export type HeardGroups = Readonly<Int32Array>;

const SENTENCE_BITS = 32;
/** The sentences with a bit of their own: the gates' groups are known exactly for each of these. */
export const SENTENCES_TOLD_APART = SENTENCE_BITS - 1;

function bitOf(sentence: number): number {
  return 1 << Math.min(sentence, SENTENCE_BITS - 1);
}

const heardBySentences = new WeakMap<readonly CallerSentence[], HeardGroups>();

function isWordChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || code === 95
  );
}

function isRun(word: string): boolean {
  for (let i = 0; i < word.length; i += 1) if (!isWordChar(word.charCodeAt(i))) return false;
  return true;
}

/** Marks the groups a word stands in as said in a sentence (its bit); false when it stands in none. */
function hear(word: string, bit: number, heard: Int32Array): boolean {
  const groups = GROUPS_OF_WORD.get(word);
  if (groups === undefined) return false;
  for (const id of groups) heard[id] = (heard[id] ?? 0) | bit;
  return true;
}

/** Hears a word's runs: "y'all" holds "y" and "all", as `\ball\b` finds "all" in it. */
function hearRuns(word: string, bit: number, heard: Int32Array): void {
  let start = -1;
  for (let i = 0; i <= word.length; i += 1) {
    const inRun = i < word.length && isWordChar(word.charCodeAt(i));
    if (inRun && start < 0) start = i;
    else if (!inRun && start >= 0) {
      hear(word.slice(start, i), bit, heard);
      start = -1;
    }
  }
}

/** The gates' groups the caller's words fill, gathered once per call (the sentences are not changed once read). */
export function gateWordsIn(sentences: readonly CallerSentence[]): HeardGroups {
  let heard = heardBySentences.get(sentences);
  if (heard === undefined) {
    const gathered = new Int32Array(groupCount);
    let index = 0;
    for (const sentence of sentences) {
      const bit = bitOf(index);
      index += 1;
      for (const word of sentence.words)
        if (!hear(word, bit, gathered) && !isRun(word)) hearRuns(word, bit, gathered);
    }
    heard = gathered;
    heardBySentences.set(sentences, heard);
  }
  return heard;
}

/**
 * Whether a text may match the gate's pattern, given the groups its words fill (`heard`); false means it
 * cannot. The text is sentence `sentence` of the call, or when none is given, any one of its sentences.
 * `text` is read only for fragments: that sentence's text, or the call's.
 */
export function mayMatch(gate: WordGate, heard: HeardGroups, text: () => string, sentence?: number): boolean {
  const bits = sentence === undefined ? -1 : bitOf(sentence);
  for (const way of gate.ways) {
    let together = bits;
    for (const id of way) {
      together &= heard[id] ?? 0;
      if (together === 0) break;
    }
    if (together !== 0) return true;
  }
  for (const fragment of gate.fragments) if (text().includes(fragment)) return true;
  return false;
}
