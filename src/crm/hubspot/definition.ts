import { createdStrings } from '../created-records.js';
import type { CrmDefinition } from '../crm-definition.js';
import { HubSpotClientFactory } from './client-factory.js';
import { compileHubSpotCommand } from './command-mapping.js';
import { type HubSpotCrmConfig, hubspotCrmConfigSchema } from './config.js';
import { checkHubSpotConnectivity } from './connectivity-check.js';
import { HUBSPOT_ERROR_RULES } from './error-classification.js';
import { HubSpotAdapter } from './hubspot-adapter.js';
import { provisionIdempotencyKeys } from './provision-idempotency-keys.js';
import { provisionContactProperties } from './provision-properties.js';
import { HUBSPOT_RATE_LIMITS } from './rate-limits.js';

/** HubSpot through its official SDK and a private app's token. */
export const hubspotDefinition: CrmDefinition<HubSpotCrmConfig> = {
  type: 'hubspot',
  title: 'HubSpot',
  configSchema: hubspotCrmConfigSchema,
  compileCommand: compileHubSpotCommand,
  createAdapter: ({ clock, ledger }) => new HubSpotAdapter({ clock, createdRecords: createdStrings(ledger) }),
  checkConnectivity: ({ tenantId, config, secrets, outbound, clock, timeoutMs }) =>
    checkHubSpotConnectivity(
      () => new HubSpotClientFactory().clientFor(tenantId, config, secrets, outbound),
      {
        clock,
        timeoutMs,
      },
    ),
  async provision({ tenantId, config, secrets, outbound, clock, timeoutMs }) {
    const options = { clock, timeoutMs };
    const client = await new HubSpotClientFactory().clientFor(tenantId, config, secrets, outbound);
    const report = {
      ...(await provisionContactProperties(client, config, options)),
      idempotency_keys: await provisionIdempotencyKeys(client, options),
    };
    const conflicts = report.conflicts.length + report.idempotency_keys.conflicts.length;
    return { report, needsDecision: conflicts + report.skipped.length > 0 };
  },
  errorRules: { api: HUBSPOT_ERROR_RULES },
  workflowActions: { names: ['create_task', 'assign_owner'] },
  rateLimits: HUBSPOT_RATE_LIMITS,
};
