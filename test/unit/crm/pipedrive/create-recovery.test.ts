import { describe, expect, it } from 'vitest';
import { createdNumbers, createdStrings } from '../../../../src/crm/created-records.js';
import type { LedgerEntry, LedgerId } from '../../../../src/crm/ledger/record-ledger.js';
import { PipedriveAdapter } from '../../../../src/crm/pipedrive/pipedrive-adapter.js';
import { LeadstreamError } from '../../../../src/errors/leadstream-error.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { failureOf } from '../../../support/failure-of.js';
import { MemoryRecordLedger } from '../../../support/memory-record-ledger.js';
import { call, startHarness, TENANT } from './adapter-harness.js';

const start = harnessPerTest(startHarness);

/** A delivery process whose created records live in the ledger every process shares. */
function processOn(ledger: MemoryRecordLedger): PipedriveAdapter {
  return new PipedriveAdapter({
    createdRecords: createdNumbers(ledger),
    createdCallLogs: createdStrings(ledger),
  });
}

describe('Pipedrive: a deal created by a delivery that died before the ledger heard of it', () => {
  it('is found by the redelivery on another process and not created again', async () => {
    const { emulator, context, commandFor } = await start();
    const ledger = new MemoryRecordLedger();
    const command = commandFor(call('CAL-1'));
    await processOn(ledger).execute(command, context);
    const [deal] = emulator.deals();
    // The crash: Pipedrive made the deal, the process died before the ledger acknowledged its id; the
    // note announcing the create (CreatedRecords.beforeCreate) had been acknowledged before the request.
    ledger.forget({ tenantId: TENANT, idempotencyKey: command.idempotency_key, ref: 'deal' });

    const redelivered = await processOn(ledger).execute(command, context);

    expect(emulator.deals()).toHaveLength(1);
    expect(redelivered.outcomes.find((o) => o.ref === 'deal')).toMatchObject({
      id: String(deal?.id),
      action: 'skipped',
    });
    // Remembered again: a third delivery needs no listing.
    expect(ledger.get({ tenantId: TENANT, idempotencyKey: command.idempotency_key, ref: 'deal' })).toBe(
      deal?.id,
    );
  });

  it('creates the deal when the announced create never reached Pipedrive', async () => {
    const { emulator, context, commandFor } = await start();
    const ledger = new MemoryRecordLedger();
    const command = commandFor(call('CAL-1'));
    // Announced, then the process died before sending the request.
    ledger.remember({ tenantId: TENANT, idempotencyKey: command.idempotency_key, ref: 'deal#creating' }, 1);

    const result = await processOn(ledger).execute(command, context);

    expect(emulator.deals()).toHaveLength(1);
    expect(result.outcomes.find((o) => o.ref === 'deal')).toMatchObject({ action: 'created' });
  });

  it("finds its follow-up task and call activity too, through the person's activities, and creates neither again", async () => {
    const { emulator, context, commandFor } = await start();
    const ledger = new MemoryRecordLedger();
    // No number called is known, so the call is a done activity rather than a call log.
    const command = commandFor(call('CAL-1', (c) => Object.assign(c.call, { tracking_number: null })));
    const first = await processOn(ledger).execute(command, context);
    const created = first.outcomes.filter((o) => o.action === 'created' && o.object_type !== 'persons');
    expect(created.map((o) => o.object_type).sort()).toEqual(['activities', 'activities', 'deals']);
    for (const { ref } of created)
      ledger.forget({ tenantId: TENANT, idempotencyKey: command.idempotency_key, ref });

    const redelivered = await processOn(ledger).execute(command, context);

    expect(emulator.deals()).toHaveLength(1);
    expect(
      emulator
        .activities()
        .map((a) => a.type)
        .sort(),
    ).toEqual(['call', 'task']);
    for (const { ref, id } of created) {
      expect(redelivered.outcomes.find((o) => o.ref === ref)).toMatchObject({ id, action: 'skipped' });
    }
  });

  it('creates the task and call activity when their announced creates never reached Pipedrive', async () => {
    const { emulator, context, commandFor } = await start();
    const ledger = new MemoryRecordLedger();
    const command = commandFor(call('CAL-1', (c) => Object.assign(c.call, { tracking_number: null })));
    for (const { ref } of command.operations.filter((o) => o.object_type === 'activities'))
      ledger.remember(
        { tenantId: TENANT, idempotencyKey: command.idempotency_key, ref: `${ref}#creating` },
        1,
      );

    const result = await processOn(ledger).execute(command, context);

    expect(
      emulator
        .activities()
        .map((a) => a.type)
        .sort(),
    ).toEqual(['call', 'task']);
    expect(
      result.outcomes.filter((o) => o.object_type === 'activities' && o.action === 'created'),
    ).toHaveLength(2);
  });
});

