import type { CallerSentence } from './call-reading.js';

/**
 * Words a pattern cannot match without, read off its alternatives: for one of the ways it can match, one
 * word of each group, as a whole word the way the pattern's `\b` sees words (runs of letters, digits and
 * `_`), unless one of the fragments occurs in the text. A pattern of many alternatives is scanned at every
 * position of a call, which costs many times a few lookups of the words it needs; most calls say none.
 */
export interface WordGate {
  readonly ways: ReadonlyArray<ReadonlyArray<readonly string[]>>;
  readonly fragments: readonly string[];
}

/** Every word some gate needs: a call's words are looked up here once, not once per gate. */
const GATE_WORDS = new Set<string>();

export function wordGate(
  ways: ReadonlyArray<ReadonlyArray<readonly string[]>>,
  fragments: readonly string[] = [],
): WordGate {
  for (const way of ways)
    for (const group of way)
      for (const word of group) {
        // A word with other characters is never one run, so the gate would never open for it.
        if (!/^\w+$/.test(word)) throw new Error(`a gate's word is a run of \\w: ${word}`);
        GATE_WORDS.add(word);
      }
  return { ways, fragments };
}

/** A gate whose pattern needs one of a few words, however it matches. */
export function needsOneOf(...words: string[]): WordGate {
  return wordGate([[words]]);
}

const heardBySentences = new WeakMap<readonly CallerSentence[], ReadonlySet<string>>();

function isWordChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || code === 95
  );
}

function isRun(word: string): boolean {
  for (let i = 0; i < word.length; i += 1) if (!isWordChar(word.charCodeAt(i))) return false;
  return true;
}

/** Adds the gates' words among a word's runs: "y'all" holds "y" and "all", as `\ball\b` finds "all" in it. */
function addRuns(word: string, heard: Set<string>): void {
  let start = -1;
  for (let i = 0; i <= word.length; i += 1) {
    const inRun = i < word.length && isWordChar(word.charCodeAt(i));
    if (inRun && start < 0) start = i;
    else if (!inRun && start >= 0) {
      const run = word.slice(start, i);
      if (GATE_WORDS.has(run)) heard.add(run);
      start = -1;
    }
  }
}

/** The gates' words the caller said, gathered once per call (the sentences are not changed once read). */
export function gateWordsIn(sentences: readonly CallerSentence[]): ReadonlySet<string> {
  let heard = heardBySentences.get(sentences);
  if (heard === undefined) {
    const gathered = new Set<string>();
    for (const sentence of sentences)
      for (const word of sentence.words) {
        if (GATE_WORDS.has(word)) gathered.add(word);
        else if (!isRun(word)) addRuns(word, gathered);
      }
    heard = gathered;
    heardBySentences.set(sentences, heard);
  }
  return heard;
}

/**
 * Whether a text may match the gate's pattern, given the gates' words it holds (`heard`); false means it
 * cannot. `text` is read only for fragments.
 */
export function mayMatch(gate: WordGate, heard: ReadonlySet<string>, text: () => string): boolean {
  if (gate.ways.some((way) => way.every((group) => group.some((word) => heard.has(word))))) return true;
  return gate.fragments.length > 0 && gate.fragments.some((fragment) => text().includes(fragment));
}
