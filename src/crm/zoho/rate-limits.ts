import type { RateLimit } from '../../rate-limits/token-bucket.js';

/**
 * Zoho limits concurrent calls per organisation (10 on Standard, up to 25 on Ultimate; the upsert
 * API has a sub-limit of 10) and counts API credits per 24 hours by edition. Five requests a second
 * per tenant keeps well inside the concurrency limit at Zoho's usual latency.
 */
export const DEFAULT_ZOHO_RATE_LIMIT: RateLimit = { requests: 5, perMs: 1_000 };
