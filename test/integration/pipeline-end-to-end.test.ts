import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryTenantSource } from '../../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../../src/config/tenants/tenant-config.js';
import { idempotencyKey } from '../../src/events/crm-command.js';
import type { RawCall } from '../../src/events/raw-call.js';
import { createLogger } from '../../src/observability/logger.js';
import { type RunningLeadstream, startLeadstream } from '../../src/roles/runtime.js';
import { EnvSecretResolver } from '../../src/secrets/env-secret-resolver.js';
import { fixedClock } from '../../src/time/clock.js';
import { type HubSpotEmulator, startHubSpotEmulator } from '../emulators/hubspot/emulator.js';
import { defineGuideProperties } from '../emulators/hubspot/guide-properties.js';
import { callRailSignature } from '../support/callrail-signing.js';
import { FIXED_ANALYSIS, fixedAnalyzer } from '../support/fixed-analyzer.js';
import { isolatedSettings, REGISTRY_URL } from '../support/platform.js';
import { readTopic } from '../support/topic-reader.js';
import { GROUP_JOINING_TEST_TIMEOUT_MS, waitFor } from '../support/wait-for.js';

const NOW = '2026-11-25T17:20:00.000Z';
const HUBSPOT_TOKEN = 'pat-na1-e2e-token';
const SIGNING_TOKEN = 'callrail-e2e-signing-token';

function tenantFile(hubspotUrl: string) {
  return tenantConfigSchema.parse({
    tenant_id: 'tenant_your_company',
    callrail: {
      company_ids: ['12345'],
      signing_secret: 'secret:projects/p/secrets/e2e-callrail/versions/latest',
    },
    crm_config: {
      type: 'hubspot',
      base_url: hubspotUrl,
      api_token: 'secret:projects/p/secrets/e2e-hubspot/versions/latest',
      duplicate_detection: { enabled: true, match_fields: ['phone', 'email'] },
      field_mappings: {
        phone: 'phone',
        firstname: 'customer_name_first',
        lastname: 'customer_name_last',
        city: 'customer_city',
        state: 'customer_state',
        lead_source: 'source',
        lead_source_detail: 'call_id',
      },
      custom_properties: [
        { name: 'ai_project_type', value: 'ai_analysis.project_type', type: 'enumeration' },
        { name: 'ai_timeline', value: 'ai_analysis.timeline', type: 'enumeration' },
        { name: 'ai_lead_score', value: 'ai_analysis.lead_score', type: 'number' },
        { name: 'call_duration', value: 'call_details.duration', type: 'number' },
      ],
    },
  });
}

function webhook(callId: string, city: string): string {
  return JSON.stringify({
    resource_id: callId,
    company_id: 12345,
    customer_phone_number: '+15551234567',
    customer_name: 'Jane Doe',
    customer_city: city,
    customer_state: 'CA',
    duration: '180',
    answered: true,
    source_name: 'Google Ads',
    transcription: 'Caller: new kitchen as soon as possible',
  });
}

