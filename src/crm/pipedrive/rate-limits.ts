import type { RateLimit } from '../../rate-limits/token-bucket.js';

/** The API token burst limit of Pipedrive's smallest plan, per 2-second window: safe on every plan. */
const DEFAULT_REQUESTS_PER_TWO_SECONDS = 20;
const BURST_WINDOW_MS = 2_000;
/** Search endpoints allow 10 requests per 2 seconds on every plan, on top of the general limit. */
const SEARCH_REQUESTS_PER_WINDOW = 10;

/**
 * A token bucket sends at most `capacity + rate × T` requests in any span T, so a bucket as large as
 * the window's limit lets nearly twice the limit through one window. A quarter of the limit as
 * burst, refilled at the rest per window, keeps every 2-second window within the limit.
 */
function bucketFor(requestsPerWindow: number): RateLimit {
  const burst = Math.max(1, Math.floor(requestsPerWindow / 4));
  const refill = Math.max(1, requestsPerWindow - burst);
  return { requests: burst, perMs: (burst * BURST_WINDOW_MS) / refill };
}

/**
 * Pipedrive's pacing: the general 2-second window (`requests_per_two_seconds` of the company's plan,
 * 20 unless configured) and the search window. The daily token budget cannot be paced locally (it is
 * shared with every other integration and user of the company): a 429 for it is classified and waited
 * out instead.
 */
export const PIPEDRIVE_RATE_LIMITS = {
  general: bucketFor(DEFAULT_REQUESTS_PER_TWO_SECONDS),
  search: bucketFor(SEARCH_REQUESTS_PER_WINDOW),
  planBudget: bucketFor,
  tenantSetting: 'requests_per_two_seconds',
} as const;
