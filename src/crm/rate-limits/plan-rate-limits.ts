import type { RateLimit } from '../../rate-limits/token-bucket.js';
import { type RequestGates, SearchRateLimits } from './search-rate-limits.js';

/** The pacing of a CRM whose limit depends on the customer's plan, and whose search has one of its own. */
export interface PlanRateLimitProfile {
  /** The smallest plan's budget, safe on every plan. */
  general: RateLimit;
  search: RateLimit;
  /** The bucket that keeps a plan's requests per the CRM's window within it. */
  planBudget(requests: number): RateLimit;
}

/**
 * Per-tenant token buckets for HubSpot's and Pipedrive's limits, so steady load never provokes a 429:
 * the general limit of the tenant's plan (the smallest plan's unless its configuration says) and the
 * search limit.
 */
export class PlanRateLimits {
  private readonly limits: SearchRateLimits;

  constructor(private readonly profile: PlanRateLimitProfile) {
    this.limits = new SearchRateLimits(profile.general, profile.search);
  }

  /** `requests`: the tenant's plan budget in the CRM's window, from its configuration; absent, the smallest plan's. */
  gatesFor(tenantId: string, requests?: number): RequestGates {
    return this.limits.gatesFor(
      tenantId,
      requests === undefined ? this.profile.general : this.profile.planBudget(requests),
    );
  }
}
