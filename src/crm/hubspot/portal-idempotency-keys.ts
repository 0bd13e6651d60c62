import type { Client } from '@hubspot/api-client';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Logger } from '../../observability/logger.js';
import type { Clock } from '../../time/clock.js';
import { ProvisionedAnswers } from '../kernel/provisioned-answers.js';
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
  private readonly answers: ProvisionedAnswers;

  constructor(options: { ttlMs?: number } = {}) {
    this.answers = new ProvisionedAnswers(options);
  }

  has(check: PortalCheck, objectType: IdempotencyKeyObject): Promise<boolean> {
    return this.answers.has(
      check.tenantId,
      objectType,
      () => this.ask(check, objectType),
      () =>
        check.logger.info(
          { tenant_id: check.tenantId, object_type: objectType, property: IDEMPOTENCY_KEY_PROPERTY },
          `HubSpot portal has no unique ${IDEMPOTENCY_KEY_PROPERTY} on ${objectType}: only the delivery ledger keeps a redelivered command from creating a second record; leadstream crm provision would make it idempotent in HubSpot`,
        ),
    );
  }

  /** Asks again next time: HubSpot refused an upsert by the key, so the property may be gone. */
  forget(tenantId: string, objectType: IdempotencyKeyObject): void {
    this.answers.forget(tenantId, objectType);
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
    return property?.hasUniqueValue === true;
  }
}
