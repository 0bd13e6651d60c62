import type { RateLimit } from '../../rate-limits/token-bucket.js';

/**
 * A custom CRM publishes no limit leadstream can know, so each tenant's requests are paced at a rate
 * small REST backends take without complaint; a CRM that still answers 429 is honoured through
 * Retry-After. Adapter option `rateLimit` changes it.
 */
export const DEFAULT_CUSTOM_RATE_LIMIT: RateLimit = { requests: 10, perMs: 1_000 };
