import { describe, expect, it } from 'vitest';
import { withoutFillers } from '../../../src/analysis/embedded/transcript-turns.js';

describe('filler words', () => {
  it('are taken out in any case, and "like" only where commas set it off', () => {
    expect(withoutFillers('Um, so uh we, like, want a kitchen like this. Hmm. Erm, yes')).toBe(
      'so we, want a kitchen like this. yes',
    );
  });

  it('take "uh-huh" out whole', () => {
    expect(withoutFillers('Uh-huh, and the bathroom too')).toBe('and the bathroom too');
  });

  it('are read by Unicode case folding: the Kelvin sign is a K, the long s a letter of the word', () => {
    expect(withoutFillers('we, li\u212Ae, want it')).toBe('we, want it');
    expect(withoutFillers('um\u017F then um done')).toBe('um\u017F then done');
  });
});
