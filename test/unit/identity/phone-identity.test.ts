import fc from 'fast-check';
import { getCountries, getExampleNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import {
  nationalDigits,
  phoneIdentity,
  phoneMatchKey,
  samePhone,
} from '../../../src/identity/phone-identity.js';

const digit = (from: number) => fc.integer({ min: from, max: 9 }).map(String);
/** A North American number: area code and exchange start 2-9. */
const nanp = fc
  .tuple(
    digit(2),
    digit(0),
    digit(0),
    digit(2),
    digit(0),
    digit(0),
    fc.array(digit(0), { minLength: 4, maxLength: 4 }),
  )
  .map(([a, b, c, d, e, f, line]) => ({
    area: `${a}${b}${c}`,
    exchange: `${d}${e}${f}`,
    line: line.join(''),
  }));

const spellings = ({ area, exchange, line }: { area: string; exchange: string; line: string }) => [
  `(${area}) ${exchange}-${line}`,
  `${area}-${exchange}-${line}`,
  `${area}.${exchange}.${line}`,
  `${area}${exchange}${line}`,
  `1${area}${exchange}${line}`,
  `+1 ${area} ${exchange} ${line}`,
  `+1 (${area}) ${exchange}-${line}`,
  ` +1-${area}-${exchange}-${line} `,
];

describe('phone identity', () => {
  it('gives one E.164 identity to every way a North American number is written', () => {
    fc.assert(
      fc.property(nanp, (number) => {
        const e164 = `+1${number.area}${number.exchange}${number.line}`;
        for (const spelling of spellings(number)) expect(phoneIdentity(spelling)).toBe(e164);
      }),
    );
  });

  it("reads a national number in the tenant's country and an international one in any", () => {
    const countries = getCountries().filter((country) => getExampleNumber(country, examples) !== undefined);
    fc.assert(
      fc.property(fc.constantFrom(...countries), fc.constantFrom(...countries), (home, elsewhere) => {
        const example = getExampleNumber(home, examples);
        if (example === undefined) return;
        expect(phoneIdentity(example.formatNational(), home)).toBe(example.number);
        expect(phoneIdentity(example.formatInternational(), elsewhere)).toBe(example.number);
      }),
    );
  });

  it('reads the same national text again as each country reads it, however often it was read', () => {
    for (let round = 0; round < 2; round += 1) {
      expect(phoneIdentity('020 7946 0018', 'GB')).toBe('+442079460018');
      expect(phoneIdentity('020 7946 0018', 'US')).toBeNull();
      expect(phoneIdentity(' (512) 555-0143 ', 'US')).toBe('+15125550143');
      expect(phoneIdentity(' (512) 555-0143 ', 'MX')).toBe('+525125550143');
    }
  });

  it('tells apart numbers that share their national digits in different countries', () => {
    expect(samePhone('+1 512 555 0143', '+52 512 555 0143')).toBe(false);
    expect(nationalDigits('+52 512 555 0143')).toBe(nationalDigits('+1 512 555 0143'));
  });

  it('has no identity for what is not a possible number, and matches such text by its digits', () => {
    expect(phoneIdentity('anonymous')).toBeNull();
    expect(phoneIdentity('555-0143')).toBeNull();
    expect(phoneIdentity(null)).toBeNull();
    expect(samePhone('555-0143', '555 0143')).toBe(true);
    expect(samePhone('anonymous', 'anonymous')).toBe(false);
    expect(phoneMatchKey('no number')).toBe('');
  });

  it('is the national digits HubSpot and Pipedrive search indexes hold', () => {
    fc.assert(
      fc.property(nanp, (number) => {
        for (const spelling of spellings(number)) {
          expect(nationalDigits(spelling)).toBe(`${number.area}${number.exchange}${number.line}`);
        }
      }),
    );
  });
});
