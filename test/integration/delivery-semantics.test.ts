import { afterEach, describe, expect, it } from 'vitest';
import { DirectoryTenantSource } from '../../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../../src/config/tenants/tenant-config.js';
import type { CrmAdapter, CrmContext, DeliveryResult } from '../../src/crm/crm-adapter.js';
import { replayDeadLetters } from '../../src/dead-letters/replay-dead-letters.js';
import { LeadstreamError } from '../../src/errors/leadstream-error.js';
import type { CrmCommand } from '../../src/events/crm-command.js';
import type { RawCall } from '../../src/events/raw-call.js';
import { AvroSerde } from '../../src/kafka/avro-serde.js';
import { DEAD_LETTER_HEADERS } from '../../src/kafka/dead-letter-writer.js';
import { EventProducer } from '../../src/kafka/event-producer.js';
import { createKafka } from '../../src/kafka/kafka-client.js';
import { RETRY_HEADERS } from '../../src/kafka/runner/retry-topics.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { type RunningLeadstream, startLeadstream } from '../../src/roles/runtime.js';
import { fixedClock } from '../../src/time/clock.js';
import { isolatedSettings, REGISTRY_URL } from '../support/platform.js';
import { readTopic } from '../support/topic-reader.js';
import { GROUP_JOINING_TEST_TIMEOUT_MS, waitFor } from '../support/wait-for.js';

const tenant = tenantConfigSchema.parse({
  tenant_id: 'tenant_semantics',
  crm_config: {
    type: 'hubspot',
    api_token: 'unused',
    field_mappings: { phone: 'customer_phone', firstname: 'customer_name_first' },
  },
});

/** A CRM port double that records what it was asked and fails as each call id says. */
class ScriptedCrm implements CrmAdapter {
  readonly type = 'hubspot' as const;
  readonly delivered: CrmCommand[] = [];
  private readonly attempts = new Map<string, number>();

  constructor(private readonly failures: Record<string, LeadstreamError[]> = {}) {}

  async execute(command: CrmCommand, _context: CrmContext): Promise<DeliveryResult> {
    const attempt = this.attempts.get(command.call_id) ?? 0;
    this.attempts.set(command.call_id, attempt + 1);
    const failure = this.failures[command.call_id]?.[attempt];
    if (failure) throw failure;
    this.delivered.push(command);
    return { outcomes: [{ ref: 'contact', object_type: 'contacts', id: '1', action: 'created' }] };
  }

  attemptsFor(callId: string): number {
    return this.attempts.get(callId) ?? 0;
  }
}

