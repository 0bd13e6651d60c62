import { HubSpotClientFactory } from '../../crm/hubspot/client-factory.js';
import { checkHubSpotConnectivity } from '../../crm/hubspot/connectivity-check.js';
import { checkMondayConnectivity } from '../../crm/monday/connectivity-check.js';
import { checkPipedriveConnectivity } from '../../crm/pipedrive/connectivity-check.js';
import { checkSalesforceConnectivity } from '../../crm/salesforce/connectivity-check.js';
import { checkZohoConnectivity } from '../../crm/zoho/connectivity-check.js';
import { createLogger } from '../../observability/logger.js';
import { secretResolverFor } from '../../secrets/secret-resolver-for-settings.js';
import { systemClock } from '../../time/clock.js';
import type { CliCommand } from '../cli-command.js';
import { loadNamedTenant } from '../named-tenant.js';

const usage = `usage: leadstream crm test --tenant TENANT_ID

Checks that the tenant's CRM answers with its configured credentials, and says what is wrong in a
sentence when it does not. Exits 0 when the CRM can be used, 1 otherwise.`;

export const crmTestCommand: CliCommand = {
  name: 'crm test',
  summary: "check a tenant's CRM connectivity and credentials",
  usage,
  async run(args, io) {
    const named = await loadNamedTenant(args, crmTestCommand, io);
    if (named === undefined) return 2;
    const { tenant, settings } = named;
    const config = tenant.crm_config;
    if (config.type === 'salesforce') {
      const result = await checkSalesforceConnectivity(
        tenant.tenant_id,
        config,
        secretResolverFor(settings),
        {
          clock: systemClock,
          timeoutMs: 10_000,
          logger: createLogger({ level: 'silent' }),
        },
      );
      io.stdout.write(`${tenant.tenant_id}: ${result.message}\n`);
      return result.ok ? 0 : 1;
    }
    if (config.type === 'pipedrive') {
      const result = await checkPipedriveConnectivity(tenant.tenant_id, config, secretResolverFor(settings), {
        clock: systemClock,
        timeoutMs: 10_000,
      });
      io.stdout.write(`${tenant.tenant_id}: ${result.message}\n`);
      return result.ok ? 0 : 1;
    }
    if (config.type === 'monday' || config.type === 'zoho') {
      const result =
        config.type === 'monday'
          ? await checkMondayConnectivity(config, secretResolverFor(settings), { timeoutMs: 10_000 })
          : await checkZohoConnectivity(tenant.tenant_id, config, secretResolverFor(settings), {
              clock: systemClock,
              timeoutMs: 10_000,
            });
      io.stdout.write(`${tenant.tenant_id}: ${result.message}\n`);
      return result.ok ? 0 : 1;
    }
    if (config.type !== 'hubspot') {
      io.stderr.write(
        `leadstream crm test: ${config.type} is not supported yet (HubSpot, Salesforce, Pipedrive, Monday.com and Zoho CRM only)\n`,
      );
      return 2;
    }
    const secrets = secretResolverFor(settings);
    const result = await checkHubSpotConnectivity(
      () => new HubSpotClientFactory().clientFor(tenant.tenant_id, config, secrets),
      { clock: systemClock, timeoutMs: 10_000 },
    );
    io.stdout.write(`${tenant.tenant_id}: ${result.message}\n`);
    return result.ok ? 0 : 1;
  },
};
