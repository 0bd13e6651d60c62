import type { TenantConfig } from '../config/tenants/tenant-config.js';
import type { TenantConfigSource } from '../config/tenants/tenant-config-source.js';
import { LeadstreamError } from '../errors/leadstream-error.js';

/**
 * The tenant a message is for. One this process does not know is looked for in the store again, for
 * the store's bounded time (TENANT_UNKNOWN_RETRY_MS), before it is given up on: a tenant added while a
 * replica still runs the old configuration must not lose its calls. The wait is here, in the lookup,
 * rather than in retries: the enricher and mapper have no retry topics, and their in-process retries
 * (RETRY_MAX_ATTEMPTS, each at most RETRY_MAX_DELAY_MS) cover seconds, not minutes. Only that tenant's
 * messages wait; other tenants' flow past them. Still unknown after it: permanent. A disabled tenant's
 * messages are dead-lettered with their own type, for `dlq replay` once it is enabled.
 */
export async function requireTenant(tenants: TenantConfigSource, tenantId: string): Promise<TenantConfig> {
  const tenant = (await tenants.get(tenantId)) ?? (await tenants.waitFor?.(tenantId));
  if (!tenant) throw new LeadstreamError('unknown_tenant', `no configuration for tenant ${tenantId}`);
  if (tenants.isDisabled?.(tenantId)) {
    throw new LeadstreamError('tenant_disabled', `tenant ${tenantId} is disabled`, {
      details: { tenant_id: tenantId },
    });
  }
  return tenant;
}
