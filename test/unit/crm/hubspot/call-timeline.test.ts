import { describe, expect, it } from 'vitest';
import { createdStrings } from '../../../../src/crm/created-records.js';
import { HubSpotAdapter } from '../../../../src/crm/hubspot/hubspot-adapter.js';
import type { EnrichedCall } from '../../../../src/events/enriched-call.js';
import { buildCrmCommand } from '../../../../src/mapping/build-command.js';
import { fixedClock } from '../../../../src/time/clock.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { guideCallOf, guideCrmConfig } from '../../../support/guide-fixtures.js';
import { MemoryRecordLedger } from '../../../support/memory-record-ledger.js';
import { type Harness, startHarness, TENANT } from './adapter-harness.js';

const start = harnessPerTest(startHarness);
const clock = fixedClock('2026-11-25T17:20:00.000Z');

/** The guide's call (Jane Doe, a kitchen, score 92) as call `callId` of this tenant. */
const call = (callId: string, change?: (call: EnrichedCall) => void): EnrichedCall =>
  guideCallOf(TENANT, callId, change);

/** The guide's HubSpot block, with the harness's token and emulator. */
function guideHarness(crmConfig: Record<string, unknown> = {}): Promise<Harness> {
  const { api_token: _guideToken, ...guide } = guideCrmConfig('hubspot');
  return start({ crmConfig: { ...guide, ...crmConfig } });
}

const deliver = (h: Harness, enriched: EnrichedCall, adapter = h.adapter) =>
  adapter.execute(buildCrmCommand(enriched, h.context.tenant, clock), h.context);

describe('HubSpot: each call on the contact timeline', () => {
  it('logs a new caller’s call as a calls engagement on the contact and the deal, with a readable summary', async () => {
    const h = await guideHarness();
    const result = await deliver(h, call('CAL-1'));

    const [contact] = h.emulator.contacts();
    const [deal] = h.emulator.deals();
    const calls = h.emulator.calls();
    expect(calls).toHaveLength(1);
    expect(result.outcomes.at(-1)).toMatchObject({ ref: 'call', object_type: 'calls', action: 'created' });
    expect(calls[0]?.properties).toMatchObject({
      hs_timestamp: '2026-11-24T17:20:00.000Z',
      hs_call_title: 'Inbound call from Jane Doe',
      hs_call_duration: '180000',
      hs_call_direction: 'INBOUND',
      hs_call_status: 'COMPLETED',
      hs_call_recording_url: 'https://app.callrail.com/calls/CAL1/recording',
      hs_call_from_number: '+15125550143',
      hs_call_to_number: '+18005550100',
    });
    const body = calls[0]?.properties.hs_call_body ?? '';
    for (const fact of [
      'Jane Doe, +15125550143',
      'a quote',
      'kitchen',
      'Timeline:</strong> immediate',
      'Budget:</strong> high',
      '92/100 (answered, 3 minutes; wants to start immediately)',
      '<a href="https://app.callrail.com/calls/CAL1/recording">',
    ]) {
      expect(body).toContain(fact);
    }
    expect(calls[0]?.associations).toEqual([
      { toObjectType: 'contacts', toObjectId: contact?.id, associationTypeId: 194 },
      { toObjectType: 'deals', toObjectId: deal?.id, associationTypeId: 206 },
    ]);
    expect(contact?.associations).toContainEqual({
      toObjectType: 'calls',
      toObjectId: calls[0]?.id,
      associationTypeId: 193,
    });
  });

  it('gives a returning caller’s second and third calls an entry each on the one contact', async () => {
    const h = await guideHarness();
    await deliver(h, call('CAL-1'));
    await deliver(
      h,
      call('CAL-2', (c) => Object.assign(c.call, { answered: false, duration_seconds: 0 })),
    );
    await deliver(h, call('CAL-3'));

    const [contact] = h.emulator.contacts();
    expect(h.emulator.contacts()).toHaveLength(1);
    const calls = h.emulator.calls();
    expect(calls).toHaveLength(3);
    expect(calls.map((c) => c.properties.hs_call_status)).toEqual(['COMPLETED', 'NO_ANSWER', 'COMPLETED']);
    for (const logged of calls) {
      expect(logged.associations).toContainEqual({
        toObjectType: 'contacts',
        toObjectId: contact?.id,
        associationTypeId: 194,
      });
    }
  });

  it('logs a redelivered call once, on the same process and on another one sharing only the ledger', async () => {
    const h = await guideHarness();
    const ledger = new MemoryRecordLedger();
    const process = () =>
      new HubSpotAdapter({
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

  it('keeps what the caller said as text, and logs nothing when the tenant turns call_timeline off', async () => {
    const h = await guideHarness();
    await deliver(
      h,
      call('CAL-1', (c) => {
        c.ai_analysis.score_reasons = ['said "<img src=x onerror=alert(1)> {{auth.token}}"'];
      }),
    );
    const body = h.emulator.calls()[0]?.properties.hs_call_body ?? '';
    expect(body).toContain('said &#34;&#60;img src=x onerror=alert(1)&#62; {{auth.token}}&#34;');
    expect(body).not.toContain('<img');

    const off = await guideHarness({ call_timeline: { enabled: false } });
    await deliver(off, call('CAL-2'));
    expect(off.emulator.contacts()).toHaveLength(1);
    expect(off.emulator.calls()).toHaveLength(0);
  });
});
