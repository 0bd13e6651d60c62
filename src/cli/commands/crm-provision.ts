import { HubSpotClientFactory } from '../../crm/hubspot/client-factory.js';
import { provisionIdempotencyKeys } from '../../crm/hubspot/provision-idempotency-keys.js';
import { provisionContactProperties } from '../../crm/hubspot/provision-properties.js';
import { OutboundGuard } from '../../outbound/outbound-guard.js';
import { secretResolverFor } from '../../secrets/secret-resolver-for-settings.js';
import { systemClock } from '../../time/clock.js';
import { defineCommand } from '../define-command.js';
import { loadNamedTenant } from '../named-tenant.js';

const usage = `usage: leadstream crm provision --tenant TENANT_ID

Creates in the tenant's CRM the fields its mapping writes to (HubSpot: the call_information property
group and each contact property, and the unique deal property leadstream_idempotency_key that
delivery upserts deals by, so a redelivered command never makes a second deal), leaving existing
ones alone. Prints what it created, found, and what conflicts; exits 1 when anything needs a
person's decision. Tenants come from TENANT_CONFIG_DIR.`;

export const crmProvisionCommand = defineCommand({
  name: 'crm provision',
  summary: "create the CRM fields a tenant's mapping writes to",
  usage,
  options: { tenant: { type: 'string' } },
  positionals: false,
  async run({ values, refuse }, io) {
    if (values.tenant === undefined) return refuse('missing --tenant TENANT_ID');
    const named = await loadNamedTenant(values.tenant, 'crm provision', io);
    if (named === undefined) return 2;
    const { tenant, settings } = named;
    const config = tenant.crm_config;
    if (config.type !== 'hubspot') {
      io.stderr.write(`leadstream crm provision: ${config.type} is not supported yet (HubSpot only)\n`);
      return 2;
    }
    const outbound = new OutboundGuard(settings.OUTBOUND_ALLOWED_HOSTS);
    const options = { clock: systemClock, timeoutMs: 30_000 };
    const report = await new HubSpotClientFactory()
      .clientFor(tenant.tenant_id, config, secretResolverFor(settings), outbound)
      .then(async (client) => ({
        ...(await provisionContactProperties(client, config, options)),
        idempotency_keys: await provisionIdempotencyKeys(client, options),
      }))
      .finally(() => outbound.close());
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const conflicts = report.conflicts.length + report.idempotency_keys.conflicts.length;
    return conflicts + report.skipped.length > 0 ? 1 : 0;
  },
});
