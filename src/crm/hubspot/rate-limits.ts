import { TenantRateLimiter } from '../rate-limits/tenant-rate-limiter.js';
import type { RateLimit } from '../rate-limits/token-bucket.js';

/** HubSpot's published limit per private app on Free and Starter, the safe default for any tier. */
export const DEFAULT_REQUESTS_PER_TEN_SECONDS = 100;
/** Search allows 4 requests a second per token, on top of the general limit. */
const SEARCH_LIMIT: RateLimit = { requests: 4, perMs: 1_000 };

/** Waits before a HubSpot request so that it stays within the tenant's limits; resolves with ms waited. */
export type RequestGate = () => Promise<number>;

export interface HubSpotGates {
  request: RequestGate;
  /** For search calls: the search limit and the general one. */
  search: RequestGate;
}

/**
 * Per-tenant token buckets for HubSpot's limits, so steady load never provokes a 429: the general
 * limit (`requests_per_ten_seconds` of the tenant's tier, 100 unless configured) and the search limit.
 */
export class HubSpotRateLimits {
  private readonly requests = new TenantRateLimiter({
    requests: DEFAULT_REQUESTS_PER_TEN_SECONDS,
    perMs: 10_000,
  });
  private readonly searches = new TenantRateLimiter(SEARCH_LIMIT);

  gatesFor(tenantId: string, requestsPerTenSeconds = DEFAULT_REQUESTS_PER_TEN_SECONDS): HubSpotGates {
    const limit = { requests: requestsPerTenSeconds, perMs: 10_000 };
    const request = () => this.requests.acquire(tenantId, limit);
    return {
      request,
      search: async () => (await this.searches.acquire(tenantId)) + (await request()),
    };
  }
}
