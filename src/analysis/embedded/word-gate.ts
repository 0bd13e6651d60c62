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
const NO_GROUPS: readonly number[] = [];
let groupCount = 0;

/**
 * Words heard so far with their runs' groups, so a word said again (most are) costs one lookup instead of
 * a lookup and a reading of its characters. Callers' names and misheard words would grow it without end:
 * it starts over at this size, and whenever a gate is added.
 */
const GROUPS_OF_HEARD = new Map<string, readonly number[]>();
const WORDS_REMEMBERED = 20_000;

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
  GROUPS_OF_HEARD.clear();
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

/** The groups a word's runs stand in: "y'all" holds "y" and "all", as `\ball\b` finds "all" in it. */
function groupsOfRuns(word: string): readonly number[] {
  const whole = GROUPS_OF_WORD.get(word);
  if (whole !== undefined || isRun(word)) return whole ?? NO_GROUPS;
  const groups: number[] = [];
  let start = -1;
  for (let i = 0; i <= word.length; i += 1) {
    const inRun = i < word.length && isWordChar(word.charCodeAt(i));
    if (inRun && start < 0) start = i;
    else if (!inRun && start >= 0) {
      groups.push(...(GROUPS_OF_WORD.get(word.slice(start, i)) ?? NO_GROUPS));
      start = -1;
    }
  }
  return groups.length === 0 ? NO_GROUPS : groups;
}

function groupsOf(word: string): readonly number[] {
  let groups = GROUPS_OF_HEARD.get(word);
  if (groups === undefined) {
    groups = groupsOfRuns(word);
    if (GROUPS_OF_HEARD.size >= WORDS_REMEMBERED) GROUPS_OF_HEARD.clear();
    GROUPS_OF_HEARD.set(word, groups);
  }
  return groups;
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
        for (const id of groupsOf(word)) gathered[id] = (gathered[id] ?? 0) | bit;
    }
    heard = gathered;
    heardBySentences.set(sentences, heard);
  }
  return heard;
}

/** The sentences (their bits) in which the words of one of the gate's ways are all said. */
function openSentences(gate: WordGate, heard: HeardGroups): number {
  let open = 0;
  for (const way of gate.ways) {
    let together = -1;
    for (const id of way) together &= heard[id] ?? 0;
    open |= together;
  }
  return open;
}

/**
 * Whether a sentence of the call may match the gate's pattern, given the groups its words fill (`heard`);
 * false means none can. `text`, the call's, is read only for fragments.
 */
export function mayMatch(gate: WordGate, heard: HeardGroups, text: () => string): boolean {
  return openSentences(gate, heard) !== 0 || gate.fragments.some((fragment) => text().includes(fragment));
}

/**
 * mayMatch for the sentences of one call, by index and text: the gate's ways are read once for all the
 * call's sentences (into the bits of those whose words open one) instead of once per sentence.
 */
export function opensBySentence(
  gate: WordGate,
  heard: HeardGroups,
): (sentence: number, text: string) => boolean {
  const open = openSentences(gate, heard);
  if (gate.fragments.length === 0) return (sentence) => (open & bitOf(sentence)) !== 0;
  return (sentence, text) =>
    (open & bitOf(sentence)) !== 0 || gate.fragments.some((fragment) => text.includes(fragment));
}
