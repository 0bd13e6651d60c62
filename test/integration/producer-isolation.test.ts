import { randomUUID } from 'node:crypto';
import { type Admin, ConfigResourceTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../src/config/settings.js';
import { LeadstreamError } from '../../src/errors/leadstream-error.js';
import { EventProducer } from '../../src/kafka/event-producer.js';
import { createKafka } from '../../src/kafka/kafka-client.js';
import { DEAD_LETTER_HEADROOM_BYTES } from '../../src/kafka/record-size.js';
import { createTopicsWithLeaders } from '../../src/kafka/topic-leaders.js';
import { ensureTopics } from '../../src/kafka/topics.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { captureLogLines } from '../support/log-capture.js';
import { tenantsByPartition } from '../support/partition-keys.js';
import { isolatedSettings, KAFKA_BROKERS } from '../support/platform.js';
import { readTopic } from '../support/topic-reader.js';

const PARTITIONS = 3;
const TENANTS = tenantsByPartition(PARTITIONS, 4);
/** The broker refuses batches over this on the test topics, far below KAFKA_MAX_RECORD_BYTES. */
const TOPIC_MAX_MESSAGE_BYTES = 10_000;

function tenantOn(partition: number, index = 0): string {
  const tenant = TENANTS[partition]?.[index];
  if (tenant === undefined) throw new Error(`no tenant ${index} on partition ${partition}`);
  return tenant;
}

const kafka = new Kafka({
  clientId: 'producer-isolation',
  brokers: KAFKA_BROKERS.split(','),
  logLevel: logLevel.NOTHING,
});
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin.disconnect();
});

/** A fresh topic whose max.message.bytes makes the broker, not the producer, refuse a 20 KB record. */
async function smallRecordTopic(): Promise<string> {
  const topic = `isolation-${randomUUID().slice(0, 8)}`;
  await createTopicsWithLeaders(admin, [
    {
      topic,
      numPartitions: PARTITIONS,
      configEntries: [{ name: 'max.message.bytes', value: String(TOPIC_MAX_MESSAGE_BYTES) }],
    },
  ]);
  return topic;
}

/** Records written per partition (an idempotent producer writes no control records). */
async function recordsPerPartition(topic: string): Promise<Record<number, number>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return Object.fromEntries(offsets.map(({ partition, high }) => [partition, Number(high)]));
}

/** Every record on the topic: the high watermarks count them, so a duplicate cannot hide. */
async function everyValue(topic: string): Promise<Array<{ partition: number; value: string }>> {
  const count = Object.values(await recordsPerPartition(topic)).reduce((sum, high) => sum + high, 0);
  const read = count === 0 ? [] : await readTopic(topic, count);
  return read.map(({ partition, value }) => ({
    partition,
    value: value?.length && value.length > 1_000 ? 'oversize' : String(value),
  }));
}

function leadstreamProducer(maxRecordBytes: number) {
  const log = captureLogLines();
  const logger = createLogger({ level: 'info', destination: log.stream });
  const metrics = new Metrics({ processMetrics: false });
  const producer = new EventProducer(
    createKafka({ brokers: KAFKA_BROKERS.split(','), clientId: 'isolation', logger }),
    metrics,
    {
      maxRecordBytes,
      logger,
    },
  );
  const recoveries = async () => (await metrics.producerRecoveries.get()).values[0]?.value ?? 0;
  return { producer, log, recoveries };
}

/** Four small records per partition with a 20 KB one for partition 1 among them, as sent in one group. */
function mixedGroup(): Array<{ partition: number; key: string; value: string | Buffer }> {
  const records: Array<{ partition: number; key: string; value: string | Buffer }> = [];
  for (let round = 0; round < 4; round++) {
    for (let partition = 0; partition < PARTITIONS; partition++) {
      records.push({ partition, key: tenantOn(partition, round), value: `p${partition}-r${round}` });
    }
    if (round === 1) records.push({ partition: 1, key: tenantOn(1), value: Buffer.alloc(20_000, 'x') });
  }
  return records;
}

