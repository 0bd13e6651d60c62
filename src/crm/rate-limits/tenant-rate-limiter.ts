import { LRUCache } from 'lru-cache';
import { recordRateLimitWait } from '../../observability/crm-telemetry.js';
import { type RateLimit, TokenBucket } from './token-bucket.js';

/**
 * One token bucket per tenant for one CRM: each tenant's account has its own vendor budget, and one
 * busy tenant must not slow the others. Buckets of tenants gone quiet are dropped (LRU). The budget is
 * this process's: N delivery replicas together send up to N times it, so configure the limit per replica.
 */
export class TenantRateLimiter {
  private readonly buckets = new LRUCache<string, { limit: RateLimit; bucket: TokenBucket }>({ max: 10_000 });

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Waits for this tenant's next request slot; resolves with the milliseconds waited. `limit` is the
   * tenant's own budget where its plan sets one (HubSpot tiers differ), else the CRM's default.
   */
  async acquire(tenantId: string, limit: RateLimit = this.limit): Promise<number> {
    let entry = this.buckets.get(tenantId);
    if (!entry || entry.limit.requests !== limit.requests || entry.limit.perMs !== limit.perMs) {
      entry = { limit, bucket: new TokenBucket(limit, this.now) };
      this.buckets.set(tenantId, entry);
    }
    const waited = await entry.bucket.take();
    recordRateLimitWait(waited);
    return waited;
  }
}
