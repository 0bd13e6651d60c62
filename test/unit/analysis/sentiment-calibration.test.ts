import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/embedded/embedded-analyzer.js';
import { callFrom, tenantWith } from './labelled-cases.js';

const analyzer = new EmbeddedAnalyzer();

function sentimentOf(transcript: string[]) {
  return analyzer.analyzeNow(callFrom({ id: 'case', transcript }), tenantWith()).sentiment;
}

describe('sentiment: what is routine and what is tone', () => {
  it('hears surprise and an apology exclaimed by a caller who dialled wrong as neutral, not warm', () => {
    expect(
      sentimentOf([
        'Agent: Good morning, Ridgeway Remodeling.',
        'Caller: Oh! Is this the pizza place on Fifth?',
        'Agent: No, this is a remodeling company.',
        'Caller: Oops! My bad, sorry to bother you!',
      ]),
    ).toBe('neutral');
  });

  it('still hears an exclamation of delight as warm', () => {
    expect(
      sentimentOf([
        'Agent: Good morning, Ridgeway Remodeling.',
        'Caller: Hi! We finally closed on the house and we want a quote for the kitchen. Oh, we are over the moon!',
      ]),
    ).toBe('positive');
  });
});
