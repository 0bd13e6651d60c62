import { describe, expect, it } from 'vitest';
import { writeSpokenNumbersAsDigits } from '../../../src/analysis/embedded/spoken-numbers.js';

describe('numbers spoken as words', () => {
  it.each([
    ['about fifty thousand dollars', 'about 50000 dollars'],
    ['a hundred and fifty thousand', '150000'],
    ['twenty-four hundred', '2400'],
    ['ten grand', '10000'],
    ['treinta y cinco mil', '35000'],
    ['in a couple of weeks', 'in 2 weeks'],
    ['half a year from now', '6 months from now'],
    ['en once meses', 'en 11 meses'],
    ['veinticinco mil dólares', '25000 dólares'],
    ['veintitrés mil', '23000'],
    ['around one-fifty', 'around 150'],
    ['one-twenty-five', '125'],
    ['like five-ten thousand', 'like 5-10000'],
  ])('reads "%s" as "%s"', (spoken, written) => {
    expect(writeSpokenNumbersAsDigits(spoken)).toBe(written);
  });

  it('leaves a text without number words exactly as written, digits and spacing included', () => {
    const text = 'The room is 12 by 14,  about 5,000 sq ft   of tile.';
    expect(writeSpokenNumbersAsDigits(text)).toBe(text);
  });

  it('reads number words in any case', () => {
    expect(writeSpokenNumbersAsDigits('FIFTY Thousand')).toBe('50000');
  });

  it('leaves words that only look like numbers alone', () => {
    expect(writeSpokenNumbersAsDigits('someone will call you at once')).toBe('someone will call you at once');
  });
});
