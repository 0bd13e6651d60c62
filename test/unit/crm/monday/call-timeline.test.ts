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
const clock = fixedClock('2026-11-25T17:20:00.000Z');

const MAPPING = {
  item_name_template: '{{customer_name}} - {{ai_analysis.project_type}}',
  column_mappings: { Phone: 'customer_phone', 'Lead Score': 'ai_analysis.lead_score' },
  duplicate_detection: { enabled: true, match_fields: ['phone'] },
};

const call = (callId: string, change?: (call: EnrichedCall) => void): EnrichedCall =>
  guideCallOf(TENANT, callId, change);

async function deliver(h: Harness, enriched: EnrichedCall, adapter = h.adapter, change = {}) {
  const tenant = h.tenant({ ...MAPPING, ...change });
  return adapter.execute(
    buildCrmCommand(enriched, tenant, clock),
    configuredFor('monday', { ...h.context, tenant }),
  );
}

describe('Monday: each call as an update on the item', () => {
  it('posts a new caller’s call as an update on the item, with a readable summary', async () => {
    const h = await start();
    const result = await deliver(h, call('CAL-1'));

    const [item] = h.emulator.items();
    const updates = h.emulator.updates();
    expect(updates).toHaveLength(1);
    expect(updates[0]?.itemId).toBe(item?.id);
    expect(result.outcomes.at(-1)).toEqual({
      ref: 'call',
      object_type: 'updates',
      id: updates[0]?.id,
      action: 'created',
    });
    for (const fact of [
      '<strong>Inbound call from Jane Doe on 2026-11-24 17:20 UTC, 3:00</strong>',
      'Wants:</strong> a quote',
      'Project:</strong> kitchen',
      'Timeline:</strong> immediate',
      'Budget:</strong> high',
      '92/100 (answered, 3 minutes; wants to start immediately)',
      '<a href="https://app.callrail.com/calls/CAL1/recording">',
    ]) {
      expect(updates[0]?.body).toContain(fact);
    }
  });

  it('gives a returning caller’s second and third calls an update each on the one item', async () => {
    const h = await start();
    await deliver(h, call('CAL-1'));
    await deliver(
      h,
      call('CAL-2', (c) => Object.assign(c.call, { answered: false, duration_seconds: 0 })),
    );
    await deliver(h, call('CAL-3'));

    const [item] = h.emulator.items();
    expect(h.emulator.items()).toHaveLength(1);
    const updates = h.emulator.updates(item?.id);
    expect(updates).toHaveLength(3);
    expect(updates[1]?.body).toContain('not answered');
  });

  it('posts a redelivered call once, on the same process and on another one sharing only the ledger', async () => {
    const h = await start();
    const ledger = new MemoryRecordLedger();
    const process = () =>
      new MondayAdapter({
        createdRecords: createdStrings(ledger),
      });
    const first = process();
    await deliver(h, call('CAL-1'), first);
    const again = await deliver(h, call('CAL-1'), first);
    const elsewhere = await deliver(h, call('CAL-1'), process());

    expect(h.emulator.updates()).toHaveLength(1);
    expect(again.outcomes.at(-1)).toMatchObject({ ref: 'call', action: 'skipped' });
    expect(elsewhere.outcomes.at(-1)).toMatchObject({ ref: 'call', action: 'skipped' });
  });

  it('posts nothing when the tenant turns call_timeline off', async () => {
    const h = await start();
    await deliver(h, call('CAL-1'), h.adapter, { call_timeline: { enabled: false } });
    expect(h.emulator.items()).toHaveLength(1);
    expect(h.emulator.updates()).toHaveLength(0);
  });
});
