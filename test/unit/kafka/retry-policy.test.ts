import { describe, expect, it } from 'vitest';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import { nextRetryDelay } from '../../../src/kafka/retry-policy.js';

const policy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

describe('nextRetryDelay', () => {
  it('dead-letters a permanent error at once', () => {
    const error = new LeadstreamError('crm_rejected', 'bad email');
    expect(nextRetryDelay(error, 1, policy)).toBeUndefined();
  });

  it('backs off exponentially with jitter in the upper half', () => {
    const error = new LeadstreamError('crm_unavailable', '503');
    expect(nextRetryDelay(error, 1, policy, () => 0)).toBe(250);
    expect(nextRetryDelay(error, 1, policy, () => 1)).toBe(500);
    expect(nextRetryDelay(error, 3, policy, () => 1)).toBe(2000);
    expect(nextRetryDelay(error, 4, policy, () => 0)).toBe(2000);
  });

  it('never waits longer than the cap', () => {
    const error = new LeadstreamError('crm_unavailable', '503');
    expect(nextRetryDelay(error, 4, { ...policy, maxDelayMs: 1000, maxAttempts: 10 }, () => 1)).toBe(1000);
  });

  it('gives up after the last attempt', () => {
    const error = new LeadstreamError('crm_unavailable', '503');
    expect(nextRetryDelay(error, 5, policy)).toBeUndefined();
  });

  it('waits as long as the CRM asked when that is within the cap', () => {
    const error = new LeadstreamError('crm_rate_limited', '429', { retryAfterMs: 7_000 });
    expect(nextRetryDelay(error, 1, policy)).toBe(7_000);
  });

  it('dead-letters instead of stalling the partition when the CRM asks for more than the cap', () => {
    const error = new LeadstreamError('crm_rate_limited', 'daily limit', { retryAfterMs: 3_600_000 });
    expect(nextRetryDelay(error, 1, policy)).toBeUndefined();
  });
});
