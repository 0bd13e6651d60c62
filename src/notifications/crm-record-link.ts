import type { CrmConfig } from '../config/tenants/crm-config.js';

/**
 * Where a salesperson opens the record delivery wrote, when the tenant's configuration says enough to
 * build it: HubSpot's portal id, Salesforce's instance, Pipedrive's company domain. Other CRMs' links
 * need what leadstream does not know (a Zoho data centre's web host, a Monday account slug).
 */
export function crmRecordLink(config: CrmConfig, recordId: string): string | null {
  const id = encodeURIComponent(recordId);
  switch (config.type) {
    case 'hubspot':
      return config.portal_id === undefined
        ? null
        : `https://app.hubspot.com/contacts/${encodeURIComponent(config.portal_id)}/record/0-1/${id}`;
    case 'salesforce':
      return `${config.instance_url.replace(/\/+$/, '')}/lightning/r/Lead/${id}/view`;
    case 'pipedrive':
      return `https://${config.company_domain}/person/${id}`;
    default:
      return null;
  }
}
