import { describe, expect, it } from 'vitest';
import { createdNumbers, createdStrings } from '../../../../src/crm/created-records.js';
import { PipedriveAdapter } from '../../../../src/crm/pipedrive/pipedrive-adapter.js';
import { DEFAULT_USER } from '../../../emulators/pipedrive/emulator.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { MemoryRecordLedger } from '../../../support/memory-record-ledger.js';
import { call, startHarness } from './adapter-harness.js';

const start = harnessPerTest(startHarness);

describe('Pipedrive: each call on the person and deal timeline', () => {
  it('logs a new caller’s call as a call log on the person and the deal, with a readable note', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    const result = await adapter.execute(commandFor(call('CAL-1')), context);

    const [person] = emulator.persons();
    const [deal] = emulator.deals();
    const [log] = emulator.callLogs();
    expect(emulator.callLogs()).toHaveLength(1);
    expect(result.outcomes.at(-1)).toMatchObject({ ref: 'call', object_type: 'callLogs', id: log?.id });
    expect(log).toMatchObject({
      subject: 'Inbound call from Jane Doe',
      outcome: 'connected',
      duration: '180',
      start_time: '2026-11-24 17:20:00',
      end_time: '2026-11-24 17:23:00',
      to_phone_number: '+18005550100',
      from_phone_number: '+15125550143',
      person_id: person?.id,
      deal_id: deal?.id,
      user_id: DEFAULT_USER.id,
    });
    for (const fact of [
      'a quote',
      'kitchen',
      'immediate',
      'Budget:</strong> high',
      '92/100',
      'CAL1/recording',
    ]) {
      expect(log?.note).toContain(fact);
    }
  });

  it('gives a returning caller’s second and third calls a call log each on the one person', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    await adapter.execute(commandFor(call('CAL-1')), context);
    await adapter.execute(
      commandFor(call('CAL-2', (c) => Object.assign(c.call, { answered: false, duration_seconds: 0 }))),
      context,
    );
    await adapter.execute(commandFor(call('CAL-3')), context);

    const [person] = emulator.persons();
    expect(emulator.persons()).toHaveLength(1);
    expect(emulator.callLogs().map((l) => [l.person_id, l.outcome])).toEqual([
      [person?.id, 'connected'],
      [person?.id, 'no_answer'],
      [person?.id, 'connected'],
    ]);
  });

  it('logs a redelivered call once, on the same process and on another one sharing only the ledger', async () => {
    const { emulator, context, commandFor } = await start();
    const ledger = new MemoryRecordLedger();
    const process = () =>
      new PipedriveAdapter({
        createdRecords: createdNumbers(ledger),
        createdCallLogs: createdStrings(ledger),
      });
    const delivery = commandFor(call('CAL-1'));
    const first = process();
    await first.execute(delivery, context);
    const again = await first.execute(delivery, context);
    const elsewhere = await process().execute(delivery, context);

    expect(emulator.callLogs()).toHaveLength(1);
    expect(emulator.deals()).toHaveLength(1);
    expect(again.outcomes.at(-1)).toMatchObject({ ref: 'call', action: 'skipped' });
    expect(elsewhere.outcomes.at(-1)).toMatchObject({ ref: 'call', action: 'skipped' });
  });

  it('logs a done call activity where no number called is known for a call log', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    await adapter.execute(
      commandFor(call('CAL-1', (c) => Object.assign(c.call, { tracking_number: null }))),
      context,
    );
    const [person] = emulator.persons();
    const [deal] = emulator.deals();
    expect(emulator.callLogs()).toHaveLength(0);
    expect(emulator.activities().filter((a) => a.type === 'call')).toEqual([
      expect.objectContaining({
        subject: 'Inbound call from Jane Doe',
        done: true,
        due_date: '2026-11-24',
        due_time: '17:20',
        person_id: person?.id,
        deal_id: deal?.id,
      }),
    ]);
  });

  it('logs nothing when the tenant turns call_timeline off', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    await adapter.execute(commandFor(call('CAL-1'), { call_timeline: { enabled: false } }), context);
    expect(emulator.persons()).toHaveLength(1);
    expect(emulator.callLogs()).toHaveLength(0);
  });
});
