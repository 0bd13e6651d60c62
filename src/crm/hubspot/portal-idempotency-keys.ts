import type { Client } from '@hubspot/api-client';
import { LRUCache } from 'lru-cache';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Logger } from '../../observability/logger.js';
import type { Clock } from '../../time/clock.js';
import { callHubSpot } from './error-classification.js';
import { IDEMPOTENCY_KEY_PROPERTY, type IdempotencyKeyObject } from './idempotency-key-property.js';

export interface PortalCheck {
  client: Client;
  tenantId: string;
  logger: Logger;
  clock: Clock;
  timeoutMs: number;
  gate: () => Promise<unknown>;
}

/**
 * Whether each tenant's portal has the unique leadstream_idempotency_key on an object type, asked once
 * per tenant and type and kept a few minutes, so a portal provisioned while delivery runs is soon used.
 */
export class PortalIdempotencyKeys {
  private readonly answers: LRUCache<string, Promise<boolean>>;
  private readonly toldToProvision = new Set<string>();

  constructor(options: { ttlMs?: number } = {}) {
    this.answers = new LRUCache({ max: 10_000, ttl: options.ttlMs ?? 10 * 60 * 1000 });
  }

  has(check: PortalCheck, objectType: IdempotencyKeyObject): Promise<boolean> {
    const key = `${check.tenantId}\u0000${objectType}`;
    const cached = this.answers.get(key);
    if (cached !== undefined) return cached;
    const answer = this.ask(check, objectType);
    this.answers.set(key, answer);
    answer.catch(() => this.answers.delete(key));
    return answer;
  }

  /** Asks again next time: HubSpot refused an upsert by the key, so the property may be gone. */
  forget(tenantId: string, objectType: IdempotencyKeyObject): void {
    this.answers.delete(`${tenantId}\u0000${objectType}`);
  }

  private async ask(check: PortalCheck, objectType: IdempotencyKeyObject): Promise<boolean> {
    const property = await callHubSpot(
      'properties.getByName',
      () => check.client.crm.properties.coreApi.getByName(objectType, IDEMPOTENCY_KEY_PROPERTY),
      { clock: check.clock, timeoutMs: check.timeoutMs, gate: check.gate },
    ).catch((error: unknown) => {
      if (error instanceof LeadstreamError && error.type === 'crm_not_found') return undefined;
      throw error;
    });
    const has = property?.hasUniqueValue === true;
    if (!has && !this.toldToProvision.has(check.tenantId)) {
      this.toldToProvision.add(check.tenantId);
      check.logger.info(
        { tenant_id: check.tenantId, object_type: objectType, property: IDEMPOTENCY_KEY_PROPERTY },
        `HubSpot portal has no unique ${IDEMPOTENCY_KEY_PROPERTY} on ${objectType}: only the delivery ledger keeps a redelivered command from creating a second record; leadstream crm provision would make it idempotent in HubSpot`,
      );
    }
    return has;
  }
}
