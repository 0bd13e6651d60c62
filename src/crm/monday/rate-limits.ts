import type { RateLimit } from '../../rate-limits/token-bucket.js';

/**
 * Monday counts requests per minute per account (1,000 on the smallest plans, up to 5,000 on
 * Enterprise), mutations (2,000 a minute) and a complexity budget (10M points a minute per token; the
 * adapter's queries cost a few hundred). 15 a second with bursts of 15 stays under the smallest
 * plan's 1,000 a minute.
 */
export const DEFAULT_MONDAY_RATE_LIMIT: RateLimit = { requests: 15, perMs: 1_000 };
