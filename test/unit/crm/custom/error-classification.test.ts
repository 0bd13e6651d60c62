import { describe, expect, it } from 'vitest';
import { classifyResponse } from '../../../../src/crm/custom/error-classification.js';

const NOW = new Date('2026-11-25T17:20:00Z');
const keep = (text: string) => text;

describe('custom CRM errors', () => {
  it("wait as long as Retry-After asks, in seconds or until an HTTP date, and quote the vendor's message", () => {
    const answer = (status: number, retryAfter: string, text: string) =>
      classifyResponse(
        { status, headers: new Headers({ 'retry-after': retryAfter }), text },
        'create_contact (POST /contacts)',
        keep,
        NOW,
      );
    expect(answer(429, 'Wed, 25 Nov 2026 17:21:00 GMT', '{"message":"slow down"}')).toMatchObject({
      retryAfterMs: 60_000,
      message: 'custom CRM answered 429 to create_contact (POST /contacts): slow down',
    });
    expect(answer(503, '1.5', '<h1>Service Unavailable</h1>\n')).toMatchObject({
      retryAfterMs: 1_500,
      message: 'custom CRM answered 503 to create_contact (POST /contacts): <h1>Service Unavailable</h1>',
    });
    expect(answer(503, 'soon', '').retryAfterMs).toBeUndefined();
  });

  it('classify by status: 408, 429 and 5xx retryable; 401/403 auth; other 4xx permanent', () => {
    const classify = (status: number) =>
      classifyResponse(
        { status, headers: new Headers(), text: '' },
        'create_contact (POST /contacts)',
        keep,
        NOW,
      );
    expect(classify(408)).toMatchObject({ type: 'crm_unavailable', retryable: true });
    expect(classify(429)).toMatchObject({ type: 'crm_rate_limited', retryable: true });
    expect(classify(502)).toMatchObject({ type: 'crm_unavailable', retryable: true });
    expect(classify(401)).toMatchObject({ type: 'crm_auth_error', retryable: false });
    expect(classify(403)).toMatchObject({ type: 'crm_auth_error', retryable: false });
    expect(classify(404)).toMatchObject({ type: 'crm_not_found', retryable: false });
    expect(classify(422)).toMatchObject({ type: 'crm_rejected', retryable: false });
    expect(classify(301)).toMatchObject({ type: 'crm_rejected', retryable: false });
  });
});
