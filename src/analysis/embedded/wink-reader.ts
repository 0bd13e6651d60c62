import model from 'wink-eng-lite-web-model';
import createCache, { type WinkCache, type WinkLexiconView } from 'wink-nlp/src/cache.js';
import compileTRex from 'wink-nlp/src/compile-trex.js';
import wrapDocData from 'wink-nlp/src/dd-wrapper.js';
import createTokenizer, { type WinkTokenize } from 'wink-nlp/src/tokenizer.js';
import { type Recognised, WinkAutomaton } from './wink-automaton.js';

/** A sentence of a text: its first and last token, and wink's sentiment of it (-1 to 1). */
export interface WinkSentence {
  first: number;
  last: number;
  sentiment: number;
}

/** What wink-nlp's readDoc with its sentence, negation and sentiment passes reads in a text. */
export interface WinkReading {
  /** Each token's normal form (a contraction's parts spelt out: "can't" is "can", "not"). */
  normals: string[];
  /** Whether wink puts each token in a negation's scope. */
  negated: boolean[];
  sentences: WinkSentence[];
}

/** How wink's tokenizer reads a stretch of text without whitespace, wherever it stands. */
interface ChunkTokens {
  /** The ids of the tokens' normal forms: what the automata read. */
  ids: number[];
  normals: string[];
  /** What the sentence automaton reads at each token instead of its id (-1: the id itself). */
  boundaryHints: number[];
  /** Punctuation, emoji and emoticons stay out of a negation's scope. */
  negatable: boolean[];
}

/** Sentence hints of wink's sentence automaton (its model's sbd-transformers). */
const HINT_BASE = 1_080_000;
const HINT_AMBIGUOUS_QUOTE = 4;
const HINT_SPACED_AMBIGUOUS_QUOTE = 6;
const HINT_LIKELY_END = 7;
const HINT_NOT_END = 8;
const SPACE_BITS = 0xffff;
const TOKEN_SIZE = 4;
/**
 * wink's tokenizer splits a text at runs of spaces, which go before the next token, and at runs of line
 * breaks and tabs, which are tokens; pieceKind tells them apart by character as its splitter does.
 */
const WINK_SPLITTER = '([ \\u00a0\\u2002-\\u2005\\u2009\\u200a\\u202f\\u205f]+|[\\n\\r\\t]+)';
const SPACES = 1;
const LINE_BREAKS = 2;
const TEXT = 0;
function pieceKind(code: number): number {
  if (code === 0x20 || code === 0xa0 || (code >= 0x2002 && code <= 0x2005)) return SPACES;
  if (code === 0x2009 || code === 0x200a || code === 0x202f || code === 0x205f) return SPACES;
  if (code === 0x0a || code === 0x0d || code === 0x09) return LINE_BREAKS;
  return TEXT;
}
const UNNEGATABLE: ReadonlySet<unknown> = new Set(['punctuation', 'emoji', 'emoticon']);

/**
 * Chunks remembered: the newest this many, and as many before them. The labelled calls hold about
 * 8,000 distinct chunks and bring about two new ones a call.
 */
const CHUNKS_REMEMBERED = 10_000;

interface ModelPart {
  machines: string[];
}
function modelPart(load: unknown, name: string): ModelPart {
  const part: unknown = typeof load === 'function' ? (load as () => unknown)() : undefined;
  const machines = (part as { machines?: unknown } | undefined)?.machines;
  if (!Array.isArray(machines) || !machines.every((machine) => typeof machine === 'string')) {
    throw new Error(`wink-eng-lite-web-model: ${name}() has no machines`);
  }
  return { machines };
}

/** The automata: they read the model's own words and hints, never a word learnt (whose id is below 0). */
const boundaryAutomaton = new WinkAutomaton(modelPart(model.sbd, 'sbd').machines[0] ?? '');
const negationAutomaton = new WinkAutomaton(modelPart(model.negation, 'negation').machines[0] ?? '');
const sentimentAutomaton = new WinkAutomaton(modelPart(model.sa, 'sa').machines[0] ?? '');

interface CoreModel {
  trex: unknown;
  tcat: { hash: unknown; list: string[] };
  preserve: unknown;
  packing: { config: unknown };
  features: { lexeme: { hash: Record<string, number> } };
}

/** wink's English lexicon, never added to, and its tokenizer. */
class Lexicon {
  readonly cache: WinkCache;
  readonly tokenize: WinkTokenize;
  /** The id of a line break, which the automata step over. */
  readonly lineBreak: number;
  /** Token kinds by number, as wink's tokenizer hands them to the lexicon. */
  readonly kindNames: readonly string[];
  /** Whether a word the model does not know reads as an abbreviation: the model's own feature. */
  readonly isAbbreviation: (word: string) => unknown;
  private readonly indexes: Readonly<Record<string, number>>;

