import type { LeadstreamError } from '../errors/leadstream-error.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * The wait before the next attempt, or undefined when the message should be dead-lettered now:
 * the error is permanent, the attempts are spent, or the remote side asked for a longer wait than
 * we will hold a partition for (a daily quota, say) — such a message is dead-lettered as retryable,
 * to be replayed later, instead of stalling every tenant behind it.
 */
export function nextRetryDelay(
  error: LeadstreamError,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (!error.retryable || attempt >= policy.maxAttempts) return undefined;
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxDelayMs ? error.retryAfterMs : undefined;
  }
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Full jitter on the upper half: spreads retries from many partitions without ever retrying at once.
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
