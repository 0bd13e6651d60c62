import type { RateLimit } from '../../rate-limits/token-bucket.js';
import { type RequestGates, SearchRateLimits } from '../rate-limits/search-rate-limits.js';

/** HubSpot's published limit per private app on Free and Starter, the safe default for any tier. */
const DEFAULT_REQUESTS_PER_TEN_SECONDS = 100;
/** Search allows 4 requests a second per token, on top of the general limit. */
const SEARCH_LIMIT: RateLimit = { requests: 4, perMs: 1_000 };

const perTenSeconds = (requests: number): RateLimit => ({ requests, perMs: 10_000 });

/** HubSpot's pacing, for its definition: the general limit a tenant may raise for its tier, and search. */
export const HUBSPOT_RATE_LIMITS = {
  general: perTenSeconds(DEFAULT_REQUESTS_PER_TEN_SECONDS),
  search: SEARCH_LIMIT,
  tenantSetting: 'requests_per_ten_seconds',
} as const;

/**
 * Per-tenant token buckets for HubSpot's limits, so steady load never provokes a 429: the general
 * limit (`requests_per_ten_seconds` of the tenant's tier, 100 unless configured) and the search limit.
 */
export class HubSpotRateLimits {
  private readonly limits = new SearchRateLimits(HUBSPOT_RATE_LIMITS.general, HUBSPOT_RATE_LIMITS.search);

  gatesFor(tenantId: string, requestsPerTenSeconds = DEFAULT_REQUESTS_PER_TEN_SECONDS): RequestGates {
    return this.limits.gatesFor(tenantId, perTenSeconds(requestsPerTenSeconds));
  }
}
