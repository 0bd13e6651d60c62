import { describe, expect, it } from 'vitest';
import {
  classifyResponse,
  retryAfterMs,
  vendorMessage,
} from '../../../../src/crm/custom/error-classification.js';

const NOW = new Date('2026-11-25T17:20:00Z');
const keep = (text: string) => text;

describe('custom CRM errors', () => {
  it('read Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterMs('30', NOW)).toBe(30_000);
    expect(retryAfterMs('Wed, 25 Nov 2026 17:21:00 GMT', NOW)).toBe(60_000);
    expect(retryAfterMs('soon', NOW)).toBeUndefined();
    expect(retryAfterMs(null, NOW)).toBeUndefined();
  });

  it("quote the vendor's message wherever common APIs put it", () => {
    expect(vendorMessage('{"message":"phone is invalid"}')).toBe('phone is invalid');
    expect(vendorMessage('{"error":{"message":"Duplicate email"}}')).toBe('Duplicate email');
    expect(vendorMessage('{"error":"invalid_client","error_description":"bad secret"}')).toBe(
      'invalid_client: bad secret',
    );
    expect(vendorMessage('{"errors":[{"message":"title required"}]}')).toBe('title required');
    expect(vendorMessage('{"title":"Bad Request","detail":"age must be a number"}')).toBe(
      'age must be a number: Bad Request',
    );
    expect(vendorMessage('<h1>Bad Gateway</h1>\n')).toBe('<h1>Bad Gateway</h1>');
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
