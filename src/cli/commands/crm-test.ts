import type { TenantConfig } from '../../config/tenants/tenant-config.js';
import type { ConnectivityResult } from '../../crm/connectivity-result.js';
import { checkCustomConnectivity } from '../../crm/custom/connectivity-check.js';
import { HubSpotClientFactory } from '../../crm/hubspot/client-factory.js';
import { checkHubSpotConnectivity } from '../../crm/hubspot/connectivity-check.js';
import { checkMondayConnectivity } from '../../crm/monday/connectivity-check.js';
import { checkPipedriveConnectivity } from '../../crm/pipedrive/connectivity-check.js';
import { checkSalesforceConnectivity } from '../../crm/salesforce/connectivity-check.js';
import { checkZohoConnectivity } from '../../crm/zoho/connectivity-check.js';
import { createLogger } from '../../observability/logger.js';
import { OutboundGuard } from '../../outbound/outbound-guard.js';
import type { SecretResolver } from '../../secrets/secret-resolver.js';
import { secretResolverFor } from '../../secrets/secret-resolver-for-settings.js';
import { systemClock } from '../../time/clock.js';
import { defineCommand } from '../define-command.js';
import { loadNamedTenant } from '../named-tenant.js';

function checkConnectivity(
  tenant: TenantConfig,
  secrets: SecretResolver,
  outbound: OutboundGuard,
): Promise<ConnectivityResult> {
  const config = tenant.crm_config;
  const timeoutMs = 10_000;
  const clock = systemClock;
  switch (config.type) {
    case 'hubspot':
      return checkHubSpotConnectivity(
        () => new HubSpotClientFactory().clientFor(tenant.tenant_id, config, secrets, outbound),
        { clock, timeoutMs },
      );
    case 'salesforce':
      return checkSalesforceConnectivity(tenant.tenant_id, config, secrets, {
        clock,
        timeoutMs,
        logger: createLogger({ level: 'silent' }),
        outbound,
      });
    case 'pipedrive':
      return checkPipedriveConnectivity(tenant.tenant_id, config, secrets, { clock, timeoutMs, outbound });
    case 'monday':
      return checkMondayConnectivity(config, secrets, { clock, timeoutMs, outbound });
    case 'zoho':
      return checkZohoConnectivity(tenant.tenant_id, config, secrets, { clock, timeoutMs, outbound });
    case 'custom':
      return checkCustomConnectivity(tenant.tenant_id, config, secrets, { clock, timeoutMs, outbound });
  }
}

const usage = `usage: leadstream crm test --tenant TENANT_ID

Checks that the tenant's CRM answers with its configured credentials, and says what is wrong in a
sentence when it does not. Exits 0 when the CRM can be used, 1 otherwise.`;

export const crmTestCommand = defineCommand({
  name: 'crm test',
  summary: "check a tenant's CRM connectivity and credentials",
  usage,
  options: { tenant: { type: 'string' } },
  positionals: false,
  async run({ values, refuse }, io) {
    if (values.tenant === undefined) return refuse('missing --tenant TENANT_ID');
    const named = await loadNamedTenant(values.tenant, 'crm test', io);
    if (named === undefined) return 2;
    const { tenant, settings } = named;
    const outbound = new OutboundGuard(settings.OUTBOUND_ALLOWED_HOSTS);
    const result = await checkConnectivity(tenant, secretResolverFor(settings), outbound).finally(() =>
      outbound.close(),
    );
    io.stdout.write(`${tenant.tenant_id}: ${result.message}\n`);
    return result.ok ? 0 : 1;
  },
});
