import { describe, expect, it } from 'vitest';
import { analyse } from './labelled-cases.js';

describe('a price asked for, or only an idea of one', () => {
  it('is a quote request when the caller would like a figure on their own job', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      "Caller: Hi, I'd like a ballpark figure on redoing our kitchen. We are just planning for next year.",
    ]);
    expect(result.intent).toBe('quote_request');
  });

  it('is a question when a Spanish caller only wants an idea', () => {
    const result = analyse([
      'Agente: Remodelaciones Sol.',
      'Cliente: ¿Cuánto sale una cocina nueva, más o menos? Solo para tener una idea.',
    ]);
    expect(result.intent).toBe('information_seeking');
  });
});