describe('one record the broker refuses, among small records for every partition in one grouped send', () => {
  it('before: kafkajs fails the whole group, though it wrote other partitions, and then wedges them', async () => {
    const topic = await smallRecordTopic();
    // The producer and the single sendBatch per group of EventProducer before issue #10.
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    try {
      // One record for partition 0, two for partition 2, and partition 1's batch holds the oversize one.
      const group = [
        { key: tenantOn(0), value: 'p0-a' },
        { key: tenantOn(1), value: 'p1-a' },
        { key: tenantOn(1, 1), value: Buffer.alloc(20_000) },
        { key: tenantOn(2), value: 'p2-a' },
        { key: tenantOn(2, 1), value: 'p2-b' },
      ];
      await expect(
        producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: group }] }),
      ).rejects.toMatchObject({
        type: 'MESSAGE_TOO_LARGE',
      });
      // Every record was reported failed, yet partitions 0 and 2 were written.
      expect(await recordsPerPartition(topic)).toEqual({ 0: 1, 1: 0, 2: 2 });

      // Partition 2 refuses every later send: kafkajs rolled its sequence back below what the broker wrote.
      for (const attempt of ['first', 'second']) {
        await expect(
          producer.send({ acks: -1, topic, messages: [{ key: tenantOn(2), value: `p2-later-${attempt}` }] }),
        ).rejects.toMatchObject({ type: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
      }
      // Partition 0 "acknowledges" a new single record as a duplicate of the one written: it is lost.
      await producer.send({ acks: -1, topic, messages: [{ key: tenantOn(0), value: 'p0-later' }] });
      expect(await recordsPerPartition(topic)).toEqual({ 0: 1, 1: 0, 2: 2 });
      expect(await everyValue(topic)).toEqual(
        expect.arrayContaining([
          { partition: 0, value: 'p0-a' },
          { partition: 2, value: 'p2-a' },
          { partition: 2, value: 'p2-b' },
        ]),
      );
    } finally {
      await producer.disconnect();
    }
  });

  it('after: only that record fails, every small one is written exactly once, and later sends work', async () => {
    const topic = await smallRecordTopic();
    const { producer, log, recoveries } = leadstreamProducer(1_000_000);
    await producer.connect();
    try {
      // The first send leaves alone; the ones made meanwhile leave together as one group.
      const first = producer.send({ topic, key: tenantOn(0), value: Buffer.from('first') });
      const records = mixedGroup();
      const settled = await Promise.allSettled(
        records.map(({ key, value }) => producer.send({ topic, key, value: Buffer.from(value) })),
      );
      await first;

      const outcomes = records.map((record, index) => ({
        value: typeof record.value === 'string' ? record.value : 'oversize',
        status: settled[index]?.status,
      }));
      expect(outcomes.filter(({ status }) => status === 'rejected')).toEqual([
        { value: 'oversize', status: 'rejected' },
      ]);
      const refused = settled.find((result) => result.status === 'rejected');
      expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(LeadstreamError);
      expect(refused?.status === 'rejected' && refused.reason).toMatchObject({
        type: 'record_too_large',
        retryable: false,
      });
      expect(log.lines().map(({ message }) => message)).toContain(
        'Kafka refused part of a grouped send; sending its records again in parts',
      );

      const later = await Promise.allSettled(
        [0, 1, 2].map((partition) =>
          producer.send({ topic, key: tenantOn(partition, 3), value: Buffer.from(`p${partition}-later`) }),
        ),
      );
      expect(later.map(({ status }) => status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);

      const written = await everyValue(topic);
      const small = records.filter(({ value }) => typeof value === 'string');
      expect(written).toHaveLength(1 + small.length + 3);
      for (let partition = 0; partition < PARTITIONS; partition++) {
        const expected = [
          ...(partition === 0 ? ['first'] : []),
          ...small.filter((record) => record.partition === partition).map(({ value }) => String(value)),
          `p${partition}-later`,
        ];
        expect(written.filter((record) => record.partition === partition).map(({ value }) => value)).toEqual(
          expected,
        );
      }
      expect(await recoveries()).toBe(0);
      expect(producer.alive).toBe(true);
    } finally {
      await producer.disconnect();
    }
  });
});

