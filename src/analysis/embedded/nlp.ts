import model from 'wink-eng-lite-web-model';
import winkNLP, { type Document, type ItsHelpers, type WinkMethods } from 'wink-nlp';

/**
 * wink-nlp adds every word its model does not know (a caller's name, a street, a number, a misheard word)
 * to its own lexicon and never lets it go: about 100-300 bytes a word, so an enricher's heap would grow
 * with every new caller. A fresh instance after this many documents forgets them; building one takes
 * 50-100 ms, about 0.001 ms a document spread over them. What a document reads as does not depend on
 * what the instance learnt before.
 */
const RENEW_AFTER_DOCUMENTS = 50_000;

/**
 * The model's `metaCER()` stringifies its machines into the variable it read them from, so each further
 * instance built from the model would get the last answer stringified again, longer every time (after a
 * few dozen instances longer than a string may be). Every instance gets the first answer, which wink
 * only reads.
 */
const { metaCER } = model;
if (typeof metaCER !== 'function') throw new Error('wink-eng-lite-web-model: metaCER is not a function');
const firstMetaCer: unknown = (metaCER as () => unknown)();
const renewableModel: typeof model = { ...model, metaCER: () => firstMetaCer };

/** wink-nlp's sentence boundaries, normal forms, negation and sentence sentiment, renewed now and then. */
export class RenewingNlp {
  private instance: WinkMethods = RenewingNlp.create();
  private documents = 0;
  private renewed = 0;
  /** wink's property readers, the same functions for every instance. */
  readonly its: ItsHelpers = this.instance.its;

  constructor(private readonly renewAfter: number = RENEW_AFTER_DOCUMENTS) {}

  /** Fresh instances built so far, the first not counted. */
  get renewals(): number {
    return this.renewed;
  }

  /**
   * Sentence boundaries, tokens with their normal forms, negation scopes and sentence sentiment from
   * wink's English lite model. Named-entity and part-of-speech passes are left out: the trade rules read
   * numbers and dates themselves, and the two passes would halve throughput.
   */
  private static create(): WinkMethods {
    return winkNLP(renewableModel, ['sbd', 'negation', 'sentiment']);
  }

  readDoc(text: string): Document {
    this.documents += 1;
    if (this.documents > this.renewAfter) {
      this.instance = RenewingNlp.create();
      this.documents = 1;
      this.renewed += 1;
    }
    return this.instance.readDoc(text);
  }
}

/** The process's one reader. */
export const nlp = new RenewingNlp();

/** Lower case without accents, so "Baño", "baño" and "bano" are one word. */
export function foldWord(word: string): string {
  const lower = word.toLowerCase();
  // Most words are printable ASCII, which decomposing would only copy; a loop tells them a third as fast as a regex.
  for (let i = 0; i < lower.length; i += 1) {
    const code = lower.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return lower.normalize('NFD').replace(/\p{M}/gu, '');
  }
  return lower;
}

/** The normal forms of a text's tokens, folded; how phrases in the lexicon are written down. */
export function normalWords(text: string): string[] {
  return nlp
    .readDoc(text)
    .tokens()
    .out(nlp.its.normal)
    .map((word) => foldWord(word));
}
