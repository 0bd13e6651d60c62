import { recordRateLimitWait } from '../../observability/crm-telemetry.js';
import { KeyedTokenBuckets } from '../../rate-limits/keyed-token-buckets.js';
import type { RateLimit } from '../../rate-limits/token-bucket.js';

/**
 * One token bucket per tenant for one CRM: each tenant's account has its own vendor budget, and one
 * busy tenant must not slow the others. Buckets of tenants gone quiet are dropped (LRU). The budget is
 * this process's: N delivery replicas together send up to N times it, so configure the limit per replica.
 */
export class TenantRateLimiter {
  private readonly buckets: KeyedTokenBuckets;

  constructor(
    private readonly limit: RateLimit,
    now: () => number = Date.now,
  ) {
    this.buckets = new KeyedTokenBuckets(now);
  }

  /**
   * Waits for this tenant's next request slot; resolves with the milliseconds waited. `limit` is the
   * tenant's own budget where its plan sets one (HubSpot tiers differ), else the CRM's default.
   */
  async acquire(tenantId: string, limit: RateLimit = this.limit): Promise<number> {
    const waited = await this.buckets.bucketFor(tenantId, limit).take();
    recordRateLimitWait(waited);
    return waited;
  }
}
