import { LRUCache } from 'lru-cache';

/** `burst` requests at once, refilled at `perSecond`. */
export interface BudgetRate {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets by key (a client address, a tenant), answered at once: a request over budget is
 * refused with the wait until it would fit, never queued, so a flood costs the gateway nothing but
 * the answer. Only the most recently seen keys are kept; a key forgotten starts again with a full
 * bucket, which errs toward accepting.
 */
export class RequestBudget {
  private readonly buckets: LRUCache<string, Bucket>;

  constructor(
    private readonly defaultRate: BudgetRate,
    private readonly now: () => number = Date.now,
    maxKeys = 50_000,
  ) {
    this.buckets = new LRUCache({ max: maxKeys });
  }

  /** Takes one request from the key's budget: 0 when it fits, else the milliseconds until it would. */
  take(key: string, rate: BudgetRate = this.defaultRate): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: rate.burst, updatedAt: now };
    const refilled = Math.min(rate.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate.perSecond);
    if (refilled >= 1) {
      this.buckets.set(key, { tokens: refilled - 1, updatedAt: now });
      return 0;
    }
    this.buckets.set(key, { tokens: refilled, updatedAt: now });
    return Math.ceil(((1 - refilled) / rate.perSecond) * 1000);
  }
}
