import { describe, expect, it } from 'vitest';
import { createdStrings } from '../../../../src/crm/created-records.js';
import { IDEMPOTENCY_KEY_FIELD } from '../../../../src/crm/salesforce/idempotency-key-field.js';
import { provisionSalesforce } from '../../../../src/crm/salesforce/provisioning.js';
import { SalesforceAdapter } from '../../../../src/crm/salesforce/salesforce-adapter.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { MemoryRecordLedger } from '../../../support/memory-record-ledger.js';
import {
  command,
  type Harness,
  leadOperation,
  startHarness,
  TENANT,
  taskOperation,
} from './adapter-harness.js';
import { crmTarget } from './crm-target.js';

const start = harnessPerTest(startHarness);

const JANE = { Phone: '+15551234567', LastName: 'Doe', Company: '[not provided]' };
const UPSERT = /^\/services\/data\/v62\.0\/sobjects\/Lead\/Leadstream_Idempotency_Key__c\//;
const DESCRIBE = '/services/data/v62.0/sobjects/Lead/describe';

/** As `leadstream crm provision` and then an admin's field-level security grant leave the org. */
async function provisioned(harness: Harness): Promise<void> {
  await provisionSalesforce(crmTarget(harness));
  harness.emulator.org.grantFieldAccess('Lead', IDEMPOTENCY_KEY_FIELD);
}

/** A delivery process whose created records live in the ledger every process shares. */
const processOn = (ledger: MemoryRecordLedger) =>
  new SalesforceAdapter({
    createdRecords: createdStrings(ledger),
  });

/**
 * The crash window of a command without a task, in an org with no duplicate rule to find the lead
 * again: Salesforce created the lead and answered, and the process died before the ledger acknowledged
 * its id. Another process gets the command again.
 */
async function crashBetweenSalesforceAndTheLedger(options: { provision: boolean }) {
  const h = await start({ emulator: { duplicateRule: false } });
  if (options.provision) await provisioned(h);
  const ledger = new MemoryRecordLedger();
  const delivery = command('crash-1', [leadOperation(JANE)], null);
  const first = await processOn(ledger).execute(delivery, h.context);
  expect(h.emulator.leads()).toHaveLength(1);
  ledger.forget({ tenantId: TENANT, idempotencyKey: delivery.idempotency_key, ref: 'lead' });
  const redelivered = await processOn(ledger).execute(delivery, h.context);
  return { h, delivery, first, redelivered };
}

