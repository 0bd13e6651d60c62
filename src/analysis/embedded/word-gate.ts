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

/** Which gates' groups a call's words fill, by group number. */
export type HeardGroups = Readonly<Uint8Array>;

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

/** Marks the groups a word stands in; false when it stands in none. */
function hear(word: string, heard: Uint8Array): boolean {
  const groups = GROUPS_OF_WORD.get(word);
  if (groups === undefined) return false;
  for (const id of groups) heard[id] = 1;
  return true;
}

/** Hears a word's runs: "y'all" holds "y" and "all", as `\ball\b` finds "all" in it. */
function hearRuns(word: string, heard: Uint8Array): void {
  let start = -1;
  for (let i = 0; i <= word.length; i += 1) {
    const inRun = i < word.length && isWordChar(word.charCodeAt(i));
    if (inRun && start < 0) start = i;
    else if (!inRun && start >= 0) {
      hear(word.slice(start, i), heard);
      start = -1;
    }
  }
}

/** The gates' groups the caller's words fill, gathered once per call (the sentences are not changed once read). */
export function gateWordsIn(sentences: readonly CallerSentence[]): HeardGroups {
  let heard = heardBySentences.get(sentences);
  if (heard === undefined) {
    const gathered = new Uint8Array(groupCount);
    for (const sentence of sentences)
      for (const word of sentence.words) if (!hear(word, gathered) && !isRun(word)) hearRuns(word, gathered);
    heard = gathered;
    heardBySentences.set(sentences, heard);
  }
  return heard;
}

/**
 * Whether a text may match the gate's pattern, given the groups its words fill (`heard`); false means it
 * cannot. `text` is read only for fragments.
 */
export function mayMatch(gate: WordGate, heard: HeardGroups, text: () => string): boolean {
  for (const way of gate.ways) {
    let open = true;
    for (const id of way)
      if (heard[id] !== 1) {
        open = false;
        break;
      }
    if (open) return true;
  }
  for (const fragment of gate.fragments) if (text().includes(fragment)) return true;
  return false;
}
