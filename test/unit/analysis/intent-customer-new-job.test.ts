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

  it('but a caller who only names a word of the trade and asks a price is a quote request', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: I saw the invoice template on your site. Can I get a quote on a kitchen remodel?',
    ]);
    expect(result.intent).toBe('quote_request');
  });
});
