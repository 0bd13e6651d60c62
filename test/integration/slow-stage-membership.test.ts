import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { DeadLetterWriter } from '../../src/kafka/dead-letter-writer.js';
import { EventProducer } from '../../src/kafka/event-producer.js';
import { createKafka } from '../../src/kafka/kafka-client.js';
import { StageRunner } from '../../src/kafka/stage-runner.js';
import { createTopicsWithLeaders } from '../../src/kafka/topic-leaders.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { KAFKA_BROKERS } from '../support/platform.js';
import { GROUP_JOINING_TEST_TIMEOUT_MS, waitFor } from '../support/wait-for.js';

const SESSION_TIMEOUT_MS = 6_000;
const HANDLE_MS = 700;
const MESSAGES = 16;

/**
 * A slow CRM makes every message of a batch slow: 16 messages at 700 ms is twice the consumer's session
 * timeout. The runner must keep its group membership through such a batch, or the broker hands the
 * partition to a new member and the batch is delivered again (a second deal in a CRM without an
 * idempotent write).
 */
describe('a batch that takes longer than the session timeout, on the real broker', () => {
  const logger = createLogger({ level: 'silent' });
  const kafka = createKafka({ brokers: KAFKA_BROKERS.split(','), clientId: 'slow-stage-test', logger });
  const topic = `slow-stage-${randomUUID().slice(0, 8)}`;
  const metrics = new Metrics({ processMetrics: false });
  const producer = new EventProducer(kafka, metrics, { maxRecordBytes: 1_000_000, logger });
  let runner: StageRunner<string> | undefined;

  afterAll(async () => {
    await runner?.stop();
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  // Joining the group, 16 handlings of 700 ms and a session timeout's watch: 18 s on a 2-core machine
  // running other tests, more on a slower one than the integration tests' 60 s default leaves room for.
  it('handles each message once and commits them all', {
    timeout: GROUP_JOINING_TEST_TIMEOUT_MS,
  }, async () => {
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsWithLeaders(admin, [{ topic, numPartitions: 1 }]);
    await admin.disconnect();
    await producer.connect();
    // Written before the runner starts, so its first fetch takes them all in one batch.
    await Promise.all(
      Array.from({ length: MESSAGES }, (_, n) =>
        producer.send({ topic, key: 'tenant_slow', value: Buffer.from(`call-${n}`) }),
      ),
    );

    const handled: string[] = [];
    const groupId = `slow-stage-${randomUUID().slice(0, 8)}`;
    runner = new StageRunner<string>(
      {
        name: 'delivery',
        workflowStep: 'crm_push',
        inputTopic: topic,
        decode: async (value) => value.toString('utf8'),
        describe: (callId) => ({ tenant_id: 'tenant_slow', call_id: callId }),
        handle: async (callId) => {
          await sleep(HANDLE_MS);
          handled.push(callId);
          return [];
        },
      },
      {
        kafka,
        producer,
        deadLetters: new DeadLetterWriter(producer, `${topic}-dead`),
        groupId,
        retry: { maxAttempts: 1, baseDelayMs: 100, maxDelayMs: 100 },
        partitionsConsumedConcurrently: 1,
        sessionTimeoutMs: SESSION_TIMEOUT_MS,
        maxInFlight: 16,
        maxInFlightPerTenant: 16,
        maxBufferedPerPartition: 1_000,
        commitIntervalMs: 1_000,
        metrics,
        logger,
      },
    );
    await runner.start();
    await waitFor('every message handled', () => (handled.length >= MESSAGES ? true : undefined), 60_000);
    // Long enough for a member the broker evicted to rejoin and be handed the batch again.
    await sleep(SESSION_TIMEOUT_MS);

    expect(handled).toEqual(Array.from({ length: MESSAGES }, (_, n) => `call-${n}`));
    const admin2 = kafka.admin();
    await admin2.connect();
    try {
      // Committed on the runner's interval: waited for, not assumed done by the end of the watch.
      await waitFor(`offset ${MESSAGES} committed`, async () => {
        const [committed] = await admin2.fetchOffsets({ groupId, topics: [topic] });
        return committed?.partitions[0]?.offset === String(MESSAGES) ? true : undefined;
      });
    } finally {
      await admin2.disconnect();
    }
  });
});
