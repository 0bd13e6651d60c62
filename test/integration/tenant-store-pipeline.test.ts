import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmAdapter, CrmContext, DeliveryResult } from '../../src/crm/crm-adapter.js';
import { replayDeadLetters } from '../../src/dead-letters/replay-dead-letters.js';
import type { CrmCommand } from '../../src/events/crm-command.js';
import type { RawCall } from '../../src/events/raw-call.js';
import { AvroSerde } from '../../src/kafka/avro-serde.js';
import { DEAD_LETTER_HEADERS } from '../../src/kafka/dead-letter-writer.js';
import { EventProducer } from '../../src/kafka/event-producer.js';
import { createKafka } from '../../src/kafka/kafka-client.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { type RunningLeadstream, startLeadstream } from '../../src/roles/runtime.js';
import { fixedClock } from '../../src/time/clock.js';
import { isolatedSettings, REGISTRY_URL } from '../support/platform.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { readTopic } from '../support/topic-reader.js';
import { waitFor } from '../support/wait-for.js';

/** The CRM port as a recorder: what the pipeline would have sent, call by call. */
class RecordingCrm implements CrmAdapter {
  readonly type = 'hubspot' as const;
  readonly delivered: CrmCommand[] = [];

  async execute(command: CrmCommand, _context: CrmContext): Promise<DeliveryResult> {
    this.delivered.push(command);
    return { outcomes: [{ ref: 'contact', object_type: 'contacts', id: '1', action: 'created' }] };
  }

  command(callId: string): CrmCommand | undefined {
    return this.delivered.find((c) => c.call_id === callId);
  }
}

/** The guide's configuration column for a HubSpot tenant (tenant_id is the row's). */
const configuration = {
  name: 'Acme Remodeling',
  crm_config: {
    type: 'hubspot',
    api_token: 'secret:projects/acme/secrets/hubspot-token-tenant-acme/versions/latest',
    field_mappings: { phone: 'customer_phone', firstname: 'customer_name_first' },
  },
};

function rawCall(callId: string, tenantId: string): RawCall {
  return {
    call_id: callId,
    tenant_id: tenantId,
    source_kind: 'callrail_call',
    source_name: null,
    callrail_event: null,
    callrail_company_id: null,
    customer_phone: '+15551234567',
    customer_name: 'Jane Doe',
    customer_email: null,
    customer_city: 'Austin',
    customer_state: null,
    duration_seconds: 120,
    answered: true,
    voicemail: null,
    recording_url: null,
    transcription: 'kitchen remodel',
    source: null,
    tracking_number: null,
    start_time: null,
    form_fields: {},
    marketing: {},
    received_at: Date.parse('2026-11-25T10:00:00Z'),
  };
}

function contactOf(command: CrmCommand | undefined): Record<string, unknown> {
  const contact = command?.operations.find((op) => op.kind === 'upsert_contact');
  return contact
    ? (JSON.parse(contact.payload_json) as { properties: Record<string, unknown> }).properties
    : {};
}

