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

const payloads = (command: ReturnType<typeof buildCrmCommand>) =>
  command.operations.map((op) => ({
    ref: op.ref,
    kind: op.kind,
    action: op.action,
    link_to: op.link_to,
    payload: JSON.parse(op.payload_json),
  }));

describe("HubSpot commands from the guide's configuration", () => {
  it('maps the contact, the deal and every triggered workflow action, as written out by hand', () => {
    const command = buildCrmCommand(call, tenant(GUIDE_HUBSPOT), clock);
    expect(command.triggered_workflows).toEqual(['high_value_lead', 'immediate_timeline']);
    expect(command.duplicate_detection).toEqual({
      match_fields: ['phone', 'email'],
      match_strategy: 'exact',
      action: 'update_existing',
    });
    expect(payloads(command)).toEqual([
      {
        ref: 'contact',
        kind: 'upsert_contact',
        action: null,
        link_to: null,
        payload: {
          properties: {
            phone: '+15551234567',
            firstname: 'Jane',
            lastname: 'Doe',
            city: 'Los Angeles',
            state: 'CA',
            lead_source: 'Google Ads',
            lead_source_detail: 'TEST_CRM_001',
            call_recording_url: 'https://app.callrail.com/calls/CAL1/recording',
            call_transcript: 'Caller: new kitchen, as soon as possible',
            ai_project_type: 'kitchen',
            ai_timeline: 'immediate',
            ai_lead_score: 92,
            call_duration: 180,
          },
        },
      },
      {
        ref: 'deal',
        kind: 'create_deal',
        action: null,
        link_to: 'contact',
        payload: {
          properties: {
            dealname: 'Jane Doe - kitchen project',
            pipeline: 'default',
            dealstage: 'appointmentscheduled',
          },
          owner_email: 'owner@company.com',
        },
      },
      {
        ref: 'workflow_send_notification',
        kind: 'workflow_action',
        action: 'send_notification',
        link_to: 'contact',
        payload: { properties: {} },
      },
      {
        ref: 'workflow_assign_owner',
        kind: 'workflow_action',
        action: 'assign_owner',
        link_to: 'contact',
        payload: { properties: {}, owner_email: 'owner@company.com' },
      },
      {
        ref: 'task',
        kind: 'create_task',
        action: null,
        link_to: 'contact',
        payload: {
          properties: {
            hs_task_subject: 'Call back Jane Doe (kitchen, score 92)',
            hs_task_body: 'answered, 3 minutes; wants to start immediately',
            hs_timestamp: '2026-11-25T18:20:00.000Z',
            hs_task_status: 'NOT_STARTED',
            hs_task_priority: 'HIGH',
            hs_task_type: 'CALL',
          },
          owner_email: 'owner@company.com',
        },
      },
      {
        ref: 'workflow_send_sms',
        kind: 'workflow_action',
        action: 'send_sms',
        link_to: 'contact',
        payload: { properties: {} },
      },
    ]);
  });

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

  it("applies the guide's conditional and computed field mappings", () => {
    const config = {
      ...GUIDE_HUBSPOT,
      value_maps: {
        project_value_map: { kitchen: 25000, bathroom: 15000, whole_home: 100000, addition: 50000 },
      },
      field_mappings: {
        priority: {
          type: 'conditional',
          conditions: [
            { if: 'ai_analysis.lead_score > 80', then: 'High' },
            { if: "ai_analysis.urgency == 'high'", then: 'High' },
            { default: 'Normal' },
          ],
        },
        estimated_value: {
          type: 'computed',
          formula: 'project_value_map[ai_analysis.project_type] || 20000',
        },
        follow_up_date: {
          type: 'computed',
          formula: "addDays(today(), ai_analysis.timeline == 'immediate' ? 1 : 7)",
        },
      },
      custom_properties: [],
    };
    const quiet = {
      ...call,
      ai_analysis: {
        ...call.ai_analysis,
        lead_score: 50,
        urgency: 'low' as const,
        project_type: 'roofing',
        timeline: 'unknown' as const,
      },
    };
    const [hot] = payloads(buildCrmCommand(call, tenant(config), clock));
    const [cold] = payloads(buildCrmCommand(quiet, tenant(config), clock));
    expect(hot?.payload.properties).toEqual({
      priority: 'High',
      estimated_value: 25000,
      follow_up_date: '2026-11-26',
    });
    expect(cold?.payload.properties).toEqual({
      priority: 'Normal',
      estimated_value: 20000,
      follow_up_date: '2026-12-02',
    });
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
