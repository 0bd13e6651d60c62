import { KeyedTokenBuckets } from '../../rate-limits/keyed-token-buckets.js';
import type { RateLimit } from '../../rate-limits/token-bucket.js';

/**
 * Request budgets by key (a client address, a tenant), answered at once: a request over budget is
 * refused with the wait until it would fit, never queued, so a flood costs the gateway nothing but
 * the answer.
 */
export class RequestBudget {
  private readonly buckets: KeyedTokenBuckets;

  constructor(
    private readonly defaultLimit: RateLimit,
    now: () => number = Date.now,
  ) {
    this.buckets = new KeyedTokenBuckets(now, 50_000);
  }

  /** Takes one request from the key's budget: 0 when it fits, else the milliseconds until it would. */
  take(key: string, limit: RateLimit = this.defaultLimit): number {
    return this.buckets.bucketFor(key, limit).tryTake();
  }
}
