import { definitionOf } from '../../crm/catalog.js';
import { createLogger } from '../../observability/logger.js';
import { OutboundGuard } from '../../outbound/outbound-guard.js';
import { secretResolverFor } from '../../secrets/secret-resolver-for-settings.js';
import { systemClock } from '../../time/clock.js';
import { defineCommand } from '../define-command.js';
import { loadNamedTenant } from '../named-tenant.js';

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
    const config = tenant.crm_config;
    const result = await definitionOf(config)
      .checkConnectivity({
        tenantId: tenant.tenant_id,
        config,
        secrets: secretResolverFor(settings),
        outbound,
        clock: systemClock,
        timeoutMs: 10_000,
        logger: createLogger({ level: 'silent' }),
      })
      .finally(() => outbound.close());
    io.stdout.write(`${tenant.tenant_id}: ${result.message}\n`);
    return result.ok ? 0 : 1;
  },
});
