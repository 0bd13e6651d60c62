import type { Clock } from '../time/clock.js';
import { CreatedRecords, isNumberId, isStringId } from './created-records.js';
import type { CrmAdapter } from './crm-adapter.js';
import { CustomRestAdapter } from './custom/custom-rest-adapter.js';
import { DeliveredRequests } from './custom/delivered-requests.js';
import { HubSpotAdapter } from './hubspot/hubspot-adapter.js';
import type { RecordLedger } from './ledger/record-ledger.js';
import { MondayAdapter } from './monday/monday-adapter.js';
import { PipedriveAdapter } from './pipedrive/pipedrive-adapter.js';
import { SalesforceAdapter } from './salesforce/salesforce-adapter.js';
import { ZohoAdapter } from './zoho/zoho-adapter.js';

/**
 * Every CRM adapter this build ships, one line each. With a ledger, the deals, tasks, leads, items and
 * records they create, and the custom REST requests that succeeded, are remembered beyond the process
 * (see CreatedRecords, DeliveredRequests).
 */
export function defaultCrmAdapters(deps: { clock: Clock; ledger?: RecordLedger }): CrmAdapter[] {
  const { ledger } = deps;
  const strings = () => new CreatedRecords<string>({ ledger: ledger && { store: ledger, isId: isStringId } });
  const numbers = () => new CreatedRecords<number>({ ledger: ledger && { store: ledger, isId: isNumberId } });
  return [
    new HubSpotAdapter({ clock: deps.clock, createdRecords: strings() }),
    new SalesforceAdapter({ clock: deps.clock, createdRecords: strings() }),
    new MondayAdapter({ clock: deps.clock, createdRecords: strings() }),
    new ZohoAdapter({ clock: deps.clock, createdRecords: strings() }),
    new PipedriveAdapter({ clock: deps.clock, createdRecords: numbers(), createdCallLogs: strings() }),
    new CustomRestAdapter({ clock: deps.clock, delivered: new DeliveredRequests({ ledger }) }),
  ];
}
