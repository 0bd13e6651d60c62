import { describe, expect, it } from 'vitest';
import { createdStrings } from '../../../../src/crm/created-records.js';
import { ZohoAdapter } from '../../../../src/crm/zoho/zoho-adapter.js';
import type { EnrichedCall } from '../../../../src/events/enriched-call.js';
import { buildCrmCommand } from '../../../../src/mapping/build-command.js';
import { fixedClock } from '../../../../src/time/clock.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { guideCallOf } from '../../../support/guide-fixtures.js';
import { MemoryRecordLedger } from '../../../support/memory-record-ledger.js';
import { type Harness, startHarness, TENANT } from './adapter-harness.js';

const start = harnessPerTest(startHarness);

const call = (callId: string, startTime = Date.parse('2026-11-24T17:20:00.000Z')): EnrichedCall =>
  guideCallOf(TENANT, callId, (enriched) => {
    enriched.call.start_time = startTime;
  });

/** A delivery process whose created records live in the ledger every process shares. */
const processOn = (h: Harness, ledger: MemoryRecordLedger) =>
  new ZohoAdapter({
    clock: h.clock,
    createdRecords: createdStrings(ledger),
  });

describe('Zoho: a call logged by a delivery that died before the ledger heard of it', () => {
  it('is found on the lead by the redelivery on another process and not logged again', async () => {
    const h = await start();
    const ledger = new MemoryRecordLedger();
    const command = buildCrmCommand(call('CAL-1'), h.context.tenant, fixedClock('2026-11-25T17:20:00.000Z'));
    const first = await processOn(h, ledger).execute(command, h.context);
    const logged = first.outcomes.find((o) => o.ref === 'call');
    expect(logged).toMatchObject({ action: 'created' });
    // The crash: Zoho logged the call, the process died before the ledger acknowledged its id; the note
    // announcing the create (CreatedRecords.beforeCreate) had been acknowledged before the request.
    ledger.forget({ tenantId: TENANT, idempotencyKey: command.idempotency_key, ref: 'call' });

    const redelivered = await processOn(h, ledger).execute(command, h.context);

    expect(h.emulator.records()).toHaveLength(1);
    expect(h.emulator.calls()).toHaveLength(1);
    expect(redelivered.outcomes.find((o) => o.ref === 'call')).toMatchObject({
      id: logged?.id,
      action: 'skipped',
    });
    // Remembered again: a third delivery needs no listing.
    expect(ledger.get({ tenantId: TENANT, idempotencyKey: command.idempotency_key, ref: 'call' })).toBe(
      logged?.id,
    );
  });

  it("logs the call when the announced create never reached Zoho, beside the caller's earlier call", async () => {
    const h = await start();
    const ledger = new MemoryRecordLedger();
    await processOn(h, ledger).execute(
      buildCrmCommand(call('CAL-1'), h.context.tenant, fixedClock('2026-11-25T17:20:00.000Z')),
      h.context,
    );
    const command = buildCrmCommand(
      call('CAL-2', Date.parse('2026-11-25T17:25:00.000Z')),
      h.context.tenant,
      fixedClock('2026-11-25T17:30:00.000Z'),
    );
    // Announced, then the process died before sending the request.
    ledger.remember({ tenantId: TENANT, idempotencyKey: command.idempotency_key, ref: 'call#creating' }, 1);

    const result = await processOn(h, ledger).execute(command, h.context);

    expect(h.emulator.calls()).toHaveLength(2);
    expect(result.outcomes.find((o) => o.ref === 'call')).toMatchObject({ action: 'created' });
  });
});

describe('Zoho: a lead with neither phone nor email inserted by a delivery that died before the ledger heard of it', () => {
  // Nothing the upsert checks duplicates on: only the ledger, or the module's newest records, find it.
  const anonymous = {
    field_mappings: {
      Last_Name: 'customer_name_last',
      City: 'customer_city',
      AI_Lead_Score: 'ai_analysis.lead_score',
    },
    call_timeline: { enabled: false },
  };

  it('is found among the newest leads by the redelivery on another process and not inserted again', async () => {
    const h = await start({ crmConfig: anonymous });
    const ledger = new MemoryRecordLedger();
    const command = buildCrmCommand(call('CAL-1'), h.context.tenant, fixedClock('2026-11-25T17:20:00.000Z'));
    const first = await processOn(h, ledger).execute(command, h.context);
    const lead = first.outcomes.find((o) => o.ref === 'lead');
    expect(lead).toMatchObject({ action: 'created' });
    ledger.forget({ tenantId: TENANT, idempotencyKey: command.idempotency_key, ref: 'lead' });

    const redelivered = await processOn(h, ledger).execute(command, h.context);

    expect(h.emulator.records()).toHaveLength(1);
    expect(redelivered.outcomes.find((o) => o.ref === 'lead')).toMatchObject({
      id: lead?.id,
      action: 'skipped',
    });
    expect(ledger.get({ tenantId: TENANT, idempotencyKey: command.idempotency_key, ref: 'lead' })).toBe(
      lead?.id,
    );
  });

  it('inserts the lead when the announced create never reached Zoho, beside another lead of the same name', async () => {
    const h = await start({ crmConfig: anonymous });
    const ledger = new MemoryRecordLedger();
    const command = buildCrmCommand(call('CAL-1'), h.context.tenant, fixedClock('2026-11-25T17:20:00.000Z'));
    const payload = JSON.parse(command.operations[0]?.payload_json ?? '{}') as {
      record: Record<string, unknown>;
    };
    h.emulator.leads.insert({ ...payload.record, City: 'Elsewhere' });
    ledger.remember({ tenantId: TENANT, idempotencyKey: command.idempotency_key, ref: 'lead#creating' }, 1);

    const result = await processOn(h, ledger).execute(command, h.context);

    expect(h.emulator.records()).toHaveLength(2);
    expect(result.outcomes.find((o) => o.ref === 'lead')).toMatchObject({ action: 'created' });
  });
});
