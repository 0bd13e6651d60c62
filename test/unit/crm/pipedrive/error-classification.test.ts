import { describe, expect, it } from 'vitest';
import { classifyPipedriveError } from '../../../../src/crm/pipedrive/error-classification.js';
import { LeadstreamError } from '../../../../src/errors/leadstream-error.js';
import { fixedClock } from '../../../../src/time/clock.js';

const clock = fixedClock('2026-03-02T22:00:00Z');

/** An AxiosError as the SDK's axios rejects with, once client-factory keeps error answers. */
function answered(status: number, data: unknown, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    isAxiosError: true,
    config: { headers: { 'x-api-token': 'secret-token-value' } },
    response: { status, headers, data },
  });
}

function unanswered(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), {
    isAxiosError: true,
    code,
    config: { headers: { 'x-api-token': 'secret-token-value' } },
  });
}

const classify = (error: unknown) => classifyPipedriveError(error, 'persons.add', clock);

describe('classifyPipedriveError', () => {
  it('makes a 429 of the 2-second window retryable after the reset the headers give', () => {
    const error = classify(
      answered(
        429,
        { success: false, error: 'Request over limit', errorCode: 429 },
        { 'x-ratelimit-limit': '20', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' },
      ),
    );
    expect(error).toMatchObject({ type: 'crm_rate_limited', retryable: true, retryAfterMs: 2000 });
    expect(error.details).toMatchObject({ limit: 'burst', ratelimit_limit: '20' });
  });

  it('tells the daily budget from the burst window and waits until UTC midnight', () => {
    const byHeader = classify(
      answered(429, { success: false, error: 'Request over limit' }, { 'x-daily-requests-left': '0' }),
    );
    const byMessage = classify(answered(429, { success: false, error: 'Daily token budget exceeded' }));
    for (const error of [byHeader, byMessage]) {
      expect(error.details.limit).toBe('daily_budget');
      expect(error.retryAfterMs).toBe(2 * 60 * 60 * 1000);
    }
  });

  it('waits at least a second on a 429 without headers', () => {
    expect(classify(answered(429, { success: false, error: 'Too many requests' })).retryAfterMs).toBe(2000);
  });

  it('makes 5xx, 408 and unanswered requests retryable', () => {
    for (const error of [
      classify(answered(500, { success: false, error: 'Internal Server Error', code: 'ERR_UNKNOWN' })),
      classify(answered(502, '<html>502 Bad Gateway</html>')),
      classify(answered(408, { success: false, error: 'Request timeout' })),
      classify(unanswered('ECONNREFUSED')),
      classify(unanswered('ECONNABORTED')),
    ]) {
      expect(error.type).toBe('crm_unavailable');
      expect(error.retryable).toBe(true);
    }
  });

  it("makes a 400 permanent with Pipedrive's message and code", () => {
    const error = classify(
      answered(400, {
        success: false,
        error: "Validation failed: name: Required; phone: Parameter 'phone' is not allowed for this request",
        code: 'ERR_SCHEMA_VALIDATION_FAILED',
      }),
    );
    expect(error).toMatchObject({ type: 'crm_rejected', retryable: false });
    expect(error.message).toContain("phone: Parameter 'phone' is not allowed for this request");
    expect(error.details.code).toBe('ERR_SCHEMA_VALIDATION_FAILED');
  });

  it('makes 401 and 403 crm_auth_error, and 404 crm_not_found, all permanent', () => {
    const unauthorized = classify(
      answered(401, { success: false, error: 'unauthorized access', errorCode: 401 }),
    );
    const forbidden = classify(answered(403, { success: false, error: 'You do not have permission' }));
    const missing = classify(
      answered(404, { success: false, error: 'Person not found', code: 'ERR_NOT_FOUND' }),
    );
    expect([unauthorized.type, forbidden.type, missing.type]).toEqual([
      'crm_auth_error',
      'crm_auth_error',
      'crm_not_found',
    ]);
    expect([unauthorized, forbidden, missing].every((e) => !e.retryable)).toBe(true);
  });

  it('never carries the API token the request was sent with', () => {
    for (const error of [
      classify(answered(401, { error: 'unauthorized access' })),
      classify(unanswered('ETIMEDOUT')),
    ]) {
      const everything = JSON.stringify({
        message: error.message,
        details: error.details,
        cause: error.cause,
      });
      expect(everything).not.toContain('secret-token-value');
    }
  });

  it('passes a LeadstreamError through unchanged', () => {
    const original = new LeadstreamError('field_mapping_error', 'custom field x does not exist');
    expect(classify(original)).toBe(original);
  });
});
