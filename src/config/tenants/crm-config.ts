import {
  type CatalogConfig,
  crmCatalog,
  crmConfigSchemaOf,
  type ShippedCrmCatalog,
} from '../../crm/catalog.js';

export type { CustomCrmConfig } from '../../crm/custom/config.js';
export type { HubSpotCrmConfig } from '../../crm/hubspot/config.js';
export type { MondayCrmConfig } from '../../crm/monday/config.js';
export type { PipedriveCrmConfig } from '../../crm/pipedrive/config.js';
export type { SalesforceCrmConfig } from '../../crm/salesforce/config.js';
export type { ZohoCrmConfig } from '../../crm/zoho/config.js';
export type { FieldMapping } from '../../mapping/mapping-config.js';

export type CrmConfig = CatalogConfig<ShippedCrmCatalog>;

/** The `crm_config` block of a tenant's configuration: the schema of the CRM its `type` names (src/crm/catalog.ts). */
export const crmConfigSchema = crmConfigSchemaOf(crmCatalog);
