import type { RateLimit } from '../../rate-limits/token-bucket.js';
import { TenantRateLimiter } from './tenant-rate-limiter.js';

/** Waits before a CRM request so that it stays within the tenant's limits; resolves with ms waited. */
export type RequestGate = () => Promise<number>;

export interface RequestGates {
  request: RequestGate;
  /** For search calls: the search limit and the general one. */
  search: RequestGate;
}

/**
 * Per-tenant token buckets for a CRM whose search endpoints have a limit of their own on top of the
 * general one (HubSpot, Pipedrive), so steady load never provokes a 429: a search waits for both.
 */
export class SearchRateLimits {
  private readonly requests: TenantRateLimiter;
  private readonly searches: TenantRateLimiter;

  constructor(general: RateLimit, search: RateLimit) {
    this.requests = new TenantRateLimiter(general);
    this.searches = new TenantRateLimiter(search);
  }

  /** The gates of one tenant, whose general limit is its plan's. */
  gatesFor(tenantId: string, general: RateLimit): RequestGates {
    const request = () => this.requests.acquire(tenantId, general);
    return {
      request,
      search: async () => (await this.searches.acquire(tenantId)) + (await request()),
    };
  }
}
