import { type AnyCrmCatalog, crmCatalog } from './catalog.js';
import type { CrmAdapter } from './crm-adapter.js';
import type { CrmAdapterDeps } from './crm-definition.js';

/**
 * One adapter per CRM of the catalog (the shipped one unless given). With a ledger, the deals, tasks,
 * leads, items and records they create, and the custom REST requests that succeeded, are remembered
 * beyond the process (see CreatedRecords, DeliveredRequests).
 */
export function defaultCrmAdapters(deps: CrmAdapterDeps, catalog: AnyCrmCatalog = crmCatalog): CrmAdapter[] {
  return Object.values(catalog).map((definition) => definition.createAdapter(deps));
}