describe('SalesforceAdapter: new leads upserted by the idempotency key', () => {
  it('makes no second lead when the redelivery follows a crash before the ledger heard of the first, in a provisioned org', async () => {
    const { h, delivery, first, redelivered } = await crashBetweenSalesforceAndTheLedger({ provision: true });
    expect(h.emulator.leads()).toHaveLength(1);
    expect(first.outcomes).toEqual([
      { ref: 'lead', object_type: 'Lead', id: expect.any(String), action: 'created' },
    ]);
    expect(redelivered.outcomes).toEqual([{ ...first.outcomes[0], action: 'updated' }]);
    expect(h.emulator.leads()[0]?.fields[IDEMPOTENCY_KEY_FIELD]).toBe(`${delivery.idempotency_key}:lead`);
    expect(h.emulator.requestsTo('PATCH', UPSERT).map((r) => r.status)).toEqual([201, 200]);
  });

  it('still makes a second lead there when the org lacks the field: the window provisioning closes', async () => {
    const { h } = await crashBetweenSalesforceAndTheLedger({ provision: false });
    expect(h.emulator.leads()).toHaveLength(2);
    expect(h.emulator.requestsTo('PATCH', UPSERT)).toHaveLength(0);
  });

  it('upserts the lead inside the all-or-none composite request that adds its follow-up task', async () => {
    const h = await start({ emulator: { duplicateRule: false } });
    await provisioned(h);
    const delivery = command('task-1', [leadOperation(JANE), taskOperation({ Subject: 'Call back' })], null);
    const result = await h.adapter.execute(delivery, h.context);
    const [lead] = h.emulator.leads();
    expect(result.outcomes.map((o) => [o.object_type, o.id, o.action])).toEqual([
      ['Lead', lead?.Id, 'created'],
      ['Task', h.emulator.tasks()[0]?.Id, 'created'],
    ]);
    expect(lead?.fields[IDEMPOTENCY_KEY_FIELD]).toBe(`${delivery.idempotency_key}:lead`);
    expect(h.emulator.tasks()[0]?.fields.WhoId).toBe(lead?.Id);
    expect(
      h.emulator.requests.filter((r) => r.subrequest && r.method === 'PATCH' && UPSERT.test(r.path)),
    ).toHaveLength(1);
    expect(h.emulator.requestsTo('POST', '/services/data/v62.0/composite')).toHaveLength(1);
  });

  it('updates the lead an org duplicate rule names when it blocks the create the upsert would make', async () => {
    const h = await start();
    await provisioned(h);
    const existing = h.emulator.org.create(
      'Lead',
      { LastName: 'Existing', Company: 'Acme', Email: 'jane@example.com' },
      { autoAssign: false, allowDuplicates: true, apiVersion: '62.0' },
    );
    // No duplicate_detection, so leadstream looks for no match itself: only the org's rule finds it.
    const delivery = command('dup-1', [leadOperation({ ...JANE, Email: 'jane@example.com' })], null);
    const result = await h.adapter.execute(delivery, h.context);
    expect(result.outcomes.map((o) => [o.id, o.action])).toEqual([[existing.Id, 'updated']]);
    expect(h.emulator.leads()).toHaveLength(1);
    expect(h.emulator.requestsTo('PATCH', UPSERT).map((r) => r.status)).toEqual([400]);
  });

  it("reads the org's Lead describe for the field once per tenant, not per delivery", async () => {
    const h = await start({ emulator: { duplicateRule: false } });
    await provisioned(h);
    await h.adapter.execute(command('once-1', [leadOperation(JANE)], null), h.context);
    const describes = h.emulator.requestsTo('GET', DESCRIBE).length;
    await h.adapter.execute(
      command('once-2', [leadOperation({ ...JANE, Phone: '+15557654321' })], null),
      h.context,
    );
    expect(h.emulator.requestsTo('GET', DESCRIBE)).toHaveLength(describes);
    expect(h.emulator.requestsTo('PATCH', UPSERT)).toHaveLength(2);
  });

  it('creates the lead as an unprovisioned org gets it when the field went since, and asks the org again', async () => {
    const h = await start({ emulator: { duplicateRule: false } });
    await provisioned(h);
    await h.adapter.execute(command('gone-1', [leadOperation(JANE)], null), h.context);
    // An admin takes the integration user's access away: upsert by the field is now NOT_FOUND.
    h.emulator.org.revokeFieldAccess('Lead', IDEMPOTENCY_KEY_FIELD);
    const second = await h.adapter.execute(
      command('gone-2', [leadOperation({ ...JANE, Phone: '+15557654321' })], null),
      h.context,
    );
    expect(second.outcomes.map((o) => o.action)).toEqual(['created']);
    expect(h.emulator.requestsTo('PATCH', UPSERT).map((r) => r.status)).toEqual([201, 404]);
    const describes = h.emulator.requestsTo('GET', DESCRIBE).length;
    await h.adapter.execute(
      command('gone-3', [leadOperation({ ...JANE, Phone: '+15550001111' })], null),
      h.context,
    );
    expect(h.emulator.requestsTo('GET', DESCRIBE).length).toBeGreaterThan(describes);
    expect(h.emulator.requestsTo('PATCH', UPSERT)).toHaveLength(2);
    expect(h.emulator.leads()).toHaveLength(3);
  });

  it('says once per tenant, at info, that provisioning would make leads idempotent in Salesforce', async () => {
    const h = await start({ emulator: { duplicateRule: false } });
    const lines: Array<{ level: number; message: string }> = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
    });
    await h.adapter.execute(command('log-1', [leadOperation(JANE)], null), { ...h.context, logger });
    await h.adapter.execute(command('log-2', [leadOperation({ ...JANE, Phone: '+15557654321' })], null), {
      ...h.context,
      logger,
    });
    const told = lines.filter((line) => line.message.includes('leadstream crm provision'));
    expect(told.map((line) => line.level)).toEqual([30]);
  });
});
