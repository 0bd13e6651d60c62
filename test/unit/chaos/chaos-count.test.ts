import { afterEach, describe, expect, it } from 'vitest';
import { countChaos, verdictOf } from '../../chaos/chaos-report.js';
import type { SeenDeadLetter } from '../../chaos/dead-letter-watch.js';
import type { ChaosTenant } from '../../chaos/tenant-fleet.js';
import type { SentCall } from '../../chaos/webhook-load.js';
import { type HubSpotEmulator, startHubSpotEmulator } from '../../emulators/hubspot/emulator.js';
import { type PipedriveEmulator, startPipedriveEmulator } from '../../emulators/pipedrive/emulator.js';

const HUBSPOT_TOKEN = 'pat-na1-chaos-count';
let stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(stops.map((stop) => stop()));
  stops = [];
});

function call(callId: string, tenantId: string, phone: string, status = 202): SentCall {
  return { callId, tenantId, phone, returning: false, sentAt: 1_000, status };
}

function deadLetter(callId: string, reason = 'crm_unavailable'): SeenDeadLetter {
  return { reason, stage: 'delivery', callId, tenantId: undefined, retryable: 'true' };
}

async function pipedriveTenant(): Promise<{ tenant: ChaosTenant; crm: PipedriveEmulator }> {
  const crm = await startPipedriveEmulator();
  stops.push(crm.stop);
  const tenant: ChaosTenant = {
    id: 'tenant_pd',
    companyId: 1,
    signingToken: 't',
    crm: { type: 'pipedrive', emulator: crm },
  };
  return { tenant, crm };
}

async function hubspotTenant(): Promise<{ tenant: ChaosTenant; crm: HubSpotEmulator }> {
  const crm = await startHubSpotEmulator({ portals: [{ token: HUBSPOT_TOKEN }] });
  stops.push(crm.stop);
  const tenant: ChaosTenant = {
    id: 'tenant_hs',
    companyId: 2,
    signingToken: 't',
    crm: { type: 'hubspot', emulator: crm, token: HUBSPOT_TOKEN },
  };
  return { tenant, crm };
}

function count(tenants: ChaosTenant[], calls: SentCall[], deadLetters: SeenDeadLetter[] = []) {
  return countChaos({
    tenants,
    calls,
    deadLetters,
    arrivedAt: new Map(),
    loadStartedAt: 0,
    calmMs: 10_000,
    outageMs: 10_000,
    outageTenantId: tenants[0]?.id ?? '',
  });
}

