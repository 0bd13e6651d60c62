import type { TenantConfig } from '../config/tenants/tenant-config.js';
import type { TenantConfigSource } from '../config/tenants/tenant-config-source.js';
import { LeadstreamError } from '../errors/leadstream-error.js';

/** A message for a tenant we have no configuration for can never succeed here: permanent. */
export async function requireTenant(tenants: TenantConfigSource, tenantId: string): Promise<TenantConfig> {
  const tenant = await tenants.get(tenantId);
  if (!tenant) throw new LeadstreamError('unknown_tenant', `no configuration for tenant ${tenantId}`);
  return tenant;
}