function rawCall(callId: string, tenantId = tenant.tenant_id): RawCall {
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
    customer_city: null,
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

describe('delivery semantics on the real broker', { timeout: GROUP_JOINING_TEST_TIMEOUT_MS }, () => {
  const running: RunningLeadstream[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
  });

  async function start(
    settings: ReturnType<typeof isolatedSettings>,
    crm: ScriptedCrm,
    metrics = new Metrics({ processMetrics: false }),
  ) {
    const app = await startLeadstream(settings, ['enricher', 'mapper', 'delivery'], {
      tenants: DirectoryTenantSource.fromConfigs([tenant]),
      crmAdapters: [crm],
      clock: fixedClock('2026-11-25T10:00:00Z'),
      metrics,
      logger: createLogger({ level: (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent' }),
    });
    running.push(app);
    await waitFor('every consumer in its group', () => (app.ready() ? true : undefined), 60_000);
    return app;
  }

  async function publishRaw(settings: ReturnType<typeof isolatedSettings>, values: Array<RawCall | Buffer>) {
    const metrics = new Metrics({ processMetrics: false });
    const kafka = createKafka({
      brokers: settings.KAFKA_BROKERS,
      clientId: 'test',
      logger: createLogger({ level: 'silent' }),
    });
    const producer = new EventProducer(kafka, metrics, {
      maxRecordBytes: settings.KAFKA_MAX_RECORD_BYTES,
      logger: createLogger({ level: 'silent' }),
    });
    const serde = new AvroSerde({ url: REGISTRY_URL });
    await serde.register(settings.TOPIC_RAW_CALLS, 'RawCall');
    await producer.connect();
    try {
      for (const value of values) {
        const bytes = Buffer.isBuffer(value)
          ? value
          : serde.encode(settings.TOPIC_RAW_CALLS, 'RawCall', value);
        const key = Buffer.isBuffer(value) ? tenant.tenant_id : value.tenant_id;
        await producer.send({ topic: settings.TOPIC_RAW_CALLS, key, value: bytes });
      }
    } finally {
      await producer.disconnect();
    }
  }

  it('dead-letters a permanent CRM rejection with its reason and still delivers the next lead', async () => {
    const settings = isolatedSettings();
    const crm = new ScriptedCrm({
      'call-bad': [new LeadstreamError('crm_rejected', 'Property values were not valid')],
    });
    const metrics = new Metrics({ processMetrics: false });
    await start(settings, crm, metrics);
    await publishRaw(settings, [rawCall('call-bad'), rawCall('call-good')]);

    await waitFor('the good lead delivered', () =>
      crm.delivered.some((c) => c.call_id === 'call-good') ? true : undefined,
    );
    const [letter] = await readTopic(settings.TOPIC_DEAD_LETTERS, 1);
    expect(letter?.key).toBe(tenant.tenant_id);
    expect(letter?.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.errorType]: 'crm_rejected',
      [DEAD_LETTER_HEADERS.retryable]: 'false',
      [DEAD_LETTER_HEADERS.stage]: 'delivery',
      [DEAD_LETTER_HEADERS.sourceTopic]: settings.TOPIC_CRM_COMMANDS,
      [DEAD_LETTER_HEADERS.tenantId]: tenant.tenant_id,
      [DEAD_LETTER_HEADERS.callId]: 'call-bad',
      [DEAD_LETTER_HEADERS.message]: 'Property values were not valid',
    });
    expect(crm.attemptsFor('call-bad')).toBe(1);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/leadstream_crm_pushes_total\{crm="hubspot",status="dead_lettered"\} 1/);
    expect(text).toMatch(/leadstream_dead_letters_total\{stage="delivery",error_type="crm_rejected"\} 1/);
  });

  it('retries a CRM outage in place and delivers exactly once when it recovers', async () => {
    const settings = isolatedSettings();
    const outage = () => new LeadstreamError('crm_unavailable', '503 Service Unavailable');
    const crm = new ScriptedCrm({ 'call-flaky': [outage(), outage()] });
    const metrics = new Metrics({ processMetrics: false });
    await start(settings, crm, metrics);
    await publishRaw(settings, [rawCall('call-flaky')]);

    await waitFor('the lead delivered after the outage', () =>
      crm.delivered.length === 1 ? true : undefined,
    );
    expect(crm.attemptsFor('call-flaky')).toBe(3);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/leadstream_crm_pushes_total\{crm="hubspot",status="retry"\} 2/);
    expect(text).toMatch(/leadstream_crm_pushes_total\{crm="hubspot",status="success"\} 1/);
  });

  it('parks a lead on a retry topic through an outage longer than the retries in process, and delivers it once after', async () => {
    const settings = isolatedSettings();
    const outage = () => new LeadstreamError('crm_unavailable', '503 Service Unavailable');
    // Three attempts in process (RETRY_MAX_ATTEMPTS); from the 1 s retry topic, one more failure, retried
    // in process there, then delivered.
    const crm = new ScriptedCrm({ 'call-down': Array.from({ length: 4 }, outage) });
    const metrics = new Metrics({ processMetrics: false });
    await start(settings, crm, metrics);
    await publishRaw(settings, [rawCall('call-down')]);

    await waitFor('the lead delivered after the outage', () =>
      crm.delivered.some((c) => c.call_id === 'call-down') ? true : undefined,
    );
    expect(crm.attemptsFor('call-down')).toBe(5);
    expect(crm.delivered.filter((c) => c.call_id === 'call-down')).toHaveLength(1);
    const [waited] = await readTopic(`${settings.TOPIC_CRM_COMMANDS}.retry.1s`, 1);
    expect(waited?.headers).toMatchObject({
      [RETRY_HEADERS.errorType]: 'crm_unavailable',
      [RETRY_HEADERS.hop]: '0',
      [RETRY_HEADERS.attempts]: '3',
    });
    const text = await metrics.registry.metrics();
    expect(text).not.toMatch(/leadstream_dead_letters_total\{/);
  });

  it('dead-letters bytes that are not Avro, and leads for unknown tenants, without stopping the partition', async () => {
    const settings = isolatedSettings();
    const crm = new ScriptedCrm();
    await start(settings, crm);
    await publishRaw(settings, [
      Buffer.from('{"not":"avro"}'),
      rawCall('call-stranger', 'tenant_nobody'),
      rawCall('call-after'),
    ]);

    await waitFor('the lead after the bad ones delivered', () =>
      crm.delivered.some((c) => c.call_id === 'call-after') ? true : undefined,
    );
    const letters = await readTopic(settings.TOPIC_DEAD_LETTERS, 2);
    const types = letters.map((l) => l.headers[DEAD_LETTER_HEADERS.errorType]).sort();
    expect(types).toEqual(['serde_error', 'unknown_tenant']);
    const serdeLetter = letters.find((l) => l.headers[DEAD_LETTER_HEADERS.errorType] === 'serde_error');
    expect(serdeLetter?.value?.toString()).toBe('{"not":"avro"}');
    expect(serdeLetter?.headers[DEAD_LETTER_HEADERS.stage]).toBe('enricher');
  });

  it('does not deliver a lead twice after a restart, and picks up what arrived while it was down', async () => {
    const settings = isolatedSettings();
    const first = new ScriptedCrm();
    const app = await start(settings, first);
    await publishRaw(settings, [rawCall('call-1')]);
    await waitFor('first lead delivered', () => (first.delivered.length === 1 ? true : undefined));
    await app.stop();

    await publishRaw(settings, [rawCall('call-2')]);
    const second = new ScriptedCrm();
    await start(settings, second);
    await waitFor('lead sent while down delivered', () => (second.delivered.length >= 1 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(second.delivered.map((c) => c.call_id)).toEqual(['call-2']);
  });

  it('replays a dead letter once its cause is fixed, and a dry run sends nothing', async () => {
    const settings = isolatedSettings();
    const rejection = new LeadstreamError('crm_rejected', 'Property "ai_lead_score" does not exist');
    const crm = new ScriptedCrm({ 'call-fixable': [rejection] });
    await start(settings, crm);
    await publishRaw(settings, [rawCall('call-fixable')]);
    await readTopic(settings.TOPIC_DEAD_LETTERS, 1);
    expect(crm.delivered).toEqual([]);

    const kafka = createKafka({
      brokers: settings.KAFKA_BROKERS,
      clientId: 'replay',
      logger: createLogger({ level: 'silent' }),
    });
    const producer = new EventProducer(kafka, new Metrics({ processMetrics: false }), {
      maxRecordBytes: settings.KAFKA_MAX_RECORD_BYTES,
      logger: createLogger({ level: 'silent' }),
    });
    await producer.connect();
    const admin = kafka.admin();
    await admin.connect();
    /** Records on crm-commands: a replayed one is acknowledged there before the replay returns. */
    const commands = async () =>
      (await admin.fetchTopicOffsets(settings.TOPIC_CRM_COMMANDS)).reduce(
        (sum, { high }) => sum + Number(high),
        0,
      );
    try {
      const replay = (dryRun: boolean, errorType: string) =>
        replayDeadLetters({
          kafka,
          producer,
          topic: settings.TOPIC_DEAD_LETTERS,
          selection: { errorType },
          dryRun,
        });
      const before = await commands();
      expect(await replay(false, 'crm_unavailable')).toEqual({ scanned: 1, replayed: 0, byTopic: {} });
      expect(await replay(true, 'crm_rejected')).toEqual({
        scanned: 1,
        replayed: 1,
        byTopic: { [settings.TOPIC_CRM_COMMANDS]: 1 },
      });
      // Counted on the topic rather than watched for at the CRM for a while, which a slow delivery outlasts.
      expect(await commands()).toBe(before);
      expect(crm.delivered).toEqual([]);

      await replay(false, 'crm_rejected');
      expect(await commands()).toBe(before + 1);
    } finally {
      await admin.disconnect();
      await producer.disconnect();
    }
    await waitFor('the replayed lead delivered', () => (crm.delivered.length === 1 ? true : undefined));
    expect(crm.delivered[0]?.call_id).toBe('call-fixable');
  });
});
