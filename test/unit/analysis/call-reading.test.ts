import { describe, expect, it } from 'vitest';
import { readCall } from '../../../src/analysis/embedded/call-reading.js';
import { callFrom } from './labelled-cases.js';

function callerSentences(transcript: string[], formFields: Record<string, string> = {}) {
  return readCall({ ...callFrom({ id: 'reading', transcript }), form_fields: formFields }).caller;
}

describe('reading what the caller said', () => {
  it('ends a sentence where a turn ends, after an abbreviation or with no punctuation at all', () => {
    const sentences = callerSentences([
      'Caller: I already spoke with Mr.',
      "Agent: Okay. What's your budget?",
      'Caller: um, about fifty thousand',
      'Agent: And when?',
      'Caller: no',
      'Caller: kitchen first. Then the bath at 5 p.m. on Friday.',
    ]);
    expect(sentences.map(({ text, askedAbout }) => [text, askedAbout])).toEqual([
      ['i already spoke with mr.', undefined],
      ['about 50000', 'budget'],
      ['no', 'timeline'],
      ['kitchen first .', undefined],
      ['then the bath at 5 p.m. on friday .', undefined],
    ]);
    // A negation at the end of one turn reaches nothing in the next.
    expect(sentences[3]?.negated).toEqual([false, false, false]);
  });

  it('reads each turn and form field as it would alone: words, negations, sentiment and word count', () => {
    const turns = [
      'Caller: Hi, we love the idea of a new kitchen!',
      'Agent: How can I help?',
      "Caller: It's not the bathroom, just the kitchen. The old one is a nightmare.",
      'Caller: e.g.',
      'Caller:    ',
    ];
    const fields = { message: 'Not urgent.\nMaybe in spring', budget: '$25,000 - $50,000' };
    const together = readCall({ ...callFrom({ id: 'together', transcript: turns }), form_fields: fields });
    const alone = [
      ...turns.map((turn) => readCall(callFrom({ id: 'turn', transcript: [turn] }))),
      ...Object.entries(fields).map(([key, value]) =>
        readCall({ ...callFrom({ id: 'field', transcript: [] }), form_fields: { [key]: value } }),
      ),
    ];
    const shape = ({
      words,
      negated,
      sentiment,
    }: {
      words: string[];
      negated: boolean[];
      sentiment: number;
    }) => ({
      words,
      negated,
      sentiment,
    });
    expect(together.caller.map(shape)).toEqual(alone.flatMap((reading) => reading.caller.map(shape)));
    expect(together.callerWordCount).toBe(alone.reduce((sum, reading) => sum + reading.callerWordCount, 0));
  });

  it('reads past contact fields however the form names them', () => {
    const sentences = callerSentences([], {
      'Full Name': 'Beverly Atkins',
      email_address: 'bev@example.com',
      Teléfono: '(915) 555-0144',
      phone_number: '248-555-0171',
      message: 'A quote for the kitchen, please.',
    });
    expect(sentences.map(({ text }) => text)).toEqual(['a quote for the kitchen , please .']);
  });
});
