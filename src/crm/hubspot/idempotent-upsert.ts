import type { Client } from '@hubspot/api-client';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Clock } from '../../time/clock.js';
import { callHubSpot } from './error-classification.js';
import { IDEMPOTENCY_KEY_PROPERTY, type IdempotencyKeyObject } from './idempotency-key-property.js';

export interface IdempotentUpsert {
  client: Client;
  objectType: IdempotencyKeyObject;
  /** The operation's idempotency key, stored in leadstream_idempotency_key. */
  key: string;
  properties: Record<string, string>;
  /** Records the new one belongs with, by object type, associated with HubSpot's default type. */
  associateWith: Array<{ objectType: string; id: string }>;
  clock: Clock;
  timeoutMs: number;
  gate: () => Promise<unknown>;
}

/**
 * Creates the record, or updates the one an earlier delivery created, in one batch upsert by the unique
 * idempotency key: HubSpot decides which under its uniqueness constraint, so no crash or second process
 * can make two. Upsert takes no associations; making one that exists again changes nothing, so they are
 * made after it, every time.
 */
export async function upsertByIdempotencyKey(
  upsert: IdempotentUpsert,
): Promise<{ id: string; created: boolean }> {
  const { client, objectType } = upsert;
  const options = { clock: upsert.clock, timeoutMs: upsert.timeoutMs, objectType, gate: upsert.gate };
  const answer = await callHubSpot(
    `${objectType}.batch.upsert`,
    () =>
      client.crm.deals.batchApi.upsert({
        inputs: [{ idProperty: IDEMPOTENCY_KEY_PROPERTY, id: upsert.key, properties: upsert.properties }],
      }),
    options,
  );
  const [record] = answer.results;
  if (record === undefined) {
    // A multi-status answer names its errors; repeating an upsert is harmless, so it is tried again.
    const errors = 'errors' in answer ? (answer.errors ?? []) : [];
    const reasons = errors.map((error) => `${error.category}: ${error.message}`).join('; ');
    throw new LeadstreamError(
      'crm_unavailable',
      `HubSpot answered ${objectType}.batch.upsert without the record${reasons === '' ? '' : ` (${reasons})`}`,
      { details: { operation: `${objectType}.batch.upsert`, status: answer.status } },
    );
  }
  for (const target of upsert.associateWith) {
    await callHubSpot(
      `${objectType}.associations.createDefault`,
      () =>
        client.crm.associations.v4.basicApi.createDefault(
          objectType,
          record.id,
          target.objectType,
          target.id,
        ),
      options,
    );
  }
  return { id: record.id, created: record._new };
}
