import { describe, expect, it } from 'vitest';
import { analyse } from './labelled-cases.js';

describe('a project form', () => {
  it('asks a price when it chose when and how much for a job of its own, whatever the job', () => {
    const result = analyse([], {
      source_kind: 'web_form',
      transcript: undefined,
      form_fields: { Service: 'Deck rebuild', 'Start date': 'Next 3 months', Budget: '$10,000 - $20,000' },
    });
    expect(result.intent).toBe('quote_request');
  });

  it('says nothing when it holds only a name', () => {
    const result = analyse([], {
      source_kind: 'web_form',
      transcript: undefined,
      form_fields: { Name: 'Al' },
    });
    expect(result.intent).toBe('unknown');
  });
});
