import type { CrmTarget } from '../../../../src/crm/crm-definition.js';
import type { SalesforceCrmConfig } from '../../../../src/crm/salesforce/config.js';
import { systemClock } from '../../../../src/time/clock.js';
import type { Harness } from './adapter-harness.js';

/** The harness's tenant and org as the CLI's `crm test` and `crm provision` reach them. */
export function crmTarget(harness: Harness): CrmTarget<SalesforceCrmConfig> {
  const { tenant, secrets, logger, outbound } = harness.context;
  if (tenant.crm_config.type !== 'salesforce') throw new Error('a Salesforce tenant');
  return {
    tenantId: tenant.tenant_id,
    config: tenant.crm_config,
    secrets,
    clock: systemClock,
    timeoutMs: 5_000,
    logger,
    outbound,
  };
}