describe('the chaos census counts what each CRM holds per call', () => {
  it('finds a deal written twice, a second person for one caller, a call nowhere, and spares a dead-lettered one', async () => {
    const { tenant, crm } = await pipedriveTenant();
    const jane = crm.company.createPerson({ name: 'Jane Doe', phones: [{ value: '+15125550001' }] });
    crm.company.createPerson({ name: 'Jane Doe', phones: [{ value: '+15125550001' }] });
    crm.company.createDeal({ title: 'Jane Doe - CALA', person_id: jane.id });
    crm.company.createDeal({ title: 'Jane Doe - CALB', person_id: jane.id });
    crm.company.createDeal({ title: 'Jane Doe - CALB', person_id: jane.id });
    const calls = [
      call('CALA', tenant.id, '+15125550001'),
      call('CALB', tenant.id, '+15125550001'),
      call('CALC', tenant.id, '+15125550002'),
      call('CALD', tenant.id, '+15125550003'),
    ];

    const counted = count([tenant], calls, [deadLetter('CALD')]);

    expect(counted.tenants[0]).toMatchObject({
      accepted: 4,
      delivered: 2,
      deadLettered: 1,
      lost: 1,
      duplicateContacts: 1,
      duplicateRecords: 1,
    });
    expect(verdictOf(counted)).toMatchObject({ lost: 1, duplicates: 2, passed: false });
  });

  it('passes a run where every accepted call is in its CRM once or dead-lettered with a reason', async () => {
    const { tenant, crm } = await pipedriveTenant();
    const jane = crm.company.createPerson({ name: 'Jane Doe', phones: [{ value: '+15125550001' }] });
    crm.company.createDeal({ title: 'Jane Doe - CALA', person_id: jane.id });
    crm.company.createDeal({ title: 'Jane Doe - CALB', person_id: jane.id });
    const calls = [
      call('CALA', tenant.id, '+15125550001'),
      call('CALB', tenant.id, '+15125550001'),
      call('CALC', tenant.id, '+15125550002'),
      call('CALX', tenant.id, '+15125550009', 503),
    ];

    const counted = count([tenant], calls, [deadLetter('CALC')]);

    expect(verdictOf(counted)).toMatchObject({ lost: 0, duplicates: 0, passed: true });
    expect(count([tenant], calls, [deadLetter('CALC', '(none)')]).deadLettersWithoutReason).toBe(1);
    expect(verdictOf(count([tenant], calls, [deadLetter('CALC', '(none)')])).passed).toBe(false);
  });

  it('Pipedrive: finds a call logged twice on the timeline, counting a log and its own activity once', async () => {
    const { tenant, crm } = await pipedriveTenant();
    const jane = crm.company.createPerson({ name: 'Jane Doe', phones: [{ value: '+15125550001' }] });
    const dealA = crm.company.createDeal({ title: 'Jane Doe - CALA', person_id: jane.id });
    const dealB = crm.company.createDeal({ title: 'Jane Doe - CALB', person_id: jane.id });
    const log = (dealId: number) =>
      crm.company.createCallLog({
        subject: 'Inbound call from Jane Doe',
        outcome: 'connected',
        to_phone_number: '+15125550100',
        start_time: '2026-04-15 16:00:00',
        end_time: '2026-04-15 16:02:00',
        person_id: jane.id,
        deal_id: dealId,
      });
    log(dealA.id);
    log(dealB.id);
    log(dealB.id);
    const calls = [call('CALA', tenant.id, '+15125550001'), call('CALB', tenant.id, '+15125550001')];

    const counted = count([tenant], calls);

    expect(counted.tenants[0]).toMatchObject({ delivered: 2, duplicateRecords: 1 });
    expect(counted.tenants[0]?.findings).toContain('CALB: on the timeline 2 times');
  });

  it('HubSpot: compares each caller’s deals with that caller’s calls, as a deal names no call', async () => {
    const { tenant, crm } = await hubspotTenant();
    const contact = (callId: string) =>
      fetch(`${crm.url}/crm/v3/objects/contacts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${HUBSPOT_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ properties: { phone: '+15125550001', firstname: callId } }),
      }).then((r) => r.json() as Promise<{ id: string }>);
    const portal = crm.portal();
    portal.defineProperty('contacts', { name: 'lead_source_detail', type: 'string', groupName: 'x' });
    const created = await contact('first');
    const update = (callId: string) =>
      fetch(`${crm.url}/crm/v3/objects/contacts/${created.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${HUBSPOT_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ properties: { lead_source_detail: callId } }),
      });
    const deal = () =>
      fetch(`${crm.url}/crm/v3/objects/deals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${HUBSPOT_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          properties: {
            dealname: 'Jane Doe - kitchen project',
            pipeline: 'default',
            dealstage: 'appointmentscheduled',
          },
          associations: [
            {
              to: { id: created.id },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }],
            },
          ],
        }),
      });
    await update('CALA');
    await update('CALB');
    for (let i = 0; i < 3; i += 1) expect((await deal()).status).toBe(201);
    const calls = [call('CALA', tenant.id, '+15125550001'), call('CALB', tenant.id, '+15125550001')];

    const counted = count([tenant], calls);

    expect(counted.tenants[0]).toMatchObject({
      delivered: 2,
      lost: 0,
      duplicateContacts: 0,
      duplicateRecords: 1,
    });
  });
});