describe('tenants in PostgreSQL, changed while the pipeline runs on the real broker', () => {
  // A wait for an unknown tenant far longer than a stop takes on a slow machine, so the two cannot be
  // confused by the last test.
  const settingsOverrides = { TENANT_STORE: 'postgres', TENANT_UNKNOWN_RETRY_MS: '120000' };
  let settings: ReturnType<typeof isolatedSettings>;
  let db: TestDatabase;
  let app: RunningLeadstream;
  const crm = new RecordingCrm();
  const metrics = new Metrics({ processMetrics: false, tenantLabel: true });
  let producer: EventProducer;
  let serde: AvroSerde;
  const kafka = () =>
    createKafka({
      brokers: settings.KAFKA_BROKERS,
      clientId: 'test',
      logger: createLogger({ level: 'silent' }),
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    settings = isolatedSettings({ ...settingsOverrides, DATABASE_URL: db.url });
    // The runtime makes the store from TENANT_STORE and DATABASE_URL, as a deployment does.
    app = await startLeadstream(settings, ['enricher', 'mapper', 'delivery'], {
      crmAdapters: [crm],
      clock: fixedClock('2026-11-25T10:00:00Z'),
      metrics,
      logger: createLogger({ level: (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent' }),
    });
    await waitFor('every consumer in its group', () => (app.ready() ? true : undefined), 60_000);
    producer = new EventProducer(kafka(), new Metrics({ processMetrics: false }), {
      maxRecordBytes: settings.KAFKA_MAX_RECORD_BYTES,
      logger: createLogger({ level: 'silent' }),
    });
    await producer.connect();
    serde = new AvroSerde({ url: REGISTRY_URL });
    await serde.register(settings.TOPIC_RAW_CALLS, 'RawCall');
  });
  afterAll(async () => {
    await producer?.disconnect();
    await app?.stop();
    await db?.drop();
  });

  async function publish(call: RawCall): Promise<void> {
    const value = serde.encode(settings.TOPIC_RAW_CALLS, 'RawCall', call);
    await producer.send({ topic: settings.TOPIC_RAW_CALLS, key: call.tenant_id, value });
  }

  const insert = (tenantId: string) =>
    db.pool.query('INSERT INTO tenants (tenant_id, configuration) VALUES ($1, $2)', [
      tenantId,
      configuration,
    ]);

  const delivered = (callId: string) => waitFor(`${callId} delivered`, () => crm.command(callId), 30_000);

  /** Waits until this process runs the row's current version (its leadstream_tenant_config_version). */
  async function inForce(tenantId: string): Promise<void> {
    const { rows } = await db.pool.query<{ version: string }>(
      'SELECT version FROM tenants WHERE tenant_id = $1',
      [tenantId],
    );
    const version = Number(rows[0]?.version);
    await waitFor(`${tenantId} version ${version} in force`, async () => {
      const gauge = await metrics.tenantConfigVersion.get();
      return gauge.values.some((v) => v.labels.tenant === tenantId && v.value === version) ? true : undefined;
    });
  }

  /** Until the enricher holds a call (the one waiting on the store for its tenant). */
  const enricherWaiting = () =>
    waitFor('the enricher waiting on the store', async () => {
      const gauge = await metrics.runnerMessages.get();
      return gauge.values.some(
        (v) => v.labels.stage === 'enricher' && v.labels.state === 'running' && v.value > 0,
      )
        ? true
        : undefined;
    });

  async function deadLetterTypes(): Promise<string[]> {
    const total = await metrics.registry.getSingleMetricAsString('leadstream_dead_letters_total');
    return [...total.matchAll(/error_type="([a-z_]+)"/g)].map((m) => m[1] ?? '');
  }

  it('delivers a call that arrived before its tenant was inserted, once the row appears, without a restart', async () => {
    await publish(rawCall('call-early', 'tenant_new'));
    // The enricher meets a tenant it does not know and waits on the store for it: waited for, where a
    // fixed pause could end, on a loaded machine, before the enricher had even taken the call.
    await enricherWaiting();
    expect(crm.command('call-early')).toBeUndefined();
    await insert('tenant_new');

    expect(contactOf(await delivered('call-early'))).toMatchObject({ firstname: 'Jane' });
    await publish(rawCall('call-next', 'tenant_new'));
    await delivered('call-next');
    expect(await deadLetterTypes()).toEqual([]);
  });

  it("takes the guide's duplicate-detection UPDATE (jsonb form) on the next call", async () => {
    await insert('tenant_dupes');
    await publish(rawCall('call-before', 'tenant_dupes'));
    expect((await delivered('call-before')).duplicate_detection).toBeNull();

    await db.pool.query(`UPDATE tenants
      SET configuration = jsonb_set(configuration, '{crm_config,duplicate_detection}',
        '{"enabled": true, "match_fields": ["phone", "email"], "match_strategy": "exact", "action": "update_existing"}')
      WHERE tenant_id = 'tenant_dupes'`);
    await inForce('tenant_dupes');
    await publish(rawCall('call-after', 'tenant_dupes'));
    expect((await delivered('call-after')).duplicate_detection).toEqual({
      match_fields: ['phone', 'email'],
      match_strategy: 'exact',
      action: 'update_existing',
    });
  });

  it('refuses an invalid update at load and keeps delivering with the previous configuration', async () => {
    await insert('tenant_typo');
    await publish(rawCall('call-good', 'tenant_typo'));
    await delivered('call-good');

    await db.pool.query(`UPDATE tenants
      SET configuration = jsonb_set(configuration, '{crm_config,field_mappings,city}', '"{{customer_city"')
      WHERE tenant_id = 'tenant_typo'`);
    await waitFor('the refusal counted', async () =>
      (await metrics.registry.getSingleMetricAsString('leadstream_tenant_config_rejections_total')).includes(
        'tenant="tenant_typo"} 1',
      )
        ? true
        : undefined,
    );
    await publish(rawCall('call-still', 'tenant_typo'));
    const contact = contactOf(await delivered('call-still'));
    expect(contact).toMatchObject({ firstname: 'Jane' });
    expect(contact).not.toHaveProperty('city');
  });

  it('dead-letters a disabled tenant as tenant_disabled and delivers the call replayed after enabling', async () => {
    await insert('tenant_paused');
    await db.pool.query("UPDATE tenants SET enabled = false WHERE tenant_id = 'tenant_paused'");
    await inForce('tenant_paused');
    await publish(rawCall('call-paused', 'tenant_paused'));
    const letters = await readTopic(settings.TOPIC_DEAD_LETTERS, 1);
    expect(letters[0]?.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.errorType]: 'tenant_disabled',
      [DEAD_LETTER_HEADERS.tenantId]: 'tenant_paused',
      [DEAD_LETTER_HEADERS.callId]: 'call-paused',
    });
    expect(crm.command('call-paused')).toBeUndefined();

    await db.pool.query("UPDATE tenants SET enabled = true WHERE tenant_id = 'tenant_paused'");
    await inForce('tenant_paused');
    const replayProducer = new EventProducer(kafka(), new Metrics({ processMetrics: false }), {
      maxRecordBytes: settings.KAFKA_MAX_RECORD_BYTES,
      logger: createLogger({ level: 'silent' }),
    });
    await replayProducer.connect();
    try {
      const report = await replayDeadLetters({
        kafka: kafka(),
        producer: replayProducer,
        topic: settings.TOPIC_DEAD_LETTERS,
        selection: { errorType: 'tenant_disabled' },
        dryRun: false,
      });
      expect(report.replayed).toBe(1);
    } finally {
      await replayProducer.disconnect();
    }
    await delivered('call-paused');
  });

  it('stops within seconds while a call waits for a tenant that is not in the store', async () => {
    await publish(rawCall('call-ghost', 'tenant_ghost'));
    await enricherWaiting();
    const started = Date.now();
    await app.stop();
    // Not the 120 s of TENANT_UNKNOWN_RETRY_MS: the wait ends with the drain, the call left uncommitted.
    // A stop takes a few seconds on a 2-core machine running other tests.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await deadLetterTypes()).not.toContain('unknown_tenant');
  });
});
