import type { CrmConfig } from '../../src/config/tenants/tenant-config.js';
import type { ConfiguredCrmContext, CrmContext } from '../../src/crm/crm-adapter.js';

/**
 * What delivery's registry hands a CRM's adapter: the context with the tenant's crm_config narrowed to
 * that CRM. A test that calls an adapter directly builds its context here, so the tenant it names and
 * the configuration the adapter reads are one.
 */
export function configuredFor<T extends CrmConfig['type']>(
  type: T,
  context: CrmContext,
): ConfiguredCrmContext<Extract<CrmConfig, { type: T }>> {
  const config = context.tenant.crm_config;
  if (config.type !== type)
    throw new Error(`the test's tenant is configured for ${config.type}, not ${type}`);
  return { ...context, config: config as Extract<CrmConfig, { type: T }> };
}
