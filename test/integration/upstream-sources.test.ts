import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryTenantSource } from '../../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../../src/config/tenants/tenant-config.js';
import { type RawCall, unknownCall } from '../../src/events/raw-call.js';
import { loadEventSchemas } from '../../src/kafka/avro-schemas.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { type RunningLeadstream, startLeadstream } from '../../src/roles/runtime.js';
import { EnvSecretResolver } from '../../src/secrets/env-secret-resolver.js';
import { type CallRailApi, startCallRailApi } from '../emulators/callrail/calls-api.js';
import { type HubSpotEmulator, startHubSpotEmulator } from '../emulators/hubspot/emulator.js';
import { defineGuideProperties } from '../emulators/hubspot/guide-properties.js';
import { captureLogLines } from '../support/log-capture.js';
import { isolatedSettings, KAFKA_BROKERS, REGISTRY_URL } from '../support/platform.js';
import { readTopic } from '../support/topic-reader.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Leads from producers outside leadstream (docs/producing-events.md): written with a schema newer than
 * the pipeline's, or naming themselves upstream, they reach the CRM labelled as what they are and are
 * never taken for a CallRail call (no transcript asked of CallRail, nothing on the call timeline).
 */

const HUBSPOT_TOKEN = 'pat-na1-upstream-sources';
const TENANT = 'tenant_upstream';

interface AvroField {
  name: string;
  type: unknown;
}
interface AvroEnum {
  type: 'enum';
  symbols: string[];
}

/** RawCall as a newer leadstream would register it: a source_kind symbol this one does not know. */
function newerRawCallSchema(symbol: string): string {
  const schema = JSON.parse(loadEventSchemas().get('RawCall')?.text ?? '{}') as { fields: AvroField[] };
  const fields = schema.fields.map((field) => {
    if (field.name !== 'source_kind') return field;
    const kind = field.type as AvroEnum;
    return { ...field, type: { ...kind, symbols: [...kind.symbols, symbol] } };
  });
  return JSON.stringify({ ...schema, fields });
}

