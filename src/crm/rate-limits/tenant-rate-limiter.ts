import { LRUCache } from 'lru-cache';
import { type RateLimit, TokenBucket } from './token-bucket.js';

/**
 * One token bucket per tenant for one CRM: each tenant's account has its own vendor budget, and one
 * busy tenant must not slow the others. Buckets of tenants gone quiet are dropped (LRU).
 */
export class TenantRateLimiter {
  private readonly buckets = new LRUCache<string, TokenBucket>({ max: 10_000 });

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Waits for this tenant's next request slot; resolves with the milliseconds waited. */
  acquire(tenantId: string): Promise<number> {
    let bucket = this.buckets.get(tenantId);
    if (!bucket) {
      bucket = new TokenBucket(this.limit, this.now);
      this.buckets.set(tenantId, bucket);
    }
    return bucket.take();
  }
}
