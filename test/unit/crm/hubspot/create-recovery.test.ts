import { describe, expect, it } from 'vitest';
import { createdStrings } from '../../../../src/crm/created-records.js';
import { HubSpotAdapter } from '../../../../src/crm/hubspot/hubspot-adapter.js';
import type { EnrichedCall } from '../../../../src/events/enriched-call.js';
import { buildCrmCommand } from '../../../../src/mapping/build-command.js';
import { fixedClock } from '../../../../src/time/clock.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { guideCallOf, guideCrmConfig } from '../../../support/guide-fixtures.js';
import { MemoryRecordLedger } from '../../../support/memory-record-ledger.js';
import { startHarness, TENANT } from './adapter-harness.js';

const start = harnessPerTest(startHarness);

const call = (callId: string): EnrichedCall => guideCallOf(TENANT, callId);

/** A delivery process whose created records live in the ledger every process shares. */
const processOn = (ledger: MemoryRecordLedger) =>
  new HubSpotAdapter({ createdRecords: createdStrings(ledger) });

describe('HubSpot (portal not provisioned): records a delivery created and died before the ledger heard of', () => {
  it('are found by the redelivery on another process through the contact, and not created again', async () => {
    const { api_token: _token, ...guide } = guideCrmConfig('hubspot');
    const h = await start({ crmConfig: guide });
    const ledger = new MemoryRecordLedger();
    const command = buildCrmCommand(call('CAL-1'), h.context.tenant, fixedClock('2026-11-25T17:20:00.000Z'));
    const first = await processOn(ledger).execute(command, h.context);
    const created = first.outcomes.filter((o) => o.action === 'created' && o.object_type !== 'contacts');
    expect(created.map((o) => o.object_type)).toEqual(expect.arrayContaining(['deals', 'calls']));
    // The crash: HubSpot made them, the process died before the ledger acknowledged their ids; the notes
    // announcing each create (CreatedRecords.beforeCreate) had been acknowledged before the requests.
    for (const { ref } of created)
      ledger.forget({ tenantId: TENANT, idempotencyKey: command.idempotency_key, ref });

    const redelivered = await processOn(ledger).execute(command, h.context);

    expect(h.emulator.deals()).toHaveLength(1);
    expect(h.emulator.calls()).toHaveLength(1);
    for (const { ref, id } of created) {
      expect(redelivered.outcomes.find((o) => o.ref === ref)).toMatchObject({ id, action: 'skipped' });
    }
  });
});
