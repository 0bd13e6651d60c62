import { describe, expect, it } from 'vitest';
import { parseTenantFile } from '../../../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../../../src/config/tenants/tenant-config.js';
import { buildCrmCommand } from '../../../src/mapping/build-command.js';
import { fixedClock } from '../../../src/time/clock.js';
import { guideCrmConfig, guideEnrichedCall } from '../../support/guide-fixtures.js';

const GUIDE_HUBSPOT = guideCrmConfig('hubspot');

const tenant = (crm: object) => tenantConfigSchema.parse({ tenant_id: 'tenant_TENANT_ID', crm_config: crm });
const clock = fixedClock('2026-11-25T17:20:00.000Z');

const call = guideEnrichedCall();

describe("HubSpot commands from the guide's configuration", () => {
  it('triggers nothing for a cold lead, and creates no deal for a robocall', () => {
    const cold = {
      ...call,
      ai_analysis: { ...call.ai_analysis, lead_score: 40, timeline: '6+_months' as const },
    };
    expect(buildCrmCommand(cold, tenant(GUIDE_HUBSPOT), clock).triggered_workflows).toEqual([]);
    const spam = { ...call, ai_analysis: { ...call.ai_analysis, intent: 'spam' as const } };
    expect(buildCrmCommand(spam, tenant(GUIDE_HUBSPOT), clock).operations.map((op) => op.kind)).toEqual([
      'upsert_contact',
      'log_call',
    ]);
  });

  it("fails in the guide's words when a value has the wrong type", () => {
    const config = {
      ...GUIDE_HUBSPOT,
      custom_properties: [{ name: 'ai_lead_score', value: 'customer_city', type: 'number' }],
    };
    expect(() => buildCrmCommand(call, tenant(config), clock)).toThrow(
      'Invalid value for field ai_lead_score: expected number, got string',
    );
  });

  it('rejects a tenant file with an unknown path or expression name, naming its JSON path', () => {
    const config = {
      ...GUIDE_HUBSPOT,
      field_mappings: { ...(GUIDE_HUBSPOT.field_mappings as object), city: 'customer_citty' },
      workflow_triggers: { hot: { condition: 'ai_analysis.leadscore > 80', actions: ['create_task'] } },
    };
    const result = parseTenantFile('acme.json', JSON.stringify({ tenant_id: 't', crm_config: config }));
    expect(result.issues.map((issue) => issue.path)).toEqual([
      'crm_config.field_mappings.city',
      'crm_config.workflow_triggers.hot.condition',
    ]);
    expect(result.issues[1]?.message).toMatch(/unknown identifier ai_analysis.leadscore/);
  });
});