describe('upstream producers on the real broker and registry', () => {
  const settings = isolatedSettings();
  const captured = captureLogLines();
  const metrics = new Metrics({ processMetrics: false, tenantLabel: false });
  const registry = new SchemaRegistry({ host: REGISTRY_URL });
  const kafka = new Kafka({
    clientId: 'upstream-test',
    brokers: KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  });
  let producer: Producer;
  let hubspot: HubSpotEmulator;
  let callrail: CallRailApi;
  let app: RunningLeadstream;

  beforeAll(async () => {
    hubspot = await startHubSpotEmulator({ portals: [{ token: HUBSPOT_TOKEN }] });
    defineGuideProperties(hubspot.portal(HUBSPOT_TOKEN));
    // Whatever is asked of CallRail would be seen here: a record that is no CallRail call asks nothing.
    callrail = await startCallRailApi({ accountId: 'ACC1', apiKey: 'callrail-upstream-key', calls: [] });
    const tenant = tenantConfigSchema.parse({
      tenant_id: TENANT,
      callrail: {
        signing_secret: 'upstream-signing-secret',
        account_id: 'ACC1',
        api_key: 'callrail-upstream-key',
        api_base_url: callrail.baseUrl,
      },
      crm_config: {
        type: 'hubspot',
        base_url: hubspot.url,
        api_token: 'secret:projects/p/secrets/upstream-hubspot/versions/latest',
        field_mappings: {
          email: 'email',
          firstname: 'customer_name_first',
          lastname: 'customer_name_last',
          lead_source: 'source',
          lead_source_detail: '{{source_kind}} {{source_name}}',
        },
      },
    });
    app = await startLeadstream(settings, ['enricher', 'mapper', 'delivery'], {
      tenants: DirectoryTenantSource.fromConfigs([tenant]),
      secrets: new EnvSecretResolver({ LEADSTREAM_SECRET_UPSTREAM_HUBSPOT: HUBSPOT_TOKEN }),
      metrics,
      logger: createLogger({ level: 'info', destination: captured.stream }),
    });
    await waitFor('every role ready', () => (app.ready() ? true : undefined), 60_000);
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await app?.stop();
    await hubspot?.stop();
    await callrail?.close();
  });

  const currentSchema = loadEventSchemas().get('RawCall')?.text ?? '';

  async function encoded(schema: string, record: Record<string, unknown>): Promise<Buffer> {
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema },
      { subject: `${settings.TOPIC_RAW_CALLS}-value` },
    );
    return registry.encode(id, record);
  }

  async function publish(schema: string, record: Record<string, unknown>): Promise<void> {
    await producer.send({
      topic: settings.TOPIC_RAW_CALLS,
      acks: -1,
      messages: [{ key: TENANT, value: await encoded(schema, record) }],
    });
  }

  function lead(callId: string, email: string): RawCall {
    return {
      ...unknownCall({ call_id: callId, tenant_id: TENANT, received_at: Date.now() }),
      customer_name: 'Dana Whitfield',
      customer_email: email,
      // What a CallRail call lacking its transcript looks like: answered unknown, nothing transcribed.
      transcription: null,
    };
  }

  const contactWith = (email: string) =>
    waitFor(`the contact ${email} in HubSpot`, () =>
      hubspot.contacts(HUBSPOT_TOKEN).find((contact) => contact.properties.email === email),
    );

  it('delivers a record whose source_kind the pipeline does not know as unknown, with its source_name', async () => {
    const email = 'dana.chat@example.com';
    await publish(newerRawCallSchema('chat_transcript'), {
      ...lead('CHAT-1', email),
      source_kind: 'chat_transcript',
      source_name: 'acme-chat-widget',
    });

    const contact = await contactWith(email);
    expect(contact.properties).toMatchObject({
      lead_source: 'acme-chat-widget',
      lead_source_detail: 'unknown acme-chat-widget',
      firstname: 'Dana',
    });
    expect(callrail.requests).toEqual([]);
    expect(hubspot.calls(HUBSPOT_TOKEN)).toEqual([]);
    const deadLetters = await metrics.registry.getSingleMetricAsString('leadstream_dead_letters_total');
    expect(deadLetters).not.toMatch(/^leadstream_dead_letters_total\{/m);
  });

  it('delivers an upstream_call as a phone call on the timeline, without asking CallRail for its transcript', async () => {
    const email = 'dana.phone@example.com';
    await publish(currentSchema, {
      ...lead('TEL-1', email),
      source_kind: 'upstream_call',
      source_name: 'acme-telephony',
      answered: true,
      duration_seconds: 240,
    });

    const contact = await contactWith(email);
    expect(contact.properties).toMatchObject({
      lead_source: 'acme-telephony',
      lead_source_detail: 'upstream_call acme-telephony',
    });
    const call = await waitFor('the call on the contact timeline', () => hubspot.calls(HUBSPOT_TOKEN)[0]);
    expect(call.properties.hs_call_duration).toBe('240000');
    expect(callrail.requests).toEqual([]);
  });

  it('dead-letters records that break the contract with the field named, counts them per producer, and goes on', async () => {
    const email = 'dana.after@example.com';
    // One key, so one partition: the good lead comes after the two bad ones.
    await producer.send({
      topic: settings.TOPIC_RAW_CALLS,
      acks: -1,
      messages: [
        {
          key: TENANT,
          value: Buffer.from(JSON.stringify(lead('JSON-1', 'json@example.com'))),
          headers: { 'leadstream-producer': 'acme-importer', 'leadstream-correlation-id': 'req-7f3a' },
        },
        {
          key: TENANT,
          value: await encoded(currentSchema, {
            ...lead('CHAT-2', 'chat2@example.com'),
            source_kind: 'upstream_lead',
            source_name: 'Acme Chat!',
          }),
          headers: { 'leadstream-producer': 'acme-chat-widget' },
        },
        {
          key: TENANT,
          value: await encoded(currentSchema, {
            ...lead('CHAT-3', email),
            source_kind: 'upstream_lead',
            source_name: 'acme-chat-widget',
          }),
          headers: { 'leadstream-producer': 'acme-chat-widget' },
        },
      ],
    });

    await contactWith(email);
    const letters = await readTopic(settings.TOPIC_DEAD_LETTERS, 2);
    // Counted and logged once the dead letter is acknowledged, which a reader of the topic may beat.
    const deadLettered = await waitFor('the dead letter of acme-importer logged', () =>
      captured.lines().find((line) => line.status === 'dead_lettered' && line.producer === 'acme-importer'),
    );
    await waitFor('the dead letter of acme-chat-widget logged', () =>
      captured
        .lines()
        .find((line) => line.status === 'dead_lettered' && line.producer === 'acme-chat-widget'),
    );
    expect(letters.map((letter) => letter.headers['leadstream-error-message'])).toEqual([
      expect.stringContaining('not in the Confluent wire format'),
      'RawCall source_name "Acme Chat!" does not match ^[a-z0-9][a-z0-9._-]{0,63}$',
    ]);
    expect(letters.map((letter) => letter.headers['leadstream-error-type'])).toEqual([
      'serde_error',
      'validation_error',
    ]);
    const rejections = await metrics.registry.getSingleMetricAsString('leadstream_upstream_rejections_total');
    expect(rejections).toContain(
      'leadstream_upstream_rejections_total{producer="acme-importer",reason="not_wire_format"} 1',
    );
    expect(rejections).toContain(
      'leadstream_upstream_rejections_total{producer="acme-chat-widget",reason="invalid_source_name"} 1',
    );
    expect(deadLettered).toMatchObject({ correlation_id: 'req-7f3a', error_type: 'serde_error' });
  });

  it('delivers a record keyed other than by its tenant_id, with a warning naming its producer, and counts it', async () => {
    const email = 'dana.marketplace@example.com';
    await producer.send({
      topic: settings.TOPIC_RAW_CALLS,
      acks: -1,
      messages: [
        {
          // The call's id as key, a common slip: the tenant's records spread over partitions.
          key: 'MKT-1',
          value: await encoded(currentSchema, {
            ...lead('MKT-1', email),
            source_kind: 'upstream_lead',
            source_name: 'acme-marketplace',
          }),
          headers: { 'leadstream-producer': 'acme-marketplace' },
        },
        {
          key: null,
          value: await encoded(currentSchema, {
            ...lead('MKT-2', 'dana.nokey@example.com'),
            source_kind: 'upstream_lead',
            source_name: 'acme-marketplace',
          }),
          headers: { 'leadstream-producer': 'acme-marketplace' },
        },
      ],
    });

    expect((await contactWith(email)).properties.lead_source).toBe('acme-marketplace');
    await contactWith('dana.nokey@example.com');
    const mismatches = await metrics.registry.getSingleMetricAsString(
      'leadstream_upstream_key_mismatches_total',
    );
    expect(mismatches).toContain('leadstream_upstream_key_mismatches_total{producer="acme-marketplace"} 2');
    // Every record the earlier tests sent was keyed by its tenant_id: none of them is counted.
    expect(mismatches).not.toMatch(/producer="(?!acme-marketplace)/);
    const warnings = captured.lines().filter((line) => line.status === 'key_not_tenant_id');
    // Two partitions: either may come first.
    expect(warnings).toHaveLength(2);
    expect(warnings).toEqual(
      expect.arrayContaining(
        ['MKT-1', 'MKT-2'].map((call_id) =>
          expect.objectContaining({
            severity: 'WARNING',
            tenant_id: TENANT,
            call_id,
            producer: 'acme-marketplace',
            workflow_step: 'enrichment',
          }),
        ),
      ),
    );
  });
});
