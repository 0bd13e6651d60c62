import { describe, expect, it } from 'vitest';
import { analyse } from './labelled-cases.js';

describe('a seller to the business', () => {
  it.each([
    [
      'who supplies the trade',
      'Caller: Hi, we supply temporary drywall crews to builders all over the county. Any openings?',
    ],
    [
      'who asks who buys for it',
      'Caller: Quick one, who handles your advertising these days? I have a radio offer.',
    ],
    [
      'who helped others like it',
      'Caller: We have helped remodelers like you double their leads. Got five minutes?',
    ],
    [
      'that is a robocall notice',
      'Caller: We have been trying to reach you regarding your business loan. This is your final notice.',
    ],
    ['after its customers', 'Caller: Do you have any customers looking to refinance? We pay referral fees.'],
  ])('is spam: one %s', (_what, line) => {
    expect(analyse(['Agent: Acme Remodeling.', line]).intent).toBe('spam');
  });

  it('but a customer who could not reach the business is not', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: I have been trying to reach you about my bathroom, the grout your crew laid is cracking.',
    ]);
    expect(result.intent).toBe('existing_customer');
  });
});