describe('a signed CallRail webhook, end to end on the real broker', {
  timeout: GROUP_JOINING_TEST_TIMEOUT_MS,
}, () => {
  const settings = isolatedSettings();
  let hubspot: HubSpotEmulator;
  let app: RunningLeadstream;

  beforeAll(async () => {
    hubspot = await startHubSpotEmulator({ portals: [{ token: HUBSPOT_TOKEN }] });
    defineGuideProperties(hubspot.portal(HUBSPOT_TOKEN));
    app = await startLeadstream(settings, ['gateway', 'enricher', 'mapper', 'delivery'], {
      tenants: DirectoryTenantSource.fromConfigs([tenantFile(hubspot.url)]),
      secrets: new EnvSecretResolver({
        LEADSTREAM_SECRET_E2E_HUBSPOT: HUBSPOT_TOKEN,
        LEADSTREAM_SECRET_E2E_CALLRAIL: SIGNING_TOKEN,
      }),
      analyzer: fixedAnalyzer,
      clock: fixedClock(NOW),
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    });
    await waitFor('every role ready', () => (app.ready() ? true : undefined), 60_000);
  });

  afterAll(async () => {
    await app?.stop();
    await hubspot?.stop();
  });

  async function post(body: string): Promise<Response> {
    return fetch(`${app.gatewayUrl}/v1/callrail/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', signature: callRailSignature(body, SIGNING_TOKEN) },
      body,
    });
  }

  it('creates the contact in HubSpot, and every topic holds the expected Avro record', async () => {
    const response = await post(webhook('CAL0001', 'Los Angeles'));
    expect(response.status).toBe(202);

    const contact = await waitFor('the contact in HubSpot', () => hubspot.contacts(HUBSPOT_TOKEN)[0], 30_000);
    expect(contact.properties).toMatchObject({
      phone: '+15551234567',
      firstname: 'Jane',
      lastname: 'Doe',
      city: 'Los Angeles',
      state: 'CA',
      lead_source: 'Google Ads',
      lead_source_detail: 'CAL0001',
      ai_project_type: 'kitchen',
      ai_timeline: 'immediate',
      ai_lead_score: '92',
      call_duration: '180',
    });

    const registry = new SchemaRegistry({ host: REGISTRY_URL });
    const decodeAll = async (topic: string) =>
      Promise.all(
        (await readTopic(topic, 1)).map(async (m) => ({
          key: m.key,
          value: await registry.decode(m.value ?? Buffer.alloc(0)),
        })),
      );

    const expectedRaw: RawCall = {
      call_id: 'CAL0001',
      tenant_id: 'tenant_your_company',
      source_kind: 'callrail_call',
      source_name: null,
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
      recording_url: null,
      transcription: 'Caller: new kitchen as soon as possible',
      source: 'Google Ads',
      tracking_number: null,
      start_time: null,
      form_fields: {},
      marketing: {},
      received_at: Date.parse(NOW),
    };
    const [raw] = await decodeAll(settings.TOPIC_RAW_CALLS);
    expect(raw?.key).toBe('tenant_your_company');
    expect(JSON.parse(JSON.stringify(raw?.value))).toEqual(expectedRaw);

    const [enriched] = await decodeAll(settings.TOPIC_ENRICHED_CALLS);
    expect(enriched?.key).toBe('tenant_your_company');
    expect(JSON.parse(JSON.stringify(enriched?.value))).toEqual({
      call: expectedRaw,
      ai_analysis: FIXED_ANALYSIS,
      enriched_at: Date.parse(NOW),
    });

    const [command] = await decodeAll(settings.TOPIC_CRM_COMMANDS);
    expect(command?.key).toBe('tenant_your_company');
    const value = JSON.parse(JSON.stringify(command?.value)) as {
      operations: Array<{ kind: string; payload_json: string }>;
    };
    expect(value).toMatchObject({
      idempotency_key: idempotencyKey('tenant_your_company', 'CAL0001'),
      tenant_id: 'tenant_your_company',
      call_id: 'CAL0001',
      crm_type: 'hubspot',
      duplicate_detection: {
        match_fields: ['phone', 'email'],
        match_strategy: 'exact',
        action: 'update_existing',
      },
      created_at: Date.parse(NOW),
    });
    const contactOperation = value.operations.find((operation) => operation.kind === 'upsert_contact');
    expect(JSON.parse(contactOperation?.payload_json ?? '{}')).toMatchObject({
      properties: {
        phone: '+15551234567',
        firstname: 'Jane',
        lastname: 'Doe',
        lead_source_detail: 'CAL0001',
        ai_lead_score: 92,
        call_duration: 180,
      },
    });
  });

  it('updates the same contact when the caller phones again, instead of creating a second', async () => {
    expect((await post(webhook('CAL0002', 'Pasadena'))).status).toBe(202);
    await waitFor('the contact updated by the second call', () =>
      hubspot.contacts(HUBSPOT_TOKEN)[0]?.properties.lead_source_detail === 'CAL0002' ? true : undefined,
    );
    expect(hubspot.contacts(HUBSPOT_TOKEN)).toHaveLength(1);
    expect(hubspot.contacts(HUBSPOT_TOKEN)[0]?.properties.city).toBe('Pasadena');
  });
});
