import type { RateLimit } from '../../rate-limits/token-bucket.js';

/**
 * Salesforce publishes no per-second limit: an org has a rolling 24-hour request budget (100,000 for
 * Enterprise plus 1,000 per licence; ApiUsageGuard follows it from Sforce-Limit-Info) and at most 25
 * concurrent requests running longer than 20 seconds. 25 requests a second per tenant, bursts of 25,
 * keeps one busy tenant from flooding its org within that concurrency and from starving the others.
 */
export const DEFAULT_SALESFORCE_RATE_LIMIT: RateLimit = { requests: 25, perMs: 1_000 };
