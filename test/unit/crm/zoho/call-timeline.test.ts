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
const clock = fixedClock('2026-11-25T17:20:00.000Z');

const call = (callId: string, change?: (call: EnrichedCall) => void): EnrichedCall =>
  guideCallOf(TENANT, callId, change);

const deliver = (h: Harness, enriched: EnrichedCall, adapter = h.adapter) =>
  adapter.execute(buildCrmCommand(enriched, h.context.tenant, clock), h.context);

describe('Zoho: each call on the lead timeline', () => {
  it('logs a new caller’s call as a Calls record on the lead, with a readable description', async () => {
    const h = await start();
    const result = await deliver(h, call('CAL-1'));

    const [lead] = h.emulator.records();
    const [logged] = h.emulator.calls();
    expect(h.emulator.calls()).toHaveLength(1);
    expect(result.outcomes.at(-1)).toEqual({
      ref: 'call',
      object_type: 'Calls',
      id: logged?.id,
      action: 'created',
    });
    expect(logged?.fields).toMatchObject({
      Subject: 'Inbound call from Jane Doe',
      Call_Type: 'Inbound',
      Call_Start_Time: '2026-11-24T17:20:00+00:00',
      Call_Duration: '03:00',
      What_Id: { id: lead?.id },
      $se_module: 'Leads',
    });
    expect(logged?.fields.Description).toContain(
      'Lead score: 92/100 (answered, 3 minutes; wants to start immediately)',
    );
    expect(logged?.fields.Description).toContain('Recording: https://app.callrail.com/calls/CAL1/recording');
  });

  it('gives a returning caller’s second and third calls a Calls record each on the one lead', async () => {
    const h = await start();
    await deliver(h, call('CAL-1'));
    await deliver(
      h,
      call('CAL-2', (c) => Object.assign(c.call, { answered: false, duration_seconds: 0 })),
    );
    await deliver(h, call('CAL-3'));

    const [lead] = h.emulator.records();
    expect(h.emulator.records()).toHaveLength(1);
    expect(
      h.emulator.calls().map((c) => [c.fields.What_Id, c.fields.Call_Type, c.fields.Call_Duration]),
    ).toEqual([
      [{ id: lead?.id }, 'Inbound', '03:00'],
      [{ id: lead?.id }, 'Missed', '00:00'],
      [{ id: lead?.id }, 'Inbound', '03:00'],
    ]);
  });

  it('logs a redelivered call once, on the same process and on another one sharing only the ledger', async () => {
    const h = await start();
    const ledger = new MemoryRecordLedger();
    const process = () =>
      new ZohoAdapter({
        clock: h.clock,
        createdRecords: createdStrings(ledger),
      });
    const first = process();
    await deliver(h, call('CAL-1'), first);
    const again = await deliver(h, call('CAL-1'), first);
    const elsewhere = await deliver(h, call('CAL-1'), process());

    expect(h.emulator.calls()).toHaveLength(1);
    expect(again.outcomes.at(-1)).toMatchObject({ ref: 'call', action: 'skipped' });
    expect(elsewhere.outcomes.at(-1)).toMatchObject({ ref: 'call', action: 'skipped' });
  });

  it('logs nothing when the tenant turns call_timeline off', async () => {
    const h = await start({ crmConfig: { call_timeline: { enabled: false } } });
    await deliver(h, call('CAL-1'));
    expect(h.emulator.records()).toHaveLength(1);
    expect(h.emulator.calls()).toHaveLength(0);
  });
});