describe('KAFKA_MAX_RECORD_BYTES', () => {
  it('refuses a record over it before sending it, and sends the next one', async () => {
    const topic = await smallRecordTopic();
    const { producer } = leadstreamProducer(5_000);
    await producer.connect();
    try {
      const refused = await producer
        .send({ topic, key: tenantOn(0), value: Buffer.alloc(6_000) })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(LeadstreamError);
      expect(refused).toMatchObject({ type: 'record_too_large', details: { limit: 5_000 } });
      expect((refused as LeadstreamError).details.bytes).toBeGreaterThan(6_000);

      await producer.send({ topic, key: tenantOn(0), value: Buffer.from('next') });
      expect(await everyValue(topic)).toEqual([{ partition: 0, value: 'next' }]);
    } finally {
      await producer.disconnect();
    }
  });

  it('sets max.message.bytes on the topics ensureTopics creates, and warns about an existing one taking less', async () => {
    const run = randomUUID().slice(0, 8);
    const names = {
      // Every topic the deployment has, under this run's names where the test looks at them.
      ...topicNames(isolatedSettings()),
      rawCalls: `raw-calls-${run}`,
      enrichedCalls: `enriched-calls-${run}`,
      crmCommands: `crm-commands-${run}`,
      deadLetters: `dead-letters-${run}`,
      crmCommandRetries: [{ topic: `crm-commands-${run}.retry.30s`, delayMs: 30_000 }],
      crmLedger: `crm-commands-${run}.ledger`,
      notifications: `notifications-${run}`,
      notificationsLedger: `notifications-${run}.ledger`,
    };
    const retryTopic = `crm-commands-${run}.retry.30s`;
    await createTopicsWithLeaders(admin, [
      {
        topic: names.enrichedCalls,
        numPartitions: PARTITIONS,
        configEntries: [{ name: 'max.message.bytes', value: '5000' }],
      },
    ]);
    const log = captureLogLines();

    await ensureTopics(
      admin,
      { names, partitions: PARTITIONS, replicationFactor: 1, maxRecordBytes: 200_000 },
      createLogger({ level: 'info', destination: log.stream }),
    );

    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [names.rawCalls, names.enrichedCalls, names.crmCommands, names.deadLetters, retryTopic].map(
        (name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['max.message.bytes'] }),
      ),
    });
    const limits = Object.fromEntries(
      described.resources.map(({ resourceName, configEntries }) => [
        resourceName,
        configEntries[0]?.configValue,
      ]),
    );
    expect(limits).toEqual({
      [names.rawCalls]: '200061',
      [names.enrichedCalls]: '5000',
      [names.crmCommands]: '200061',
      // Room for an input at the limit plus the headers saying why it was dead-lettered.
      [names.deadLetters]: String(200_061 + DEAD_LETTER_HEADROOM_BYTES),
      // An input at the limit plus the headers saying when it is due.
      [retryTopic]: String(200_061 + DEAD_LETTER_HEADROOM_BYTES),
    });
    const warnings = log.lines().filter(({ severity }) => severity === 'WARNING');
    expect(warnings).toEqual([
      expect.objectContaining({
        topic: names.enrichedCalls,
        max_message_bytes: 5_000,
        needed: 200_061,
        max_record_bytes: 200_000,
      }),
    ]);
  });

  it('warns about an existing dead-letter topic that takes the limit but not a dead letter at it', async () => {
    const run = randomUUID().slice(0, 8);
    const names = {
      // Every topic the deployment has, under this run's names where the test looks at them.
      ...topicNames(isolatedSettings()),
      rawCalls: `raw-calls-${run}`,
      enrichedCalls: `enriched-calls-${run}`,
      crmCommands: `crm-commands-${run}`,
      deadLetters: `dead-letters-${run}`,
      crmCommandRetries: [],
      crmLedger: `crm-commands-${run}.ledger`,
      notifications: `notifications-${run}`,
      notificationsLedger: `notifications-${run}.ledger`,
    };
    // As ensureTopics created it before dead letters had headroom.
    await createTopicsWithLeaders(admin, [
      {
        topic: names.deadLetters,
        numPartitions: PARTITIONS,
        configEntries: [{ name: 'max.message.bytes', value: '200061' }],
      },
    ]);
    const log = captureLogLines();

    await ensureTopics(
      admin,
      { names, partitions: PARTITIONS, replicationFactor: 1, maxRecordBytes: 200_000 },
      createLogger({ level: 'info', destination: log.stream }),
    );

    const warnings = log.lines().filter(({ severity }) => severity === 'WARNING');
    expect(warnings).toEqual([
      expect.objectContaining({
        topic: names.deadLetters,
        max_message_bytes: 200_061,
        needed: 200_061 + DEAD_LETTER_HEADROOM_BYTES,
      }),
    ]);
  });
});
