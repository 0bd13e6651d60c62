import type { CrmTarget, ProvisionOutcome } from '../crm-definition.js';
import { HubSpotClientFactory } from './client-factory.js';
import type { HubSpotCrmConfig } from './config.js';
import { provisionIdempotencyKeys } from './provision-idempotency-keys.js';
import { provisionContactProperties } from './provision-properties.js';

/**
 * `leadstream crm provision` for HubSpot: the contact properties the mapping writes to, and the unique
 * deal property deals are upserted by. A conflict or a property it had to skip needs a person.
 */
export async function provisionHubSpot({
  tenantId,
  config,
  secrets,
  outbound,
  clock,
  timeoutMs,
}: CrmTarget<HubSpotCrmConfig>): Promise<ProvisionOutcome> {
  const options = { clock, timeoutMs };
  const client = await new HubSpotClientFactory().clientFor(tenantId, config, secrets, outbound);
  const report = {
    ...(await provisionContactProperties(client, config, options)),
    idempotency_keys: await provisionIdempotencyKeys(client, options),
  };
  const conflicts = report.conflicts.length + report.idempotency_keys.conflicts.length;
  return { report, needsDecision: conflicts + report.skipped.length > 0 };
}
