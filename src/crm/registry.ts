import type { Clock } from '../time/clock.js';
import type { CrmAdapter } from './crm-adapter.js';
import { CustomRestAdapter } from './custom/custom-rest-adapter.js';
import { HubSpotAdapter } from './hubspot/hubspot-adapter.js';
import { MondayAdapter } from './monday/monday-adapter.js';
import { PipedriveAdapter } from './pipedrive/pipedrive-adapter.js';
import { SalesforceAdapter } from './salesforce/salesforce-adapter.js';
import { ZohoAdapter } from './zoho/zoho-adapter.js';

/** Every CRM adapter this build ships, one line each. */
export function defaultCrmAdapters(deps: { clock: Clock }): CrmAdapter[] {
  return [
    new HubSpotAdapter({ clock: deps.clock }),
    new SalesforceAdapter({ clock: deps.clock }),
    new MondayAdapter({ clock: deps.clock }),
    new ZohoAdapter({ clock: deps.clock }),
    new PipedriveAdapter({ clock: deps.clock }),
    new CustomRestAdapter({ clock: deps.clock }),
  ];
}
