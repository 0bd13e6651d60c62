import { describe, expect, it } from 'vitest';
import { analyse } from './labelled-cases.js';

describe('a new lead the customer and non-lead shapes leave alone', () => {
  it('times the job by the family, not by the work', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: We want the kitchen redone when the kids are done with school. Could you give us a price?',
    ]);
    expect(result.intent).toBe('quote_request');
  });

  it.each([
    [
      'asks what the deposit on a room would be',
      'Caller: We want to redo our kitchen. What would the deposit on the kitchen be?',
    ],
    [
      'wants someone to finish another contractor’s job',
      'Caller: I need somebody to come back and finish what the last contractor started in our bathroom.',
    ],
    [
      'thanks the business for a quote',
      'Caller: Thank you, the quote is perfect. Can we get the kitchen on your calendar?',
    ],
  ])('%s', (_what, line) => {
    expect(analyse(['Agent: Acme Remodeling.', line]).intent).not.toBe('existing_customer');
  });

  it('asks whether the business installs what they will have delivered', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: When the cabinets are delivered, do you install them too? I bought them online.',
    ]);
    expect(result.intent).toBe('information_seeking');
  });

  it('would love the business to come', () => {
    const result = analyse(
      ['Caller: Hi, we would love you to come look at our bathroom, any day next week.'],
      {
        answered: false,
        voicemail: true,
      },
    );
    expect(result.intent).toBe('appointment_booking');
  });

  it('is told a service is not offered', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: Do you pull the permits yourselves?',
      'Agent: No, this is not something we do, the homeowner pulls them.',
      'Caller: Okay, thanks.',
    ]);
    expect(result.intent).toBe('information_seeking');
  });
});
