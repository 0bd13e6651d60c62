import { crmCatalog, definitionOf } from '../../crm/catalog.js';
import { createLogger } from '../../observability/logger.js';
import { OutboundGuard } from '../../outbound/outbound-guard.js';
import { secretResolverFor } from '../../secrets/secret-resolver-for-settings.js';
import { systemClock } from '../../time/clock.js';
import { defineCommand } from '../define-command.js';
import { loadNamedTenant } from '../named-tenant.js';

/** The CRMs whose definition can provision, named as people name them. */
const provisionable = Object.values(crmCatalog)
  .filter((definition) => 'provision' in definition)
  .map((definition) => definition.title)
  .join(', ');

const usage = `usage: leadstream crm provision --tenant TENANT_ID

Creates in the tenant's CRM the fields its mapping writes to (HubSpot: the call_information property
group and each contact property, and the unique deal property leadstream_idempotency_key that
delivery upserts deals by, so a redelivered command never makes a second deal; Salesforce: the
unique external id Lead.Leadstream_Idempotency_Key__c that delivery upserts new leads by, through
the Tooling API, which cannot grant the integration user field-level security on it: an admin must),
leaving existing ones alone. Prints what it created, found, and what conflicts; exits 1 when anything
needs a person's decision. Tenants come from TENANT_CONFIG_DIR.`;

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
    const definition = definitionOf(config);
    if (definition.provision === undefined) {
      io.stderr.write(
        `leadstream crm provision: ${config.type} is not supported yet (${provisionable} only)\n`,
      );
      return 2;
    }
    const outbound = new OutboundGuard(settings.OUTBOUND_ALLOWED_HOSTS);
    const { report, needsDecision } = await definition
      .provision({
        tenantId: tenant.tenant_id,
        config,
        secrets: secretResolverFor(settings),
        outbound,
        clock: systemClock,
        timeoutMs: 30_000,
        logger: createLogger({ level: 'silent' }),
      })
      .finally(() => outbound.close());
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return needsDecision ? 1 : 0;
  },
});
