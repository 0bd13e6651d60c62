import { Client } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { HubSpotAdapter } from '../../../../src/crm/hubspot/hubspot-adapter.js';
import { recentStrings } from '../../../../src/crm/recent-matches.js';
import { fixedClock } from '../../../../src/time/clock.js';
import { DEFAULT_TOKEN } from '../../../emulators/hubspot/emulator.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { failureOf } from '../../../support/failure-of.js';
import { MemoryRecordLedger } from '../../../support/memory-record-ledger.js';
import {
  command,
  contactOperation,
  type Harness,
  OWNER_EMAIL,
  OWNER_ID,
  operation,
  startHarness,
} from './adapter-harness.js';

const start = harnessPerTest(startHarness);

const JANE = {
  phone: '+15551234567',
  firstname: 'Jane',
  lastname: 'Doe',
  city: 'Los Angeles',
  state: 'CA',
  lead_source: 'callrail',
  lead_source_detail: 'CAL123',
  ai_lead_score: 85,
  ai_timeline: 'immediate',
};

function sdkClient(url: string): Client {
  return new Client({ accessToken: DEFAULT_TOKEN, basePath: url, numberOfApiCallRetries: 0 });
}

describe('HubSpotAdapter: contacts', () => {
  it('creates a contact with the mapped properties for a new caller', async () => {
    const { emulator, adapter, context } = await start();
    const result = await adapter.execute(command('c1', [contactOperation(JANE)]), context);
    const [contact] = emulator.contacts();
    expect(emulator.contacts()).toHaveLength(1);
    expect(result.outcomes).toEqual([
      { ref: 'contact', object_type: 'contacts', id: contact?.id, action: 'created' },
    ]);
    expect(contact?.properties).toMatchObject({
      phone: '+15551234567',
      firstname: 'Jane',
      city: 'Los Angeles',
      lead_source: 'callrail',
      lead_source_detail: 'CAL123',
      ai_lead_score: '85',
      ai_timeline: 'immediate',
    });
  });

  it('updates the existing contact of a returning caller found by phone', async () => {
    const { emulator, adapter, context } = await start();
    const existing = await sdkClient(emulator.url).crm.contacts.basicApi.create({
      properties: { phone: '+15551234567', firstname: 'J', email: 'jane@example.com' },
    });
    const result = await adapter.execute(
      command('c2', [contactOperation({ ...JANE, city: 'Pasadena' })]),
      context,
    );
    expect(result.outcomes[0]).toMatchObject({ id: existing.id, action: 'updated' });
    expect(emulator.contacts()).toHaveLength(1);
    expect(emulator.contacts()[0]?.properties).toMatchObject({ firstname: 'Jane', city: 'Pasadena' });
    expect(emulator.requestsTo('POST', '/crm/v3/objects/contacts')).toHaveLength(1);
  });

  it('finds a caller whose number a salesperson typed in another format, or as a mobile', async () => {
    const { emulator, adapter, context } = await start();
    const client = sdkClient(emulator.url);
    const typed = await client.crm.contacts.basicApi.create({ properties: { phone: '(512) 555-0143' } });
    const mobile = await client.crm.contacts.basicApi.create({ properties: { mobilephone: '415.555.2671' } });
    await adapter.execute(command('c2a', [contactOperation({ ...JANE, phone: '+15125550143' })]), context);
    await adapter.execute(command('c2b', [contactOperation({ ...JANE, phone: '+14155552671' })]), context);
    expect(emulator.contacts().map((c) => c.id)).toEqual([typed.id, mobile.id]);
    expect(emulator.contacts()[0]?.properties.firstname).toBe('Jane');
    expect(emulator.requestsTo('POST', '/crm/v3/objects/contacts')).toHaveLength(2);
  });

  it('finds a returning caller by email when the phone differs', async () => {
    const { emulator, adapter, context } = await start();
    const existing = await sdkClient(emulator.url).crm.contacts.basicApi.create({
      properties: { phone: '+15550000000', email: 'jane@example.com' },
    });
    await adapter.execute(command('c3', [contactOperation({ ...JANE, email: 'Jane@Example.com' })]), context);
    expect(emulator.contacts().map((c) => c.id)).toEqual([existing.id]);
    expect(emulator.contacts()[0]?.properties.phone).toBe('+15551234567');
  });

  it('upserts by email in one call when email is the only match field', async () => {
    const { emulator, adapter, context, restartedAdapter } = await start();
    const emailOnly = { match_fields: ['email'], match_strategy: 'exact', action: 'update_existing' };
    await adapter.execute(
      command('c4', [contactOperation({ email: 'a@x.io', firstname: 'A' })], emailOnly),
      context,
    );
    await restartedAdapter().execute(
      command('c5', [contactOperation({ email: 'A@x.io', firstname: 'Ann' })], emailOnly),
      context,
    );
    expect(emulator.contacts().map((c) => c.properties.firstname)).toEqual(['Ann']);
    expect(emulator.requestsTo('POST', /search$/)).toHaveLength(0);
  });

  it('gives two quick calls from one number one contact although search lags a minute', async () => {
    const { emulator, adapter, context } = await start({ emulator: { searchLagMs: 60_000 } });
    await adapter.execute(command('c6', [contactOperation(JANE)]), context);
    const second = await adapter.execute(
      command('c7', [contactOperation({ ...JANE, ai_lead_score: 90 })]),
      context,
    );
    expect(second.outcomes[0]?.action).toBe('updated');
    expect(emulator.contacts()).toHaveLength(1);
    expect(emulator.contacts()[0]?.properties.ai_lead_score).toBe('90');
  });

  it("gives the caller's next call one contact when it reaches another delivery process before search catches up", async () => {
    const { emulator, context } = await start({ emulator: { searchLagMs: 60_000 } });
    // Two delivery processes, as before and after a rebalance, sharing the delivery ledger.
    const ledger = new MemoryRecordLedger();
    await new HubSpotAdapter({ recentContacts: recentStrings(ledger) }).execute(
      command('c6b', [contactOperation(JANE)]),
      context,
    );
    const second = await new HubSpotAdapter({ recentContacts: recentStrings(ledger) }).execute(
      command('c7b', [contactOperation({ ...JANE, ai_lead_score: 90 })]),
      context,
    );
    expect(second.outcomes[0]?.action).toBe('updated');
    expect(emulator.contacts()).toHaveLength(1);
    // Kept hashed: the ledger, which every delivery process reads, holds no caller's number.
    expect(ledger.keys().join('\n')).not.toContain('5551234567');
  });

  it('updates the contact HubSpot names in a 409 when search has not indexed it yet', async () => {
    const { emulator, context, restartedAdapter } = await start({ emulator: { searchLagMs: 60_000 } });
    const existing = await sdkClient(emulator.url).crm.contacts.basicApi.create({
      properties: { email: 'jane@example.com' },
    });
    const result = await restartedAdapter().execute(
      command('c8', [contactOperation({ ...JANE, email: 'jane@example.com' })]),
      context,
    );
    expect(result?.outcomes[0]).toMatchObject({ id: existing.id, action: 'updated' });
    expect(emulator.contacts()).toHaveLength(1);
    expect(emulator.contacts()[0]?.properties.firstname).toBe('Jane');
  });

  it('leaves an existing contact untouched when the rule says skip', async () => {
    const { emulator, adapter, context } = await start();
    await sdkClient(emulator.url).crm.contacts.basicApi.create({
      properties: { phone: '+15551234567', firstname: 'J' },
    });
    const skip = { match_fields: ['phone'], match_strategy: 'exact', action: 'skip' };
    const result = await adapter.execute(command('c9', [contactOperation(JANE)], skip), context);
    expect(result.outcomes[0]?.action).toBe('skipped');
    expect(emulator.contacts()[0]?.properties.firstname).toBe('J');
    expect(emulator.requestsTo('PATCH', /contacts/)).toHaveLength(0);
  });

  it('keeps one contact when the same command is delivered twice, even without duplicate detection', async () => {
    const { emulator, adapter, context } = await start({ emulator: { searchLagMs: 60_000 } });
    const once = command('c10', [contactOperation(JANE)], null);
    await adapter.execute(once, context);
    const again = await adapter.execute(once, context);
    expect(again.outcomes[0]?.action).toBe('updated');
    expect(emulator.contacts()).toHaveLength(1);
  });

  it('resolves the configured owner email to hubspot_owner_id, asking HubSpot once', async () => {
    const { emulator, adapter, context } = await start();
    await adapter.execute(command('c11', [contactOperation(JANE, OWNER_EMAIL)]), context);
    await adapter.execute(
      command('c12', [contactOperation({ phone: '+15559999999' }, OWNER_EMAIL)]),
      context,
    );
    expect(emulator.contacts().map((c) => c.properties.hubspot_owner_id)).toEqual([OWNER_ID, OWNER_ID]);
    expect(emulator.requestsTo('GET', /^\/crm\/v3\/owners/)).toHaveLength(1);
  });

  it('fails permanently with crm_not_found when an owner email is unknown', async () => {
    const { emulator, adapter, context } = await start();
    const error = await failureOf(
      adapter.execute(command('c13', [contactOperation(JANE, 'nobody@x.io')]), context),
    );
    expect([error.type, error.retryable]).toEqual(['crm_not_found', false]);
    expect(emulator.contacts()).toHaveLength(0);
  });
});

