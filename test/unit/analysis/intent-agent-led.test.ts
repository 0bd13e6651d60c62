import { describe, expect, it } from 'vitest';
import { analyse } from './labelled-cases.js';

describe('a call the agent leads', () => {
  it('is a quote request when the agent names the caller’s project and the caller only answers', () => {
    const result = analyse([
      'Agent: Acme Remodeling, returning your call. So you are interested in a bathroom remodel?',
      'Caller: Yep.',
      'Agent: Tub to shower, or the whole room?',
      'Caller: Whole room.',
      'Agent: Great, I will have someone put numbers together.',
      'Caller: Thanks.',
    ]);
    expect(result.intent).toBe('quote_request');
  });

  it('is a booking when the caller takes one of the days the agent has', () => {
    const result = analyse([
      'Agent: Acme Kitchens. I see you are looking at a kitchen refresh. We have Monday at eight or Friday at two.',
      'Caller: Friday.',
      'Agent: Friday at two it is. Still on Oak Street?',
      'Caller: Yes.',
    ]);
    expect(result.intent).toBe('appointment_booking');
  });
});