  constructor() {
    const core = (model.core as () => CoreModel)();
    this.cache = createCache(core, model.featureFn);
    this.indexes = core.features.lexeme.hash;
    this.kindNames = core.tcat.list;
    const features = (model.featureFn as (config: unknown) => { isAbbrev: (word: string) => unknown })(
      core.packing.config,
    );
    this.isAbbreviation = features.isAbbrev;
    const trex = compileTRex(core.trex);
    this.tokenize = createTokenizer(trex, core.tcat.hash, core.preserve);
    if (trex.helpers.splitter.source !== WINK_SPLITTER) {
      throw new Error(
        `wink-nlp: the tokenizer's splitter ${trex.helpers.splitter.source} is not ${WINK_SPLITTER}`,
      );
    }
    const lineBreak = this.cache.lookup('\n')?.[0];
    if (lineBreak === undefined) throw new Error('wink-eng-lite-web-model: no lexeme for a line break');
    this.lineBreak = lineBreak;
  }

  /** A word's index in the model's lexicon (a contraction's own, not its parts'), if the model has it. */
  indexOf(word: string): number | undefined {
    return Object.hasOwn(this.indexes, word) ? this.indexes[word] : undefined;
  }
}

/**
 * The words a chunk teaches wink's tokenizer, kept with the chunk. wink adds every word its model does
 * not know (a caller's name, a street, a misheard word) to its lexicon for good, about 100-300 bytes a
 * word, and reads a chunk differently once it has learnt a word from another ("neighbor's." teaches it
 * "neighbor's", which it otherwise reads as "neighbor", "'s"), so a call's words depended on the calls
 * read before it. Here each chunk learns on its own, as a fresh wink instance reading it alone would,
 * and what it learnt goes with it. Learnt words get ids below 0, which no automaton reads.
 */
class ChunkWords implements WinkLexiconView {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];
  private readonly kinds: number[] = [];
  /** The id of each learnt word's normal form: its lower case, the model's or learnt. */
  private readonly normalIds: number[] = [];

  constructor(private readonly lexicon: Lexicon) {}

  lookup(word: string): number[] | null {
    const found = this.lexicon.cache.lookup(word);
    if (found !== null) return found;
    const id = this.ids.get(word);
    return id === undefined ? null : [id];
  }

  /** As wink's add: a new word is learnt with its lower case, a known word keeps what it has. */
  add(word: string, kind: number): number {
    const lower = word.toLowerCase();
    const own = this.lexicon.indexOf(word);
    if (own !== undefined) {
      if (lower !== word) this.idOf(lower, kind);
      return own;
    }
    const known = this.ids.get(word);
    if (known !== undefined) return known;
    const id = this.learn(word, kind);
    this.normalIds[-1 - id] = lower === word ? id : this.idOf(lower, kind);
    return id;
  }

  /** The id of a token's normal form, from the lexeme id the tokenizer gave it. */
  normalOf(lexeme: number): number {
    if (lexeme >= 0) return this.lexicon.cache.normal(lexeme);
    const normal = this.normalIds[-1 - lexeme] ?? lexeme;
    // A learnt word's lower case may be the model's, spelt its way ("COLOUR" reads as "color").
    return normal >= 0 ? this.lexicon.cache.normal(normal) : normal;
  }

  value(id: number): string {
    return id >= 0 ? this.lexicon.cache.value(id) : (this.texts[-1 - id] ?? '');
  }

  /** A token kind's name: the model's for its own words, the tokenizer's for a learnt one. */
  kind(lexeme: number): unknown {
    if (lexeme >= 0) return this.lexicon.cache.property(lexeme, 'tokenType');
    return this.lexicon.kindNames[this.kinds[-1 - lexeme] ?? -1];
  }

  /** A property of the model's own words; learnt words have none but abbreviation. */
  property(id: number, name: 'sbdHint' | 'isAbbrev'): unknown {
    if (id >= 0) return this.lexicon.cache.property(id, name);
    return name === 'isAbbrev' ? this.lexicon.isAbbreviation(this.value(id)) : 0;
  }

  private idOf(word: string, kind: number): number {
    return this.lexicon.indexOf(word) ?? this.ids.get(word) ?? this.learnNormal(word, kind);
  }

  private learnNormal(word: string, kind: number): number {
    const id = this.learn(word, kind);
    this.normalIds[-1 - id] = id;
    return id;
  }

  private learn(word: string, kind: number): number {
    const id = -1 - this.texts.length;
    this.ids.set(word, id);
    this.texts.push(word);
    this.kinds.push(kind);
    return id;
  }
}

