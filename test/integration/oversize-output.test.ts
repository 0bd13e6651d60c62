import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectoryTenantSource } from '../../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../../src/config/tenants/tenant-config.js';
import { type RawCall, unknownCall } from '../../src/events/raw-call.js';
import { AvroSerde } from '../../src/kafka/avro-serde.js';
import { DEAD_LETTER_HEADERS } from '../../src/kafka/dead-letter-writer.js';
import { EventProducer } from '../../src/kafka/event-producer.js';
import { createKafka } from '../../src/kafka/kafka-client.js';
import { recordSize } from '../../src/kafka/record-size.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { type RunningLeadstream, startLeadstream } from '../../src/roles/runtime.js';
import { fixedClock } from '../../src/time/clock.js';
import { FIXED_ANALYSIS, fixedAnalyzer } from '../support/fixed-analyzer.js';
import { tenantsByPartition } from '../support/partition-keys.js';
import { isolatedSettings, KAFKA_BROKERS, REGISTRY_URL } from '../support/platform.js';
import { readTopic } from '../support/topic-reader.js';
import { GROUP_JOINING_TEST_TIMEOUT_MS, waitFor } from '../support/wait-for.js';

const LIMIT = 20_000;
const NOW = '2026-12-02T05:00:00Z';
/** Two tenants whose leads share partition 0 of the 3-partition topics isolatedSettings makes. */
const [grown, next] = tenantsByPartition(3, 2)[0] ?? [];

function tenant(tenantId: string) {
  return tenantConfigSchema.parse({
    tenant_id: tenantId,
    crm_config: { type: 'hubspot', api_token: 'unused', field_mappings: { phone: 'customer_phone' } },
  });
}

function rawCall(tenantId: string, callId: string, transcription: string): RawCall {
  return {
    ...unknownCall({ call_id: callId, tenant_id: tenantId, received_at: Date.parse(NOW) }),
    customer_phone: '+15551234567',
    customer_name: 'Jane Doe',
    duration_seconds: 120,
    answered: true,
    transcription,
  };
}

describe('a stage output over KAFKA_MAX_RECORD_BYTES, on the real broker', {
  timeout: GROUP_JOINING_TEST_TIMEOUT_MS,
}, () => {
  const running: RunningLeadstream[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.stop()));
  });

  it('dead-letters the input it came from, once, and the partition moves on to the next tenant', async () => {
    if (grown === undefined || next === undefined) throw new Error('no two tenants on partition 0');
    const settings = isolatedSettings({ KAFKA_MAX_RECORD_BYTES: String(LIMIT) });
    const app = await startLeadstream(settings, ['enricher'], {
      tenants: DirectoryTenantSource.fromConfigs([tenant(grown), tenant(next)]),
      analyzer: fixedAnalyzer,
      clock: fixedClock(NOW),
      logger: createLogger({ level: 'silent' }),
    });
    running.push(app);
    await waitFor('the enricher in its group', () => (app.ready() ? true : undefined), 60_000);

    const serde = new AvroSerde({ url: REGISTRY_URL });
    await serde.register(settings.TOPIC_RAW_CALLS, 'RawCall');
    await serde.register(settings.TOPIC_ENRICHED_CALLS, 'EnrichedCall');
    // A RawCall the gateway would take (just under the limit) whose analysis takes it over.
    const empty = recordSize({
      key: grown,
      value: serde.encode(settings.TOPIC_RAW_CALLS, 'RawCall', rawCall(grown, 'call-grown', '')),
    });
    const big = rawCall(grown, 'call-grown', 'x'.repeat(LIMIT - empty - 20));
    const bigBytes = serde.encode(settings.TOPIC_RAW_CALLS, 'RawCall', big);
    expect(recordSize({ key: grown, value: bigBytes })).toBeLessThanOrEqual(LIMIT);
    const enriched = serde.encode(settings.TOPIC_ENRICHED_CALLS, 'EnrichedCall', {
      call: big,
      ai_analysis: FIXED_ANALYSIS,
      enriched_at: Date.parse(NOW),
    });
    expect(recordSize({ key: grown, value: enriched })).toBeGreaterThan(LIMIT);

    const logger = createLogger({ level: 'silent' });
    const producer = new EventProducer(
      createKafka({ brokers: settings.KAFKA_BROKERS, clientId: 'test', logger }),
      new Metrics({ processMetrics: false }),
      { maxRecordBytes: LIMIT, logger },
    );
    await producer.connect();
    try {
      await producer.send({ topic: settings.TOPIC_RAW_CALLS, key: grown, value: bigBytes });
      await producer.send({
        topic: settings.TOPIC_RAW_CALLS,
        key: next,
        value: serde.encode(
          settings.TOPIC_RAW_CALLS,
          'RawCall',
          rawCall(next, 'call-next', 'kitchen remodel'),
        ),
      });
    } finally {
      await producer.disconnect();
    }

    const [written] = await readTopic(settings.TOPIC_ENRICHED_CALLS, 1);
    expect(written?.key).toBe(next);
    expect(written?.partition).toBe(0);
    const [letter] = await readTopic(settings.TOPIC_DEAD_LETTERS, 1);
    expect(letter?.key).toBe(grown);
    expect(letter?.value?.equals(bigBytes)).toBe(true);
    expect(letter?.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.errorType]: 'record_too_large',
      [DEAD_LETTER_HEADERS.retryable]: 'false',
      [DEAD_LETTER_HEADERS.stage]: 'enricher',
      [DEAD_LETTER_HEADERS.sourceTopic]: settings.TOPIC_RAW_CALLS,
      [DEAD_LETTER_HEADERS.sourceOffset]: '0',
      [DEAD_LETTER_HEADERS.callId]: 'call-grown',
      [DEAD_LETTER_HEADERS.recordLimit]: String(LIMIT),
    });
    expect(Number(letter?.headers[DEAD_LETTER_HEADERS.recordBytes])).toBeGreaterThan(LIMIT);

    // Both inputs committed: nothing of partition 0 is left to consume again.
    const admin = new Kafka({ brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await waitFor('both inputs committed', async () => {
        const [offsets] = await admin.fetchOffsets({
          groupId: `${settings.KAFKA_CONSUMER_GROUP_PREFIX}-enricher`,
          topics: [settings.TOPIC_RAW_CALLS],
        });
        const committed = offsets?.partitions.find(({ partition }) => partition === 0)?.offset;
        return committed === '2' ? true : undefined;
      });
      // One record each, counted by the high watermarks: the input was neither dead-lettered twice
      // nor enriched after all.
      const total = async (topic: string) =>
        (await admin.fetchTopicOffsets(topic)).reduce((sum, { high }) => sum + Number(high), 0);
      expect(await total(settings.TOPIC_DEAD_LETTERS)).toBe(1);
      expect(await total(settings.TOPIC_ENRICHED_CALLS)).toBe(1);
    } finally {
      await admin.disconnect();
    }
  });
});
