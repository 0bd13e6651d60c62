import type { CallerSentence } from './call-reading.js';

/**
 * Words a pattern cannot match without: one word of each group, as a whole word the way the pattern's
 * `\b` sees words (runs of letters, digits and `_`), unless one of the fragments occurs in the text. A
 * pattern of many alternatives is scanned at every position of a call, which costs many times a few
 * lookups of the words it needs; most calls say none of them.
 */
export interface WordGate {
  readonly groups: ReadonlyArray<readonly string[]>;
  readonly fragments?: readonly string[];
}

const runsBySentences = new WeakMap<readonly CallerSentence[], ReadonlySet<string>>();

function isWordChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || code === 95
  );
}

/** Adds a word's runs: "y'all" gives "y" and "all", as `\ball\b` would find "all" in it. */
function addRuns(word: string, runs: Set<string>): void {
  let start = -1;
  for (let i = 0; i <= word.length; i += 1) {
    const inRun = i < word.length && isWordChar(word.charCodeAt(i));
    if (inRun && start < 0) start = i;
    else if (!inRun && start >= 0) {
      runs.add(start === 0 && i === word.length ? word : word.slice(start, i));
      start = -1;
    }
  }
}

/** The whole words of the caller's sentences, gathered once per call. */
export function wordRunsOf(sentences: readonly CallerSentence[]): ReadonlySet<string> {
  let runs = runsBySentences.get(sentences);
  if (runs === undefined) {
    const gathered = new Set<string>();
    for (const sentence of sentences) for (const word of sentence.words) addRuns(word, gathered);
    runs = gathered;
    runsBySentences.set(sentences, runs);
  }
  return runs;
}

/** Whether a text whose words are `runs` may match the gate's pattern; false means it cannot. */
export function mayMatch(gate: WordGate, runs: ReadonlySet<string>, text: string): boolean {
  if (gate.fragments?.some((fragment) => text.includes(fragment))) return true;
  return gate.groups.every((group) => group.some((word) => runs.has(word)));
}