/** The one lexicon, read by every reader and never changed. */
const lexicon = new Lexicon();

/** wink's reading of each chunk, the newest remembered. */
class Chunks {
  private recent = new Map<string, ChunkTokens>();
  private older = new Map<string, ChunkTokens>();

  constructor(
    private readonly lexicon: Lexicon,
    private readonly remembered: number,
  ) {}

  get size(): number {
    return this.recent.size + this.older.size;
  }

  get(text: string): ChunkTokens {
    const recent = this.recent.get(text);
    if (recent !== undefined) return recent;
    const read = this.older.get(text) ?? this.readAlone(text);
    if (this.recent.size >= this.remembered) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(text, read);
    return read;
  }

  /** A chunk's tokens as a fresh wink instance reads the chunk alone: wink reads each chunk on its own. */
  private readAlone(text: string): ChunkTokens {
    const words = new ChunkWords(this.lexicon);
    const document = { cache: words, tokens: [] as number[], nonBreakingSpaces: {} };
    this.lexicon.tokenize(wrapDocData(document), text);
    const read: ChunkTokens = { ids: [], normals: [], boundaryHints: [], negatable: [] };
    for (let at = 0; at < document.tokens.length; at += TOKEN_SIZE) {
      const lexeme = document.tokens[at] ?? 0;
      // Past the spaces' bits, a contraction's part points at its expansion's normal form.
      const second = document.tokens[at + 1] ?? 0;
      const id = second > SPACE_BITS ? this.lexicon.cache.nox(second) : words.normalOf(lexeme);
      read.ids.push(id);
      read.normals.push(words.value(id));
      read.boundaryHints.push(boundaryHint(words, id, lexeme));
      read.negatable.push(!UNNEGATABLE.has(words.kind(lexeme)));
    }
    return read;
  }
}

/**
 * What wink's sentence transformer makes of a token, but for the spaces before it: -1 when it reads
 * the token's id, HINT_AMBIGUOUS_QUOTE when that depends on the spaces.
 */
function boundaryHint(words: ChunkWords, id: number, lexeme: number): number {
  const hint = Number(words.property(id, 'sbdHint') || words.property(lexeme, 'sbdHint'));
  if (hint === HINT_AMBIGUOUS_QUOTE) return HINT_AMBIGUOUS_QUOTE;
  if (hint) return HINT_BASE + hint;
  if (words.property(id, 'isAbbrev')) {
    return HINT_BASE + (words.value(id).length === 2 ? HINT_NOT_END : HINT_LIKELY_END);
  }
  return -1;
}

/** wink's sentence setter: each boundary found ends a sentence at its first token. */
function sentencesAt(boundaries: readonly Recognised[], tokenCount: number): WinkSentence[] {
  const sentences: WinkSentence[] = [];
  let sentence: WinkSentence = { first: 0, last: tokenCount - 1, sentiment: 0 };
  for (let i = 0; i < boundaries.length; i += 1) {
    const end = boundaries[i]?.first ?? 0;
    sentence.last = end;
    if (i < boundaries.length - 1) {
      sentences.push(sentence);
      sentence = { first: end + 1, last: tokenCount - 1, sentiment: 0 };
    }
  }
  sentences.push(sentence);
  if (sentence.last < tokenCount - 1) {
    sentences.push({ first: sentence.last + 1, last: tokenCount - 1, sentiment: 0 });
  }
  return sentences;
}

/** The sentence holding a token, by halving; wink's `search`. */
function sentenceHolding(token: number, sentences: readonly WinkSentence[]): number | undefined {
  let low = 0;
  let high = sentences.length - 1;
  while (low <= high) {
    const middle = ((low + high) / 2) | 0;
    const sentence = sentences[middle];
    if (sentence === undefined) return undefined;
    if (token > sentence.last) low = middle + 1;
    else if (token < sentence.first) high = middle - 1;
    else return middle;
  }
  return undefined;
}

/** wink's `locate`: the span holding a token, or half way between the two it falls between. */
function locate(token: number, spans: ReadonlyArray<{ first: number; last: number }>): number {
  let low = 0;
  let high = spans.length - 1;
  let edge = -1;
  while (low <= high) {
    const middle = ((low + high) / 2) | 0;
    const span = spans[middle];
    if (span === undefined) return edge;
    if (token > span.last) {
      low = middle + 1;
      edge = middle + 0.5;
    } else if (token < span.first) {
      high = middle - 1;
      edge = middle - 0.5;
    } else return middle;
  }
  return edge;
}