describe('HubSpotAdapter: deals, tasks and workflow actions', () => {
  /** The test's contact, then the deal and task as the mapper builds them (Harness.mappedDealAndTask). */
  const dealAndTask = (harness: Harness) => [
    contactOperation(JANE),
    ...harness.mappedDealAndTask(
      { dealname: 'Kitchen remodel', amount: 20000 },
      { hs_task_subject: 'Call back' },
    ),
  ];

  it('creates the deal in the configured pipeline and stage, associated with the contact, and a task', async () => {
    const harness = await start();
    const { emulator, adapter, context } = harness;
    const result = await adapter.execute(command('d1', dealAndTask(harness)), context);
    const [contact] = emulator.contacts();
    const [deal] = emulator.deals();
    const [task] = emulator.tasks();
    expect(result.outcomes.map((o) => [o.ref, o.action])).toEqual([
      ['contact', 'created'],
      ['deal', 'created'],
      ['task', 'created'],
    ]);
    expect(deal?.properties).toMatchObject({
      dealname: 'Kitchen remodel',
      pipeline: 'default',
      dealstage: 'qualifiedtobuy',
    });
    expect(deal?.associations).toEqual([
      { toObjectType: 'contacts', toObjectId: contact?.id, associationTypeId: 3 },
    ]);
    expect(task?.associations).toEqual([
      { toObjectType: 'contacts', toObjectId: contact?.id, associationTypeId: 204 },
    ]);
    expect(task?.properties.hs_timestamp).toBe('2026-03-02T15:04:05.000Z');
  });

  it('creates no second contact, deal or task when the command is redelivered', async () => {
    const harness = await start({ emulator: { searchLagMs: 60_000 } });
    const { emulator, adapter, context } = harness;
    const once = command('d2', dealAndTask(harness));
    await adapter.execute(once, context);
    const again = await adapter.execute(once, context);
    expect(again.outcomes.map((o) => o.action)).toEqual(['updated', 'skipped', 'skipped']);
    expect([emulator.contacts().length, emulator.deals().length, emulator.tasks().length]).toEqual([1, 1, 1]);
  });

  it('completes a partly delivered command on retry without duplicating what succeeded', async () => {
    const harness = await start({ emulator: { searchLagMs: 60_000 } });
    const { emulator, adapter, context } = harness;
    const once = command('d3', dealAndTask(harness));
    emulator.failNext(1, 503, { method: 'POST', path: /\/objects\/tasks$/ });
    const error = await failureOf(adapter.execute(once, context));
    expect([error.type, error.retryable]).toEqual(['crm_unavailable', true]);
    expect([emulator.contacts().length, emulator.deals().length, emulator.tasks().length]).toEqual([1, 1, 0]);
    const retried = await adapter.execute(once, context);
    expect(retried.outcomes.map((o) => o.action)).toEqual(['updated', 'skipped', 'created']);
    expect([emulator.contacts().length, emulator.deals().length, emulator.tasks().length]).toEqual([1, 1, 1]);
  });

  it('rejects a deal stage the pipeline does not have', async () => {
    const harness = await start({ crmConfig: { deal_stage: 'no_such_stage' } });
    const { emulator, adapter, context } = harness;
    const error = await failureOf(adapter.execute(command('d4', dealAndTask(harness)), context));
    expect([error.type, error.retryable]).toEqual(['crm_rejected', false]);
    expect(error.message).toContain('dealstage');
    expect(emulator.deals()).toHaveLength(0);
  });

  it('assigns the owner on assign_owner and leaves notifications and SMS to HubSpot workflows', async () => {
    const { emulator, adapter, context } = await start();
    const result = await adapter.execute(
      command('w1', [
        contactOperation(JANE),
        operation(
          'assign',
          'workflow_action',
          'contacts',
          { properties: {}, owner_email: OWNER_EMAIL },
          {
            action: 'assign_owner',
            link_to: 'contact',
          },
        ),
        operation(
          'sms',
          'workflow_action',
          'contacts',
          { properties: {} },
          { action: 'send_sms', link_to: 'contact' },
        ),
      ]),
      context,
    );
    expect(result.outcomes.map((o) => [o.ref, o.action])).toEqual([
      ['contact', 'created'],
      ['assign', 'updated'],
      ['sms', 'skipped'],
    ]);
    expect(emulator.contacts()[0]?.properties.hubspot_owner_id).toBe(OWNER_ID);
  });
});

