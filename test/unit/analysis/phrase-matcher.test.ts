import { describe, expect, it } from 'vitest';
import type { CallerSentence } from '../../../src/analysis/embedded/call-reading.js';
import { PhraseMatcher } from '../../../src/analysis/embedded/phrase-matcher.js';

function sentence(text: string): CallerSentence {
  const words = text.split(' ');
  return {
    words,
    negated: words.map(() => false),
    text,
    starts: [],
    sentiment: 0,
    question: false,
    askedAbout: undefined,
  };
}

describe('the phrase matcher', () => {
  const matcher = new PhraseMatcher<'kitchen' | 'leak'>([
    [
      'kitchen',
      [
        ['kitchen', 2],
        ['cabinet*', 1],
        ['kitchen island', 3],
      ],
    ],
    ['leak', [['leak*', 2]]],
  ]);
  const said = [sentence('new cabinets and a kitchen island'), sentence('the roof is leaking')];
  const found = () =>
    matcher.match(said).map(({ label, weight, sentence, word }) => [label, weight, sentence, word]);

  it('finds whole phrases and prefixes where they are said, in the order said', () => {
    expect(found()).toEqual([
      ['kitchen', 1, 0, 1],
      ['kitchen', 2, 0, 4],
      ['kitchen', 3, 0, 4],
      ['leak', 2, 1, 3],
    ]);
  });

  it('finds the same after more new words than it remembers (callers names, misheard words)', () => {
    const before = found();
    for (let i = 0; i < 25_000; i += 1) matcher.match([sentence(`caller${i} cab${i} kitchenette${i}`)]);
    expect(found()).toEqual(before);
  });

  it('finds the phrases of a word that starts many in their order, whatever is said after it', () => {
    const many = new PhraseMatcher<'a' | 'b'>([
      [
        'a',
        [
          ['the kitchen', 1],
          ['the', 2],
          ['the cab*', 3],
          ['the kitchen island', 4],
        ],
      ],
      [
        'b',
        [
          ['the bath', 5],
          ['the kitchen', 6],
        ],
      ],
    ]);
    const weights = (text: string) => many.match([sentence(text)]).map(({ weight }) => weight);
    expect(weights('the kitchen island')).toEqual([1, 2, 4, 6]);
    expect(weights('the cabinets')).toEqual([2, 3]);
    expect(weights('the bath')).toEqual([2, 5]);
    expect(weights('see the')).toEqual([2]);
  });
});
