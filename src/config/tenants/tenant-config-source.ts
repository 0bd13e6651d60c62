import type { TenantConfig } from './tenant-config.js';

/**
 * Where consumers and the gateway read tenant configuration from. The optional members are a live
 * store's (PostgreSQL): a directory read once at start has no disabled tenants and nothing to wait
 * for.
 */
export interface TenantConfigSource {
  /** The tenant's configuration (a disabled tenant's too), or undefined when no such tenant exists. */
  get(tenantId: string): Promise<TenantConfig | undefined>;
  /** The tenant whose CallRail company id this is, or undefined. */
  findByCallRailCompany(companyId: string): Promise<TenantConfig | undefined>;
  /** True when the tenant exists but is disabled: its calls are kept as dead letters, not delivered. */
  isDisabled?(tenantId: string): boolean;
  /**
   * For a tenant get() does not know: reads the store again, and keeps doing so for the source's
   * bounded time, resolving with the configuration once it appears, or undefined.
   */
  waitFor?(tenantId: string): Promise<TenantConfig | undefined>;
}
