import type { ChaosTenant } from './tenant-fleet.js';

/** What one tenant's CRM holds, read from the emulator's state (never from the requests it was sent). */
export interface TenantHoldings {
  /** Contact records (HubSpot contacts, Pipedrive persons, Salesforce leads) by caller phone. */
  contactsByPhone: Map<string, number>;
  /**
   * Per-call records by call id (Pipedrive deals titled with it, Salesforce tasks describing it); for
   * HubSpot, the calls a contact write carried (lead_source_detail), each counted once.
   */
  callRecords: Map<string, number>;
  /**
   * Pipedrive only: each call's entries on the timeline (its call logs, and call activities that are no
   * log's own), by the call id of the deal they are linked to.
   */
  timelineByCall: Map<string, number>;
  /** HubSpot only: deals linked to each caller's contacts (a deal names no call). */
  dealsByPhone: Map<string, number>;
  /** When a call first showed in the CRM, where the CRM stamps its writes to the millisecond. */
  stampedAt: Map<string, number>;
}

/** The last ten digits: every CRM here stores E.164, and this survives a formatting difference. */
export function phoneKey(phone: string): string {
  return phone.replace(/\D/g, '').slice(-10);
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export function holdingsOf(tenant: ChaosTenant): TenantHoldings {
  const holdings: TenantHoldings = {
    contactsByPhone: new Map(),
    callRecords: new Map(),
    timelineByCall: new Map(),
    dealsByPhone: new Map(),
    stampedAt: new Map(),
  };
  const { crm } = tenant;
  switch (crm.type) {
    case 'hubspot': {
      const phoneOfContact = new Map<string, string>();
      for (const contact of crm.emulator.contacts(crm.token)) {
        if (contact.archived) continue;
        const phone = phoneKey(contact.properties.phone ?? '');
        phoneOfContact.set(contact.id, phone);
        bump(holdings.contactsByPhone, phone);
        for (const version of contact.versions) {
          const callId = version.properties.lead_source_detail;
          if (callId === undefined || holdings.stampedAt.has(callId)) continue;
          holdings.stampedAt.set(callId, version.at);
          holdings.callRecords.set(callId, 1);
        }
      }
      for (const deal of crm.emulator.deals(crm.token)) {
        if (deal.archived) continue;
        const contactId = deal.associations.find((a) => a.toObjectType === 'contacts')?.toObjectId;
        const phone = contactId === undefined ? undefined : phoneOfContact.get(contactId);
        // A deal linked to no contact is named, so its delivery can be found in the logs.
        bump(holdings.dealsByPhone, phone ?? `(no contact: deal ${deal.id})`);
      }
      break;
    }
    case 'pipedrive': {
      for (const person of crm.emulator.persons()) {
        if (person.is_deleted) continue;
        const phone = person.phones[0]?.value;
        bump(holdings.contactsByPhone, phone === undefined ? '(no phone)' : phoneKey(phone));
      }
      const callOfDeal = new Map<number, string>();
      for (const deal of crm.emulator.deals()) {
        const callId = /\bCAL\w+$/.exec(deal.title)?.[0];
        if (callId === undefined) continue;
        bump(holdings.callRecords, callId);
        callOfDeal.set(deal.id, callId);
      }
      // Pipedrive counts a call log among activities too: its own activity is the log, not a second entry.
      const logs = crm.emulator.callLogs();
      const logActivities = new Set(logs.map((log) => log.activity_id));
      const entries = [
        ...logs,
        ...crm.emulator.activities().filter((a) => a.type === 'call' && !logActivities.has(a.id)),
      ];
      for (const entry of entries) {
        const callId = entry.deal_id === null ? undefined : callOfDeal.get(entry.deal_id);
        if (callId !== undefined) bump(holdings.timelineByCall, callId);
      }
      break;
    }
    case 'salesforce': {
      for (const lead of crm.emulator.leads()) {
        bump(holdings.contactsByPhone, phoneKey(String(lead.fields.Phone ?? '')));
      }
      for (const task of crm.emulator.tasks()) {
        // The follow-up task describes the call by its id; the call's timeline entry (TaskSubtype Call)
        // carries a summary instead and is not a per-call record here.
        const callId = task.fields.Description;
        if (typeof callId === 'string' && /^CAL\w+$/.test(callId)) bump(holdings.callRecords, callId);
      }
      break;
    }
  }
  return holdings;
}

/**
 * Notes when each call first shows in its CRM, for webhook-to-CRM latency: the CRM's own stamp where it
 * has one to the millisecond (HubSpot), else the first poll that saw it (every `intervalMs`).
 */
export class ArrivalWatch {
  readonly arrivedAt = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly tenants: readonly ChaosTenant[]) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => this.poll(), intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.poll();
  }

  private poll(): void {
    const now = Date.now();
    for (const tenant of this.tenants) {
      const holdings = holdingsOf(tenant);
      for (const callId of holdings.callRecords.keys()) {
        if (!this.arrivedAt.has(callId)) this.arrivedAt.set(callId, holdings.stampedAt.get(callId) ?? now);
      }
    }
  }
}
