import { describe, expect, it } from 'vitest';
import { createdStrings } from '../../../../src/crm/created-records.js';
import { SalesforceAdapter } from '../../../../src/crm/salesforce/salesforce-adapter.js';
import type { EnrichedCall } from '../../../../src/events/enriched-call.js';
import { buildCrmCommand } from '../../../../src/mapping/build-command.js';
import { fixedClock } from '../../../../src/time/clock.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { guideCallOf, guideCrmConfig } from '../../../support/guide-fixtures.js';
import { MemoryRecordLedger } from '../../../support/memory-record-ledger.js';
import { type Harness, startHarness, TENANT } from './adapter-harness.js';

const start = harnessPerTest(startHarness);
const clock = fixedClock('2026-11-25T17:20:00.000Z');

const call = (callId: string, change?: (call: EnrichedCall) => void): EnrichedCall =>
  guideCallOf(TENANT, callId, change);

/** The guide's Salesforce mapping (lead, follow-up task, workflow rules), on the harness's org. */
function guideHarness(crmConfig: Record<string, unknown> = {}): Promise<Harness> {
  const { object_mappings, workflow_rules } = guideCrmConfig('salesforce');
  return start({ crmConfig: { object_mappings, workflow_rules, ...crmConfig } });
}

const deliver = (h: Harness, enriched: EnrichedCall, adapter = h.adapter) =>
  adapter.execute(buildCrmCommand(enriched, h.context.tenant, clock), h.context);

const callTasks = (h: Harness) => h.emulator.tasks().filter((t) => t.fields.TaskSubtype === 'Call');

describe('Salesforce: each call on the lead timeline', () => {
  it('logs a new caller’s call as a completed Call task on the lead, beside the follow-up task', async () => {
    const h = await guideHarness();
    const result = await deliver(h, call('CAL-1'));

    const [lead] = h.emulator.leads();
    expect(h.emulator.tasks()).toHaveLength(2);
    expect(result.outcomes.at(-1)).toMatchObject({ ref: 'call', object_type: 'Task', action: 'created' });
    const [logged] = callTasks(h);
    expect(logged?.fields).toMatchObject({
      WhoId: lead?.Id,
      Subject: 'Inbound call from Jane Doe',
      TaskSubtype: 'Call',
      CallType: 'Inbound',
      CallDurationInSeconds: 180,
      CallDisposition: 'Answered',
      CallObject: 'CAL-1',
      Status: 'Completed',
      ActivityDate: '2026-11-24',
    });
    expect(logged?.fields.Description).toBe(
      [
        'Caller: Jane Doe, +15125550143',
        'Wants: a quote',
        'Project: kitchen',
        'Timeline: immediate',
        'Budget: high',
        'Lead score: 92/100 (answered, 3 minutes; wants to start immediately)',
        'Recording: https://app.callrail.com/calls/CAL1/recording',
      ].join('\n'),
    );
  });

  it('gives a returning caller’s second and third calls a Call task each on the one lead', async () => {
    const h = await guideHarness();
    await deliver(h, call('CAL-1'));
    await deliver(
      h,
      call('CAL-2', (c) => Object.assign(c.call, { answered: false, duration_seconds: 0 })),
    );
    await deliver(h, call('CAL-3'));

    const [lead] = h.emulator.leads();
    expect(h.emulator.leads()).toHaveLength(1);
    expect(callTasks(h).map((t) => [t.fields.WhoId, t.fields.CallObject, t.fields.CallDisposition])).toEqual([
      [lead?.Id, 'CAL-1', 'Answered'],
      [lead?.Id, 'CAL-2', 'No answer'],
      [lead?.Id, 'CAL-3', 'Answered'],
    ]);
  });

  it('logs a redelivered call once, on the same process and on another one sharing only the ledger', async () => {
    const h = await guideHarness();
    const ledger = new MemoryRecordLedger();
    const process = () =>
      new SalesforceAdapter({
        createdRecords: createdStrings(ledger),
      });
    const first = process();
    await deliver(h, call('CAL-1'), first);
    const again = await deliver(h, call('CAL-1'), first);
    const elsewhere = await deliver(h, call('CAL-1'), process());

    expect(callTasks(h)).toHaveLength(1);
    expect(h.emulator.tasks()).toHaveLength(2);
    expect(again.outcomes.at(-1)).toMatchObject({ ref: 'call', action: 'skipped' });
    expect(elsewhere.outcomes.at(-1)).toMatchObject({ ref: 'call', action: 'skipped' });
  });

  it('logs nothing when the tenant turns call_timeline off', async () => {
    const h = await guideHarness({ call_timeline: { enabled: false } });
    await deliver(h, call('CAL-1'));
    expect(h.emulator.leads()).toHaveLength(1);
    expect(callTasks(h)).toHaveLength(0);
  });
});
