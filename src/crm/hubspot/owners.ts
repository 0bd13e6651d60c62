import type { Client } from '@hubspot/api-client';
import { LRUCache } from 'lru-cache';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Clock } from '../../time/clock.js';
import type { RequestGate } from '../rate-limits/search-rate-limits.js';
import { callHubSpot } from './error-classification.js';

/**
 * Owner emails from configuration resolved to HubSpot owner ids, cached per tenant: owners change
 * rarely, and one look-up per lead would spend the tenant's rate limit for nothing.
 */
export class OwnerDirectory {
  private readonly ids: LRUCache<string, string>;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    options: { max?: number; ttlMs?: number } = {},
  ) {
    this.ids = new LRUCache({ max: options.max ?? 10_000, ttl: options.ttlMs ?? 60 * 60 * 1000 });
  }

  async ownerId(client: Client, tenantId: string, email: string, gate?: RequestGate): Promise<string> {
    const key = `${tenantId}\u0000${email.trim().toLowerCase()}`;
    const cached = this.ids.get(key);
    if (cached !== undefined) return cached;
    const page = await callHubSpot(
      'owners.getPage',
      () => client.crm.owners.ownersApi.getPage(email.trim()),
      { clock: this.clock, timeoutMs: this.timeoutMs, gate },
    );
    const owner = page.results.find(
      (o) => o.email?.toLowerCase() === email.trim().toLowerCase() && !o.archived,
    );
    if (!owner) {
      throw new LeadstreamError('crm_not_found', `HubSpot has no active owner with email ${email}`, {
        details: { owner_email: email },
      });
    }
    this.ids.set(key, owner.id);
    return owner.id;
  }
}
