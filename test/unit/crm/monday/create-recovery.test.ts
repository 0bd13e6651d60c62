import { describe, expect, it } from 'vitest';
import { createdStrings } from '../../../../src/crm/created-records.js';
import { MondayAdapter } from '../../../../src/crm/monday/monday-adapter.js';
import type { EnrichedCall } from '../../../../src/events/enriched-call.js';
import { buildCrmCommand } from '../../../../src/mapping/build-command.js';
import { fixedClock } from '../../../../src/time/clock.js';
import { configuredFor } from '../../../support/configured-context.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { guideCallOf } from '../../../support/guide-fixtures.js';
import { MemoryRecordLedger } from '../../../support/memory-record-ledger.js';
import { type Harness, startHarness, TENANT } from './adapter-harness.js';

const start = harnessPerTest(startHarness);

const MAPPING = {
  item_name_template: '{{customer_name}} - {{ai_analysis.project_type}}',
  column_mappings: { Phone: 'customer_phone', 'Lead Score': 'ai_analysis.lead_score' },
  duplicate_detection: { enabled: true, match_fields: ['phone'] },
};

const call = (callId: string): EnrichedCall => guideCallOf(TENANT, callId);

/** A delivery process whose created records live in the ledger every process shares. */
const processOn = (ledger: MemoryRecordLedger) =>
  new MondayAdapter({ createdRecords: createdStrings(ledger) });

function commandFor(h: Harness, callId: string) {
  const tenant = h.tenant(MAPPING);
  const command = buildCrmCommand(call(callId), tenant, fixedClock('2026-11-25T17:20:00.000Z'));
  return { command, context: configuredFor('monday', { ...h.context, tenant }) };
}

describe('Monday: an item and its call posted by a delivery that died before the ledger heard of them', () => {
  it('are found by the redelivery on another process, though the column search lags, and not made again', async () => {
    const h = await start({ emulator: { searchLagMs: 60_000 } });
    const ledger = new MemoryRecordLedger();
    const { command, context } = commandFor(h, 'CAL-1');
    const first = await processOn(ledger).execute(command, context);
    const created = first.outcomes.filter((o) => o.action === 'created');
    expect(created.map((o) => o.object_type)).toEqual(['items', 'updates']);
    // The crash: Monday made both, the process died before the ledger acknowledged their ids; the notes
    // announcing each create (CreatedRecords.beforeCreate) had been acknowledged before the requests.
    for (const { ref } of created)
      ledger.forget({ tenantId: TENANT, idempotencyKey: command.idempotency_key, ref });

    const redelivered = await processOn(ledger).execute(command, context);

    expect(h.emulator.items()).toHaveLength(1);
    expect(h.emulator.updates()).toHaveLength(1);
    for (const { ref, id } of created) {
      expect(redelivered.outcomes.find((o) => o.ref === ref)).toMatchObject({ id, action: 'skipped' });
      // Remembered again: a third delivery needs no listing.
      expect(ledger.get({ tenantId: TENANT, idempotencyKey: command.idempotency_key, ref })).toBe(id);
    }
  });

  it('creates the item and posts the call when the announced creates never reached Monday', async () => {
    const h = await start({ emulator: { searchLagMs: 60_000 } });
    const ledger = new MemoryRecordLedger();
    const { command, context } = commandFor(h, 'CAL-1');
    // Announced, then the process died before sending the requests.
    for (const ref of ['item', 'call'])
      ledger.remember(
        { tenantId: TENANT, idempotencyKey: command.idempotency_key, ref: `${ref}#creating` },
        1,
      );

    const result = await processOn(ledger).execute(command, context);

    expect(h.emulator.items()).toHaveLength(1);
    expect(h.emulator.updates()).toHaveLength(1);
    expect(result.outcomes.filter((o) => o.action === 'created').map((o) => o.ref)).toEqual(['item', 'call']);
  });
});