describe('Pipedrive: a call log created by a delivery that died before the ledger heard of it', () => {
  it("is found as the call activity it also is among the person's, and not logged again", async () => {
    const { emulator, context, commandFor } = await start();
    const ledger = new MemoryRecordLedger();
    const command = commandFor(call('CAL-1'));
    const entry = { tenantId: TENANT, idempotencyKey: command.idempotency_key, ref: 'call' };
    await processOn(ledger).execute(command, context);
    const [log] = emulator.callLogs();
    // The crash: Pipedrive logged the call, the process died before the ledger acknowledged its id.
    ledger.forget(entry);

    const redelivered = await processOn(ledger).execute(command, context);

    expect(emulator.callLogs()).toHaveLength(1);
    // Only the log's activity can be found again, so the call is reported as that activity.
    expect(redelivered.outcomes.find((o) => o.ref === 'call')).toMatchObject({
      object_type: 'activities',
      id: String(log?.activity_id),
      action: 'skipped',
    });
    // Remembered again: a third delivery skips the call without listing activities.
    expect(ledger.get(entry)).toBe(log?.activity_id);
    const listings = emulator.requestsTo('GET', '/api/v2/activities').length;
    const third = await processOn(ledger).execute(command, context);
    expect(third.outcomes.find((o) => o.ref === 'call')).toMatchObject({ id: String(log?.activity_id) });
    expect(emulator.requestsTo('GET', '/api/v2/activities')).toHaveLength(listings);
    expect(emulator.callLogs()).toHaveLength(1);
  });

  it("logs the call when the announced log never reached Pipedrive, though the caller's call a minute earlier has the same subject", async () => {
    const { emulator, context, commandFor } = await start();
    const ledger = new MemoryRecordLedger();
    const started = Date.parse('2026-11-24T17:20:00Z');
    await processOn(ledger).execute(
      commandFor(call('CAL-1', (c) => Object.assign(c.call, { start_time: started }))),
      context,
    );
    const command = commandFor(call('CAL-2', (c) => Object.assign(c.call, { start_time: started + 60_000 })));
    // Announced, then the process died before sending the request.
    ledger.remember({ tenantId: TENANT, idempotencyKey: command.idempotency_key, ref: 'call#creating' }, 1);

    const result = await processOn(ledger).execute(command, context);

    expect(emulator.callLogs().map((l) => [l.subject, l.start_time])).toEqual([
      ['Inbound call from Jane Doe', '2026-11-24 17:20:00'],
      ['Inbound call from Jane Doe', '2026-11-24 17:21:00'],
    ]);
    expect(result.outcomes.find((o) => o.ref === 'call')).toMatchObject({
      object_type: 'callLogs',
      action: 'created',
    });
  });
});

/** A ledger that takes every write until the call log's announcement, which Kafka does not acknowledge. */
class LedgerDownAtTheCallLog extends MemoryRecordLedger {
  private down = false;

  override remember(entry: LedgerEntry, id: LedgerId): void {
    if (entry.ref === 'call#creating') this.down = true;
    super.remember(entry, id);
  }

  override async settle(tenantId: string, idempotencyKey: string): Promise<void> {
    if (this.down) throw new LeadstreamError('kafka_unavailable', 'the broker did not acknowledge');
    await super.settle(tenantId, idempotencyKey);
  }
}

describe('Pipedrive: a call log while the ledger cannot record it', () => {
  it('is not logged, and the delivery fails retryably, so no log exists that the ledger never heard of', async () => {
    const { emulator, context, commandFor } = await start();
    const error = await failureOf(
      processOn(new LedgerDownAtTheCallLog()).execute(commandFor(call('CAL-1')), context),
    );
    expect(error).toMatchObject({ type: 'kafka_unavailable', retryable: true });
    expect(emulator.deals()).toHaveLength(1);
    expect(emulator.callLogs()).toHaveLength(0);
  });
});