describe('HubSpotAdapter: failures a user must be able to tell apart', () => {
  it('names the missing custom property and fails permanently', async () => {
    const { emulator, adapter, context } = await start({ guideProperties: false });
    const error = await failureOf(adapter.execute(command('e1', [contactOperation(JANE)]), context));
    expect([error.type, error.retryable]).toEqual(['crm_not_found', false]);
    expect(error.message).toContain('lead_source');
    expect(error.details).toMatchObject({ status: 400, category: 'VALIDATION_ERROR' });
    expect(emulator.contacts()).toHaveLength(0);
  });

  it('rejects a value of the wrong type permanently with the reason HubSpot gives', async () => {
    const { emulator, adapter, context } = await start();
    const error = await failureOf(
      adapter.execute(command('e2', [contactOperation({ ...JANE, ai_lead_score: 'high' })]), context),
    );
    expect([error.type, error.retryable]).toEqual(['crm_rejected', false]);
    expect(error.message).toContain('ai_lead_score');
    expect(emulator.contacts()).toHaveLength(0);
  });

  it('reports a rate limit as retryable with the wait the window implies', async () => {
    const { emulator, adapter, context } = await start();
    emulator.rateLimitNext(1);
    const error = await failureOf(adapter.execute(command('e4', [contactOperation(JANE)]), context));
    expect([error.type, error.retryable, error.retryAfterMs]).toEqual(['crm_rate_limited', true, 10_000]);
    expect(error.details.policy).toBe('TEN_SECONDLY_ROLLING');
  });

  it('waits for the daily limit until midnight, still retryable', async () => {
    const { emulator, adapter, context } = await start({
      adapter: { clock: fixedClock('2026-03-02T22:00:00Z') },
    });
    emulator.rateLimitNext(1, 'DAILY');
    const error = await failureOf(adapter.execute(command('e5', [contactOperation(JANE)]), context));
    expect([error.type, error.retryable, error.retryAfterMs]).toEqual([
      'crm_rate_limited',
      true,
      2 * 3_600_000,
    ]);
  });

  it('reports 5xx as crm_unavailable (retryable), and the retry delivers one contact', async () => {
    const { emulator, adapter, context } = await start();
    emulator.failNext(1, 500);
    const error = await failureOf(adapter.execute(command('e6', [contactOperation(JANE)]), context));
    expect([error.type, error.retryable, error.details.status]).toEqual(['crm_unavailable', true, 500]);
    await adapter.execute(command('e6', [contactOperation(JANE)]), context);
    expect(emulator.contacts()).toHaveLength(1);
  });
});
