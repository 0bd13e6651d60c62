import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../../src/mapping/values/email.js';
import { splitPersonName } from '../../../src/mapping/values/person-name.js';
import { toE164 } from '../../../src/mapping/values/phone.js';

describe('customer_name split into first and last', () => {
  it.each([
    ['Jane', 'Jane', null],
    ['Jane Doe', 'Jane', 'Doe'],
    ['Mary Ann Smith', 'Mary Ann', 'Smith'],
    ['John Smith Jr.', 'John', 'Smith Jr.'],
    ['Robert Downey III', 'Robert', 'Downey III'],
    ['Ana de la Cruz', 'Ana', 'de la Cruz'],
    ['Ludwig van Beethoven', 'Ludwig', 'van Beethoven'],
    ['Doe, Jane', 'Jane', 'Doe'],
    ['Dr. Maria Lopez', 'Maria', 'Lopez'],
    ['  jane   doe  ', 'jane', 'doe'],
    ['JANE DOE', 'Jane', 'Doe'],
    ["MARY O'BRIEN-SMITH", 'Mary', "O'Brien-Smith"],
    ['José Álvarez', 'José', 'Álvarez'],
  ])('%s → first %s, last %s', (raw, first, last) => {
    const name = splitPersonName(raw);
    expect([name.first, name.last]).toEqual([first, last]);
  });

  it('takes "Mrs Alvarez" as a family name, not a first name', () => {
    expect(splitPersonName('Mrs Alvarez')).toEqual({ full: 'Alvarez', first: null, last: 'Alvarez' });
  });

  it.each(['WIRELESS CALLER', 'Unknown', 'LOS ANGELES CA', 'TOLL FREE CALLER', '+1 555 123 4567', '   '])(
    'does not take the caller-ID placeholder %j for a name',
    (raw) => {
      expect(splitPersonName(raw)).toEqual({ full: null, first: null, last: null });
    },
  );

  it('keeps every word of any name: first and last together are the full name', () => {
    const word = fc.stringMatching(/^[A-Za-z][a-z]{0,11}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (words) => {
        const name = splitPersonName(words.join(' '));
        if (name.full === null) return;
        expect([name.first, name.last].filter((part) => part !== null).join(' ')).toBe(name.full);
      }),
    );
  });
});

describe('phone numbers in E.164', () => {
  it.each([
    ['(512) 555-0143', '+15125550143'],
    ['512.555.0143', '+15125550143'],
    ['+1 512 555 0143', '+15125550143'],
    ['15125550143', '+15125550143'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('%s → %s', (raw, e164) => {
    expect(toE164(raw)).toBe(e164);
  });

  it('keeps a value that is not a phone number as sent, so nothing the caller gave is lost', () => {
    expect(toE164(' ext 12 ')).toBe('ext 12');
    expect(toE164('')).toBeNull();
    expect(toE164(null)).toBeNull();
  });
});

describe('e-mail addresses', () => {
  it('lower-cases and trims', () => {
    expect(normalizeEmail('  Jane.Doe@Example.COM ')).toBe('jane.doe@example.com');
  });

  it.each(['jane', 'jane@', 'jane doe@example.com', '@example.com'])(
    'drops %j, which no CRM accepts',
    (raw) => {
      expect(normalizeEmail(raw)).toBeNull();
    },
  );
});
