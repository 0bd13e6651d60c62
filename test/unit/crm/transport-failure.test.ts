import { describe, expect, it } from 'vitest';
import { isNetworkError, transportFailure } from '../../../src/crm/transport-failure.js';

describe('transportFailure', () => {
  it("makes a refused connection a retryable crm_unavailable naming the CRM and fetch's real reason", () => {
    const refused = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    const error = transportFailure('Zoho', 'Leads.upsert', refused);
    expect(error).toMatchObject({
      type: 'crm_unavailable',
      retryable: true,
      details: { operation: 'Leads.upsert' },
    });
    expect(error.message).toBe('Zoho could not be reached (Leads.upsert): connect ECONNREFUSED 127.0.0.1:9');
  });

  it('says the CRM did not answer when the request timed out', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(transportFailure('Monday', 'items_page_by_column_values', timeout).message).toBe(
      'Monday did not answer (items_page_by_column_values): The operation was aborted due to timeout',
    );
  });

  it('tells a dropped connection from an error the CRM answered with', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const refused = Object.assign(new Error('getaddrinfo ENOTFOUND crm.example'), { code: 'ENOTFOUND' });
    const answered = Object.assign(new Error('HTTP-Code: 400'), { code: 400 });
    expect([reset, refused, answered, 'ECONNRESET'].map(isNetworkError)).toEqual([true, true, false, false]);
  });
});
