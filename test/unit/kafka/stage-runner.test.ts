import type { Consumer, ConsumerRunConfig, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_HEADERS, DeadLetterWriter } from '../../../src/kafka/dead-letter-writer.js';
import { EventProducer } from '../../../src/kafka/event-producer.js';
import { deadLetterMaxRecordBytes, topicMaxMessageBytes } from '../../../src/kafka/record-size.js';
import { type StageDefinition, StageRunner } from '../../../src/kafka/stage-runner.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { captureLogLines } from '../../support/log-capture.js';
import { FakeKafka } from './fake-kafka.js';

const LIMIT = 20_000;
const INPUT = 'raw-calls';
const OUTPUT = 'enriched-calls';
const DEAD_LETTERS = 'dead-letters';

/** An input: whose it is, and how many bytes the stage makes of it. */
interface Lead {
  tenant: string;
  call: string;
  outputBytes: number;
}

/** Holds the batch handler the runner gives kafkajs, so a test can hand it a batch. */
class FakeConsumer {
  readonly events = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' };
  eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;

  on(): () => void {
    return () => undefined;
  }
  async connect(): Promise<void> {}
  async subscribe(): Promise<void> {}
  async disconnect(): Promise<void> {}
  async run(config: ConsumerRunConfig): Promise<void> {
    this.eachBatch = config.eachBatch;
  }
}

async function setup(options: { outputTopicMaxMessageBytes: number }) {
  const fake = new FakeKafka({
    [OUTPUT]: { partitions: 3, maxMessageBytes: options.outputTopicMaxMessageBytes },
    [DEAD_LETTERS]: { partitions: 3, maxMessageBytes: topicMaxMessageBytes(deadLetterMaxRecordBytes(LIMIT)) },
  });
  const log = captureLogLines();
  const logger = createLogger({ level: 'info', destination: log.stream });
  const metrics = new Metrics({ processMetrics: false });
  const producer = new EventProducer(fake.asKafka(), metrics, { maxRecordBytes: LIMIT, logger });
  await producer.connect();
  const consumer = new FakeConsumer();
  const kafka = { ...fake.asKafka(), consumer: () => consumer as unknown as Consumer } as unknown as Kafka;
  const handled: string[] = [];
  const stage: StageDefinition<Lead> = {
    name: 'enricher',
    workflowStep: 'enrichment',
    inputTopic: INPUT,
    decode: async (value) => JSON.parse(value.toString('utf8')) as Lead,
    describe: (lead) => ({ tenant_id: lead.tenant, call_id: lead.call }),
    handle: async (lead) => {
      handled.push(lead.call);
      return [{ topic: OUTPUT, key: lead.tenant, value: Buffer.alloc(lead.outputBytes, lead.call) }];
    },
  };
  const runner = new StageRunner(stage, {
    kafka,
    producer,
    deadLetters: new DeadLetterWriter(producer, DEAD_LETTERS),
    groupId: 'leadstream-enricher',
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
    partitionsConsumedConcurrently: 1,
    sessionTimeoutMs: 30_000,
    metrics,
    logger,
  });
  await runner.start();

  /** Hands the runner one batch of partition 0; returns the offsets it resolved. */
  const consume = async (leads: Lead[]): Promise<string[]> => {
    const messages: KafkaMessage[] = leads.map((lead, index) => ({
      key: Buffer.from(lead.tenant),
      value: Buffer.from(JSON.stringify(lead)),
      headers: {},
      offset: String(index),
      timestamp: '0',
      attributes: 0,
    }));
    const resolved: string[] = [];
    const last = String(messages.length - 1);
    if (consumer.eachBatch === undefined) throw new Error('the runner did not start consuming');
    await consumer.eachBatch({
      batch: {
        topic: INPUT,
        partition: 0,
        highWatermark: String(messages.length),
        messages,
        isEmpty: () => messages.length === 0,
        firstOffset: () => '0',
        lastOffset: () => last,
        offsetLag: () => '0',
        offsetLagLow: () => '0',
      },
      resolveOffset: (offset) => {
        resolved.push(offset);
      },
      heartbeat: async () => undefined,
      pause: () => () => undefined,
      commitOffsetsIfNecessary: async () => undefined,
      uncommittedOffsets: () => ({ topics: [] }),
      isRunning: () => true,
      isStale: () => false,
    });
    return resolved;
  };
  return { fake, consume, handled, log };
}

/** Three leads for three tenants on one input partition; the second one's output is `outputBytes` long. */
function leads(outputBytes: number): Lead[] {
  return [
    { tenant: 'tenant_a', call: 'a', outputBytes: 100 },
    { tenant: 'tenant_b', call: 'b', outputBytes },
    { tenant: 'tenant_c', call: 'c', outputBytes: 100 },
  ];
}

describe('StageRunner, an output too large to write', () => {
  it('dead-letters the message whose output is over KAFKA_MAX_RECORD_BYTES, once, and writes the others', async () => {
    const { fake, consume, handled, log } = await setup({
      outputTopicMaxMessageBytes: topicMaxMessageBytes(LIMIT),
    });
    const batch = leads(LIMIT + 1_000);

    const resolved = await consume(batch);

    expect(resolved.at(-1)).toBe('2');
    expect(handled).toEqual(['a', 'b', 'c']);
    expect(fake.all(OUTPUT).map(({ key }) => key)).toEqual(expect.arrayContaining(['tenant_a', 'tenant_c']));
    expect(fake.all(OUTPUT)).toHaveLength(2);
    const [letter, ...more] = fake.all(DEAD_LETTERS);
    expect(more).toEqual([]);
    expect(letter?.key).toBe('tenant_b');
    expect(letter?.value).toBe(JSON.stringify(batch[1]));
    expect(letter?.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.errorType]: 'record_too_large',
      [DEAD_LETTER_HEADERS.retryable]: 'false',
      [DEAD_LETTER_HEADERS.stage]: 'enricher',
      [DEAD_LETTER_HEADERS.sourceOffset]: '1',
      [DEAD_LETTER_HEADERS.callId]: 'b',
      [DEAD_LETTER_HEADERS.recordLimit]: String(LIMIT),
    });
    expect(Number(letter?.headers[DEAD_LETTER_HEADERS.recordBytes])).toBeGreaterThan(LIMIT + 1_000);
    expect(log.lines()).toContainEqual(
      expect.objectContaining({ call_id: 'b', status: 'dead_lettered', error_type: 'record_too_large' }),
    );
  });

  it('dead-letters the message whose output the broker refuses for its size, and writes the others', async () => {
    // A topic someone created taking less than KAFKA_MAX_RECORD_BYTES: only the broker knows.
    const { fake, consume, log } = await setup({ outputTopicMaxMessageBytes: 5_000 });
    const batch = leads(8_000);

    const resolved = await consume(batch);

    expect(resolved.at(-1)).toBe('2');
    expect(fake.all(OUTPUT).map(({ key }) => key)).toEqual(expect.arrayContaining(['tenant_a', 'tenant_c']));
    expect(fake.all(OUTPUT)).toHaveLength(2);
    const [letter, ...more] = fake.all(DEAD_LETTERS);
    expect(more).toEqual([]);
    expect(letter?.value).toBe(JSON.stringify(batch[1]));
    expect(letter?.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.errorType]: 'record_too_large',
      [DEAD_LETTER_HEADERS.callId]: 'b',
      [DEAD_LETTER_HEADERS.recordLimit]: String(LIMIT),
    });
    expect(log.lines().filter(({ status }) => status === 'success')).toHaveLength(2);
  });
});