/**
 * wink's negation setter: from the end of each negation cue to the next cue or the end of its
 * sentence, every word is negated.
 */
function markNegation(
  cues: readonly Recognised[],
  sentences: readonly WinkSentence[],
  negatable: readonly boolean[],
  negated: boolean[],
): void {
  let k = 0;
  while (k < cues.length) {
    const cue = cues[k];
    // '2' names the model's cues that negate nothing after them.
    if (cue === undefined || cue.name === '2') {
      k += 1;
      continue;
    }
    const index = sentenceHolding(cue.last, sentences);
    const sentence = index === undefined ? undefined : sentences[index];
    if (sentence === undefined) throw new Error('wink negation: a cue outside every sentence');
    let reach = sentence.last;
    k += 1;
    const next = cues[k];
    if (next !== undefined) reach = Math.min(reach, next.first);
    else reach += 1;
    for (let i = cue.last + 1; i < reach; i += 1) if (negatable[i]) negated[i] = true;
  }
}

/** wink's sentiment setter: a sentence's sentiment is the mean of its rated phrases, negated ones turned. */
function rateSentences(
  phrases: readonly Recognised[],
  sentences: WinkSentence[],
  negated: readonly boolean[],
): void {
  let k = 0;
  while (k < phrases.length) {
    const phrase = phrases[k];
    if (phrase === undefined) break;
    const sentence = sentences[Math.ceil(locate(phrase.first, sentences))];
    if (sentence === undefined) throw new Error('wink sentiment: a phrase outside every sentence');
    const end = Math.floor(locate(sentence.last, phrases));
    let sum = 0;
    for (let i = k; i <= end; i += 1) {
      const rated = phrases[i];
      if (rated === undefined) continue;
      const rating = Number(rated.name) / 1000;
      if (negated[rated.first]) sum -= rating;
      else sum += rating;
    }
    sentence.sentiment = sum / (end - k + 1);
    k = end + 1;
  }
}

/**
 * Reads a text as wink-nlp's readDoc with the English lite model's sentence, negation and sentiment
 * passes reads it, at a fraction of its cost: wink tokenizes every stretch between whitespace anew in
 * every document and answers through a document object; here each stretch is tokenized once (by wink's
 * own tokenizer) and remembered, and the passes run on plain arrays. test/unit/analysis/wink-reader.test.ts
 * holds it to wink's readDoc token for token.
 */
export class WinkReader {
  private readonly chunks: Chunks;

  constructor(chunksRemembered: number = CHUNKS_REMEMBERED) {
    this.chunks = new Chunks(lexicon, chunksRemembered);
  }

  /** Chunks remembered now, at most twice `chunksRemembered`. */
  get rememberedChunks(): number {
    return this.chunks.size;
  }

  read(text: string): WinkReading {
    const ids: number[] = [];
    const boundarySymbols: number[] = [];
    const normals: string[] = [];
    const negatable: boolean[] = [];
    let spacesBefore = false;
    for (let start = 0; start < text.length; ) {
      const kind = pieceKind(text.charCodeAt(start));
      let end = start + 1;
      while (end < text.length && pieceKind(text.charCodeAt(end)) === kind) end += 1;
      const piece = start === 0 && end === text.length ? text : text.slice(start, end);
      start = end;
      if (kind === SPACES) {
        spacesBefore = true;
        continue;
      }
      const chunk = this.chunks.get(piece);
      for (let i = 0; i < chunk.ids.length; i += 1) {
        const id = chunk.ids[i] ?? 0;
        const hint = chunk.boundaryHints[i] ?? -1;
        const spaced = spacesBefore && i === 0;
        ids.push(id);
        boundarySymbols.push(
          hint === HINT_AMBIGUOUS_QUOTE
            ? HINT_BASE + (spaced ? HINT_SPACED_AMBIGUOUS_QUOTE : HINT_AMBIGUOUS_QUOTE)
            : hint === -1
              ? id
              : hint,
        );
        normals.push(chunk.normals[i] ?? '');
        negatable.push(chunk.negatable[i] ?? false);
      }
      spacesBefore = false;
    }
    const sentences = sentencesAt(
      boundaryAutomaton.recognise(ids, lexicon.lineBreak, boundarySymbols),
      ids.length,
    );
    const negated: boolean[] = new Array<boolean>(ids.length).fill(false);
    markNegation(negationAutomaton.recognise(ids, lexicon.lineBreak), sentences, negatable, negated);
    rateSentences(sentimentAutomaton.recognise(ids, lexicon.lineBreak), sentences, negated);
    return { normals, negated, sentences };
  }
}
