import type { Client } from '@hubspot/api-client';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Clock } from '../../time/clock.js';
import { callHubSpot } from './error-classification.js';
import {
  IDEMPOTENCY_KEY_OBJECTS,
  IDEMPOTENCY_KEY_PROPERTY,
  type IdempotencyKeyObject,
  idempotencyKeyPropertyDefinition,
  LEADSTREAM_GROUP,
} from './idempotency-key-property.js';

export interface IdempotencyKeyReport {
  created: IdempotencyKeyObject[];
  existing: IdempotencyKeyObject[];
  /** The property exists without unique values: HubSpot cannot make it unique afterwards, a person must. */
  conflicts: Array<{ object_type: IdempotencyKeyObject; reason: string }>;
}

/**
 * Creates leadstream_idempotency_key (and its group) on each object type that can hold it, so delivery
 * can upsert by it. Idempotent: an existing unique property is left as it is.
 */
export async function provisionIdempotencyKeys(
  client: Client,
  options: { clock: Clock; timeoutMs: number },
): Promise<IdempotencyKeyReport> {
  const report: IdempotencyKeyReport = { created: [], existing: [], conflicts: [] };
  for (const objectType of IDEMPOTENCY_KEY_OBJECTS) {
    const found = await callHubSpot(
      'properties.getByName',
      () => client.crm.properties.coreApi.getByName(objectType, IDEMPOTENCY_KEY_PROPERTY),
      options,
    ).catch((error: unknown) => {
      if (error instanceof LeadstreamError && error.type === 'crm_not_found') return undefined;
      throw error;
    });
    if (found !== undefined) {
      if (found.hasUniqueValue) report.existing.push(objectType);
      else
        report.conflicts.push({
          object_type: objectType,
          reason: `${IDEMPOTENCY_KEY_PROPERTY} exists without unique values, which HubSpot cannot add later: delete it and run provision again`,
        });
      continue;
    }
    const groups = await callHubSpot(
      'properties.groups.getAll',
      () => client.crm.properties.groupsApi.getAll(objectType),
      options,
    );
    if (!groups.results.some((group) => group.name === LEADSTREAM_GROUP.name)) {
      await callHubSpot(
        'properties.groups.create',
        () => client.crm.properties.groupsApi.create(objectType, { ...LEADSTREAM_GROUP }),
        options,
      );
    }
    await callHubSpot(
      'properties.create',
      () => client.crm.properties.coreApi.create(objectType, idempotencyKeyPropertyDefinition),
      options,
    );
    report.created.push(objectType);
  }
  return report;
}
