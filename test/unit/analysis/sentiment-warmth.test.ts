import { describe, expect, it } from 'vitest';
import { analyse } from './labelled-cases.js';

describe('warmth a caller brings to the call', () => {
  it('reads an exclaimed greeting as tipping a call that leans warm into positive', () => {
    const line = 'We just bought our first place and want a quote on the bathroom, we are finally ready.';
    expect(analyse([`Caller: Hi! ${line}`]).sentiment).toBe('positive');
    expect(analyse([`Caller: Hi. ${line}`]).sentiment).toBe('neutral');
  });

  it('does not read an exclaimed greeting alone as warmth', () => {
    expect(analyse(['Caller: Hi! I need a quote on a bathroom.']).sentiment).toBe('neutral');
  });

  it('reads a caller who comes on the word of someone the business worked for as leaning warm', () => {
    const line = 'We want a quote on a new laundry room, we are finally ready to do it.';
    expect(analyse([`Caller: You remodeled my cousin's basement last fall. ${line}`]).sentiment).toBe(
      'positive',
    );
    expect(analyse([`Caller: ${line}`]).sentiment).toBe('neutral');
  });
});
