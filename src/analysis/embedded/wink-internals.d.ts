/**
 * The parts of wink-nlp 2.4 that wink-reader.ts builds its reader from. wink publishes types for its
 * document API only; these say what the reader relies on, and test/unit/analysis/wink-reader.test.ts
 * holds the reader to wink's own readDoc, so an upgrade that changes a part fails there.
 */
declare module 'wink-nlp/src/cache.js' {
  /** What wink's tokenizer asks of the lexicon. */
  export interface WinkLexiconView {
    /** A known lexeme's index, or its contraction's expansions (four numbers each); null if unknown. */
    lookup(text: string): number[] | null;
    /** Learns a word of a kind (a token category's number), giving its index; a known word keeps its own. */
    add(text: string, kind: number): number;
  }
  export interface WinkCache extends WinkLexiconView {
    /** The index of the last lexeme known so far. */
    currentSize(): number;
    /** Lexemes the model came with; indexes from here on are words learnt since. */
    intrinsicSize(): number;
    /** The index of a lexeme's normal form. */
    normal(index: number): number;
    /** The index of an expansion's normal form, from a token's second number. */
    nox(binaryWord: number): number;
    value(index: number): string;
    property(index: number, name: string): unknown;
  }
  const createCache: (core: unknown, featureFn: unknown) => WinkCache;
  export default createCache;
}

declare module 'wink-nlp/src/compile-trex.js' {
  export interface WinkTRex {
    helpers: { splitter: RegExp };
  }
  const compileTRex: (trex: unknown) => WinkTRex;
  export default compileTRex;
}

declare module 'wink-nlp/src/tokenizer.js' {
  import type { WinkTRex } from 'wink-nlp/src/compile-trex.js';
  import type { WinkDocData } from 'wink-nlp/src/dd-wrapper.js';
  /** Splits a text into tokens, appending four numbers per token to the document's `tokens`. */
  export type WinkTokenize = (doc: WinkDocData, text: string) => void;
  const createTokenizer: (trex: WinkTRex, categories: unknown, preserve: unknown) => WinkTokenize;
  export default createTokenizer;
}

declare module 'wink-nlp/src/dd-wrapper.js' {
  import type { WinkLexiconView } from 'wink-nlp/src/cache.js';
  export interface WinkRawDocument {
    cache: WinkLexiconView;
    tokens: number[];
    nonBreakingSpaces: Record<number, string>;
  }
  export type WinkDocData = { readonly __brand: 'WinkDocData' };
  const wrapDocData: (rdd: WinkRawDocument) => WinkDocData;
  export default wrapDocData;
}
