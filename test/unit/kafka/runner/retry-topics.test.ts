import { describe, expect, it } from 'vitest';
import {
  nextRetry,
  RETRY_HEADERS,
  readRetryState,
  retryTiers,
  retryTopicName,
  withoutRetryHeaders,
  withRetryHeaders,
} from '../../../../src/kafka/runner/retry-topics.js';

const HOUR = 3_600_000;
const topics = { tiers: retryTiers('crm-commands', [300_000, 30_000, 60_000]), windowMs: 12 * HOUR };

describe('retry topics', () => {
  it('are named by their delay in the largest whole unit', () => {
    expect(retryTopicName('crm-commands', 30_000)).toBe('crm-commands.retry.30s');
    expect(retryTopicName('crm-commands', 300_000)).toBe('crm-commands.retry.5m');
    expect(retryTopicName('crm-commands', 2 * HOUR)).toBe('crm-commands.retry.2h');
    expect(retryTopicName('crm-commands', 1_500)).toBe('crm-commands.retry.1500ms');
    expect(topics.tiers.map(({ topic }) => topic)).toEqual([
      'crm-commands.retry.30s',
      'crm-commands.retry.1m',
      'crm-commands.retry.5m',
    ]);
  });

  it('take a failed message to the next tier, then repeat the last one until the window closes', () => {
    const now = 1_000_000;
    const first = nextRetry(undefined, undefined, now, topics);
    expect(first).toMatchObject({ hop: 0, dueAt: now + 30_000, firstFailedAt: now });
    const second = nextRetry({ hop: 0, firstFailedAt: now }, undefined, now + 30_000, topics);
    expect(second).toMatchObject({ hop: 1, dueAt: now + 90_000 });
    const later = nextRetry({ hop: 2, firstFailedAt: now }, undefined, now + HOUR, topics);
    expect(later?.tier.topic).toBe('crm-commands.retry.5m');
    expect(
      nextRetry({ hop: 2, firstFailedAt: now }, undefined, now + 12 * HOUR - 200_000, topics),
    ).toBeUndefined();
  });

  it('wait at least what the CRM asked for', () => {
    const route = nextRetry(undefined, 45_000, 0, topics);
    expect(route).toMatchObject({ hop: 1, dueAt: 60_000 });
    const quota = nextRetry(undefined, 2 * HOUR, 0, topics);
    expect(quota).toMatchObject({ hop: 2, dueAt: 2 * HOUR });
  });

  it('read back what they wrote, and ignore headers that are not theirs', () => {
    const state = { dueAt: 5, firstFailedAt: 1, hop: 2, attempts: 7, sourceTopic: 'crm-commands' };
    const headers = withRetryHeaders({ traceparent: 'x' }, state, 'crm_unavailable');
    expect(readRetryState(headers)).toEqual(state);
    expect(headers[RETRY_HEADERS.errorType]).toBe('crm_unavailable');
    expect(withoutRetryHeaders(headers)).toEqual({ traceparent: 'x' });
    expect(readRetryState({ [RETRY_HEADERS.dueAt]: 'soon' })).toBeUndefined();
    expect(readRetryState(undefined)).toBeUndefined();
  });
});
