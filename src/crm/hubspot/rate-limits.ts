import type { RateLimit } from '../../rate-limits/token-bucket.js';

/** HubSpot's published limit per private app on Free and Starter, the safe default for any tier. */
const DEFAULT_REQUESTS_PER_TEN_SECONDS = 100;
/** Search allows 4 requests a second per token, on top of the general limit. */
const SEARCH_LIMIT: RateLimit = { requests: 4, perMs: 1_000 };

const perTenSeconds = (requests: number): RateLimit => ({ requests, perMs: 10_000 });

/**
 * HubSpot's pacing: the general limit (`requests_per_ten_seconds` of the tenant's tier, 100 unless
 * configured) and the search limit.
 */
export const HUBSPOT_RATE_LIMITS = {
  general: perTenSeconds(DEFAULT_REQUESTS_PER_TEN_SECONDS),
  search: SEARCH_LIMIT,
  planBudget: perTenSeconds,
  tenantSetting: 'requests_per_ten_seconds',
} as const;
