import { describe, expect, it } from 'vitest';
import { tenantConfigSchema } from '../../../src/config/tenants/tenant-config.js';
import type { EnrichedCall } from '../../../src/events/enriched-call.js';
import { buildCrmCommand } from '../../../src/mapping/build-command.js';
import { fixedClock } from '../../../src/time/clock.js';
import { guideCrmConfig, guideEnrichedCall } from '../../support/guide-fixtures.js';

const clock = fixedClock('2026-11-25T17:20:00.000Z');
const SMALL = {
  zoho: { type: 'zoho', client_id: 'x', client_secret: 'x', refresh_token: 'x', field_mappings: {} },
  monday: { type: 'monday', api_token: 'x', board_id: '1', item_name_template: 'x', column_mappings: {} },
};
const CONFIGS: Record<string, object> = {
  hubspot: guideCrmConfig('hubspot'),
  salesforce: guideCrmConfig('salesforce'),
  pipedrive: guideCrmConfig('pipedrive'),
  ...SMALL,
};

function timelineOf(crm: string, change: (call: EnrichedCall) => void = () => {}) {
  const event = guideEnrichedCall();
  change(event);
  const tenant = tenantConfigSchema.parse({ tenant_id: 'tenant_TENANT_ID', crm_config: CONFIGS[crm] });
  const logged = buildCrmCommand(event, tenant, clock).operations.filter((op) => op.kind === 'log_call');
  return logged.map((op) => ({
    ...op,
    payload: JSON.parse(op.payload_json) as Record<string, Record<string, unknown>>,
  }));
}

describe('the call timeline entry the mapper builds', () => {
  it.each(Object.keys(CONFIGS))('puts a phone call on %s, and no form submission', (crm) => {
    expect(timelineOf(crm)).toHaveLength(1);
    expect(timelineOf(crm, (c) => Object.assign(c.call, { source_kind: 'web_form' }))).toEqual([]);
  });

  it('says a missed call was not answered, in each CRM’s own terms', () => {
    const missed = (c: EnrichedCall) => Object.assign(c.call, { answered: false, duration_seconds: 0 });
    expect(timelineOf('hubspot', missed)[0]?.payload.properties).toMatchObject({
      hs_call_status: 'NO_ANSWER',
      hs_call_duration: 0,
    });
    expect(timelineOf('salesforce', missed)[0]?.payload.fields).toMatchObject({
      CallDisposition: 'No answer',
    });
    expect(timelineOf('pipedrive', missed)[0]?.payload).toMatchObject({ outcome: 'no_answer' });
    expect(timelineOf('zoho', missed)[0]?.payload.record).toMatchObject({ Call_Type: 'Missed' });
    expect(timelineOf('monday', missed)[0]?.payload.body).toContain('not answered');
  });

  it('keeps a recording HubSpot could not play out of its player field, but in the summary', () => {
    const plain = (c: EnrichedCall) => Object.assign(c.call, { recording_url: 'http://calls.example/1.mp3' });
    const properties = timelineOf('hubspot', plain)[0]?.payload.properties ?? {};
    expect(properties.hs_call_recording_url).toBeUndefined();
    expect(properties.hs_call_body).toContain('<a href="http://calls.example/1.mp3">');
  });
});
