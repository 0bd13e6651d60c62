import { describe, expect, it } from 'vitest';
import { parseTenantFile } from '../../../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../../../src/config/tenants/tenant-config.js';
import type { EnrichedCall } from '../../../src/events/enriched-call.js';
import { buildCrmCommand } from '../../../src/mapping/build-command.js';
import { fixedClock } from '../../../src/time/clock.js';

/** The setup guide's HubSpot crm_config, exactly as written there. */
const GUIDE_HUBSPOT = {
  type: 'hubspot',
  api_token: 'secret:projects/PROJECT_ID/secrets/hubspot-token-tenant-TENANT_ID/versions/latest',
  portal_id: '12345678',
  pipeline_id: 'default',
  deal_stage: 'appointmentscheduled',
  contact_owner: 'owner@company.com',
  company_domain_mapping: true,
  duplicate_detection: { enabled: true, match_fields: ['phone', 'email'] },
  field_mappings: {
    phone: 'phone',
    email: 'email',
    firstname: 'customer_name_first',
    lastname: 'customer_name_last',
    city: 'customer_city',
    state: 'customer_state',
    lead_source: 'source',
    lead_source_detail: 'call_id',
  },
  custom_properties: [
    { name: 'call_recording_url', value: 'recording_url', type: 'string' },
    { name: 'call_transcript', value: 'transcription', type: 'string' },
    { name: 'ai_project_type', value: 'ai_analysis.project_type', type: 'enumeration' },
    { name: 'ai_timeline', value: 'ai_analysis.timeline', type: 'enumeration' },
    { name: 'ai_lead_score', value: 'ai_analysis.lead_score', type: 'number' },
    { name: 'call_duration', value: 'call_details.duration', type: 'number' },
  ],
  workflow_triggers: {
    high_value_lead: {
      condition: 'ai_analysis.lead_score > 80',
      actions: ['send_notification', 'assign_owner'],
    },
    immediate_timeline: {
      condition: "ai_analysis.timeline == 'immediate'",
      actions: ['create_task', 'send_sms'],
    },
  },
};

const tenant = (crm: object) => tenantConfigSchema.parse({ tenant_id: 'tenant_TENANT_ID', crm_config: crm });
const clock = fixedClock('2026-11-25T17:20:00.000Z');

const call: EnrichedCall = {
  call: {
    call_id: 'TEST_CRM_001',
    tenant_id: 'tenant_TENANT_ID',
    source_kind: 'callrail_call',
    callrail_event: null,
    callrail_company_id: '12345',
    customer_phone: '+15551234567',
    customer_name: 'Jane Doe',
    customer_email: null,
    customer_city: 'Los Angeles',
    customer_state: 'CA',
    duration_seconds: 180,
    answered: true,
    voicemail: null,
    recording_url: 'https://app.callrail.com/calls/CAL1/recording',
    transcription: 'Caller: new kitchen, as soon as possible',
    source: 'Google Ads',
    tracking_number: null,
    start_time: null,
    form_fields: {},
    marketing: {},
    received_at: 0,
  },
  ai_analysis: {
    intent: 'quote_request',
    project_type: 'kitchen',
    timeline: 'immediate',
    budget_indicator: 'high',
    sentiment: 'positive',
    urgency: 'high',
    lead_score: 92,
    score_reasons: ['answered, 3 minutes', 'wants to start immediately'],
    analyzer: 'test',
  },
  enriched_at: 0,
};

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
      field_mappings: { ...GUIDE_HUBSPOT.field_mappings, city: 'customer_citty' },
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
