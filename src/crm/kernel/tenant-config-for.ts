import type { CrmConfig } from '../../config/tenants/tenant-config.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { CrmCommand } from '../../events/crm-command.js';
import type { CrmContext } from '../crm-adapter.js';

/**
 * The tenant's configuration of the CRM an adapter delivers to. A tenant configured for another CRM
 * than its command names is a config_error (delivery's registry refuses it before any adapter does).
 */
export function tenantConfigFor<T extends CrmConfig['type']>(
  command: CrmCommand,
  context: CrmContext,
  type: T,
  title: string,
): Extract<CrmConfig, { type: T }> {
  const config = context.tenant.crm_config;
  if (config.type !== type) {
    throw new LeadstreamError('config_error', `tenant ${command.tenant_id} is not configured for ${title}`);
  }
  return config as Extract<CrmConfig, { type: T }>;
}
