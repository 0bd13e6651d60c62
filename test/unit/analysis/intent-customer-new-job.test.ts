import { describe, expect, it } from 'vitest';
import { analyse } from './labelled-cases.js';

describe('a customer who also asks a price for another job', () => {
  it('stays an existing customer when the call says the work is theirs', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: You guys redid our bathroom last spring and it turned out great. Could you quote the laundry room next?',
    ]);
    expect(result.intent).toBe('existing_customer');
  });

  it('stays one when they thank the business for the finished room and ask about the next', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: We wanted to say thanks, the bathroom is just beautiful. Could you price out the basement stairs?',
    ]);
    expect(result.intent).toBe('existing_customer');
  });

  it('but a caller whose relative had the business do their room is a new lead', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: My aunt Rita had you guys redo her bathroom. Could someone come out and look at ours?',
    ]);
    expect(result.intent).toBe('appointment_booking');
  });

  it('but a caller who only names a word of the trade and asks a price is a quote request', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: I saw the invoice template on your site. Can I get a quote on a kitchen remodel?',
    ]);
    expect(result.intent).toBe('quote_request');
  });
});
