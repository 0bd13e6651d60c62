import { describe, expect, it } from 'vitest';
import { classifyHubSpotError } from '../../../../src/crm/hubspot/error-classification.js';
import { fixedClock } from '../../../../src/time/clock.js';

const clock = fixedClock('2026-03-02T12:00:00Z');

function apiError(code: number, body: unknown, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`HTTP-Code: ${code}`), { code, body, headers });
}

describe('classifyHubSpotError', () => {
  it('reads missing properties from the message when HubSpot sends no errors[] (older answers)', () => {
    const message = `Property values were not valid: ${JSON.stringify([
      {
        isValid: false,
        message: 'Property "call_duration" does not exist',
        error: 'PROPERTY_DOESNT_EXIST',
        name: 'call_duration',
      },
    ])}`;
    const error = classifyHubSpotError(
      apiError(400, { message, category: 'VALIDATION_ERROR', correlationId: 'c-1' }),
      'contacts.create',
      clock,
      'contacts',
    );
    expect([error.type, error.retryable]).toEqual(['crm_not_found', false]);
    expect(error.message).toContain('call_duration');
    expect(error.details.correlation_id).toBe('c-1');
  });

  it('honours Retry-After over the policy default', () => {
    const error = classifyHubSpotError(
      apiError(429, { message: 'You have reached your ten_secondly_rolling limit.' }, { 'retry-after': '3' }),
      'contacts.create',
      clock,
    );
    expect([error.type, error.retryAfterMs]).toEqual(['crm_rate_limited', 3000]);
  });

  it('waits a second on the search limit', () => {
    const error = classifyHubSpotError(
      apiError(429, { message: 'You have reached your secondly limit.', category: 'RATE_LIMITS' }),
      'contacts.search',
      clock,
    );
    expect([error.details.policy, error.retryAfterMs]).toEqual(['SECONDLY', 1000]);
  });

  it('treats a proxy error page the SDK cannot parse as unavailable, not as a bug', () => {
    const error = classifyHubSpotError(
      new Error('The mediaType text/html is not supported by ObjectSerializer.parse.'),
      'deals.create',
      clock,
    );
    expect([error.type, error.retryable]).toEqual(['crm_unavailable', true]);
  });

  it('keeps an unexpected exception a permanent internal error', () => {
    const error = classifyHubSpotError(new TypeError('x is undefined'), 'deals.create', clock);
    expect([error.type, error.retryable]).toEqual(['internal_error', false]);
  });

  it('classifies 403 (missing scope) as an auth error', () => {
    const error = classifyHubSpotError(
      apiError(403, {
        message: 'This app hasn\u2019t been granted all required scopes',
        category: 'MISSING_SCOPES',
      }),
      'contacts.create',
      clock,
    );
    expect([error.type, error.retryable, error.details.category]).toEqual([
      'crm_auth_error',
      false,
      'MISSING_SCOPES',
    ]);
  });
});
