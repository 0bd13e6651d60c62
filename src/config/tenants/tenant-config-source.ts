import type { TenantConfig } from './tenant-config.js';

/** Where consumers and the gateway read tenant configuration from. */
export interface TenantConfigSource {
  /** The tenant's configuration, or undefined when no such tenant exists. */
  get(tenantId: string): Promise<TenantConfig | undefined>;
  /** The tenant whose CallRail company id this is, or undefined. */
  findByCallRailCompany(companyId: string): Promise<TenantConfig | undefined>;
}
