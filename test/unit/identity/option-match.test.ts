import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accentlessKey, findOption, optionKey } from '../../../src/identity/option-match.js';

const itself = (option: string) => [option];

describe('option matching', () => {
  it('keeps the letters of every script: "Baño" is never "bao"', () => {
    expect(optionKey('Baño')).toBe('baño');
    expect(optionKey('Cocina / Baño')).toBe('cocinabaño');
    expect(optionKey('Ремонт кухни')).toBe('ремонткухни');
    expect(optionKey('浴室 リフォーム')).toBe('浴室リフォーム');
    expect(optionKey('हिन्दी')).toBe('हिन्दी');
  });

  it('treats case, punctuation, compatibility forms and composed or decomposed accents as one option', () => {
    expect(optionKey('WHOLE-HOME')).toBe(optionKey('whole_home'));
    expect(optionKey('Whole Home')).toBe('wholehome');
    expect(optionKey('BAÑO')).toBe(optionKey('baño'));
    expect(optionKey('Ban\u0303o')).toBe(optionKey('Baño'));
    expect(optionKey('Straße')).toBe(optionKey('STRASSE'));
    expect(optionKey('Ｋｉｔｃｈｅｎ')).toBe(optionKey('kitchen'));
  });

  it('finds "Baño" for a user typing "Bano", and "Baño" itself before anything accentless', () => {
    const options = ['Cocina', 'Baño', 'Casa completa'];
    expect(findOption('Bano', options, itself)).toBe('Baño');
    expect(findOption('baño', options, itself)).toBe('Baño');
    expect(findOption('casa_completa', options, itself)).toBe('Casa completa');
    const both = ['Bano', 'Baño'];
    expect(findOption('baño', both, itself)).toBe('Baño');
    expect(findOption('BANO', both, itself)).toBe('Bano');
  });

  it('does not choose between options that differ only by their accents', () => {
    const options = ['Año', 'Äno'];
    expect(findOption('ano', options, itself)).toBeUndefined();
    expect(findOption('año', options, itself)).toBe('Año');
  });

  it('matches nothing for a value without letters or digits', () => {
    const options = ['...', 'Kitchen'];
    expect(findOption('--', options, itself)).toBeUndefined();
  });

  it('drops no letter and finds a label from any casing and separator', () => {
    const word = fc.stringMatching(/^[a-zA-Z0-9ñÑáéíóúüÁÉÍÓÚÜçÇàèßøÅ]{1,10}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(' ', '_', '-', ''),
        (words, joiner) => {
          const label = words.join(' ');
          const typed = words.map((w) => w.toUpperCase()).join(joiner);
          expect(optionKey(typed)).toBe(optionKey(label));
          expect(accentlessKey(typed)).toBe(accentlessKey(label));
          expect(optionKey(label).length).toBeGreaterThanOrEqual(label.replace(/ /g, '').length);
        },
      ),
    );
  });
});
