import { z } from 'zod';
import { customCrmConfigSchema } from '../../crm/custom/config.js';
import { hubspotCrmConfigSchema } from '../../crm/hubspot/config.js';
import { mondayCrmConfigSchema } from '../../crm/monday/config.js';
import { pipedriveCrmConfigSchema } from '../../crm/pipedrive/config.js';
import { salesforceCrmConfigSchema } from '../../crm/salesforce/config.js';
import { zohoCrmConfigSchema } from '../../crm/zoho/config.js';

export type { CustomCrmConfig } from '../../crm/custom/config.js';
export type { HubSpotCrmConfig } from '../../crm/hubspot/config.js';
export type { MondayCrmConfig } from '../../crm/monday/config.js';
export type { PipedriveCrmConfig } from '../../crm/pipedrive/config.js';
export type { SalesforceCrmConfig } from '../../crm/salesforce/config.js';
export type { ZohoCrmConfig } from '../../crm/zoho/config.js';
export type { FieldMapping } from '../../mapping/mapping-config.js';

/** The `crm_config` block of a tenant's configuration: one schema per CRM, chosen by `type`. */
export const crmConfigSchema = z.discriminatedUnion('type', [
  hubspotCrmConfigSchema,
  salesforceCrmConfigSchema,
  pipedriveCrmConfigSchema,
  mondayCrmConfigSchema,
  zohoCrmConfigSchema,
  customCrmConfigSchema,
]);

export type CrmConfig = z.infer<typeof crmConfigSchema>;
