import type { IHeaders, KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import {
  DEAD_LETTER_HEADERS,
  DeadLetterWriter,
  MAX_ERROR_MESSAGE_BYTES,
  MAX_HEADER_VALUE_BYTES,
} from '../../../src/kafka/dead-letter-writer.js';
import { EventProducer } from '../../../src/kafka/event-producer.js';
import {
  DEAD_LETTER_HEADROOM_BYTES,
  deadLetterMaxRecordBytes,
  recordSize,
  topicMaxMessageBytes,
} from '../../../src/kafka/record-size.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { FakeKafka } from './fake-kafka.js';

const LIMIT = 20_000;
const DEAD_LETTERS = 'dead-letters';

/** A producer at LIMIT and a dead-letter topic as ensureTopics creates it. */
async function setup() {
  const fake = new FakeKafka({
    [DEAD_LETTERS]: { partitions: 1, maxMessageBytes: topicMaxMessageBytes(deadLetterMaxRecordBytes(LIMIT)) },
  });
  const producer = new EventProducer(fake.asKafka(), new Metrics({ processMetrics: false }), {
    maxRecordBytes: LIMIT,
    logger: createLogger({ level: 'silent' }),
  });
  await producer.connect();
  return { fake, writer: new DeadLetterWriter(producer, DEAD_LETTERS) };
}

/** A consumed message whose record is exactly `bytes` long by `recordSize`. */
function inputOf(bytes: number, key: string | null, headers: IHeaders): KafkaMessage {
  const framing = recordSize({ key: key ?? '', value: Buffer.alloc(0), headers });
  return {
    key: key === null ? null : Buffer.from(key),
    value: Buffer.alloc(bytes - framing, 'v'),
    headers,
    offset: '41',
    timestamp: '0',
    attributes: 0,
  };
}

function header(headers: IHeaders, name: string): string {
  return String(headers[name]);
}

describe('DeadLetterWriter', () => {
  it('dead-letters an input at KAFKA_MAX_RECORD_BYTES, with its bytes and headers and the reason', async () => {
    const { fake, writer } = await setup();
    const message = inputOf(LIMIT, 'tenant_a', { traceparent: '00-abc-def-01' });

    await writer.write({
      stage: 'enricher',
      source: { topic: 'raw-calls', partition: 2 },
      message,
      error: new LeadstreamError('validation_error', 'RawCall without tenant_id or call_id'),
      attempts: 1,
      failedAt: new Date('2026-12-02T05:00:00Z'),
      tenantId: 'tenant_a',
      callId: 'CAL1',
    });

    const [letter, ...more] = fake.all(DEAD_LETTERS);
    expect(more).toEqual([]);
    expect(letter?.key).toBe('tenant_a');
    expect(letter?.value).toBe(String(message.value));
    expect(letter?.headers).toMatchObject({
      traceparent: '00-abc-def-01',
      [DEAD_LETTER_HEADERS.errorType]: 'validation_error',
      [DEAD_LETTER_HEADERS.sourceTopic]: 'raw-calls',
      [DEAD_LETTER_HEADERS.sourceOffset]: '41',
      [DEAD_LETTER_HEADERS.tenantId]: 'tenant_a',
    });
  });

  it('keeps what it adds to an input within DEAD_LETTER_HEADROOM_BYTES, whatever the error and ids', async () => {
    const { fake, writer } = await setup();
    // A null key is replaced by the tenant id; ids and message of hostile length, in 2- to 4-byte characters.
    const message = inputOf(LIMIT, null, {});
    const huge = (unit: string) => unit.repeat(50_000);
    const error = new LeadstreamError('record_too_large', huge('é🎉'), {
      details: { bytes: 1_234_567, limit: 1_000_000 },
    });

    await writer.write({
      stage: huge('stage'),
      source: { topic: 't'.repeat(249), partition: 2_147_483_647 },
      message: { ...message, offset: '9'.repeat(1_000) },
      error,
      attempts: 1_000_000,
      failedAt: new Date('2026-12-02T05:00:00Z'),
      tenantId: huge('ü'),
      callId: huge('✓'),
    });

    const [letter] = fake.all(DEAD_LETTERS);
    if (letter === undefined) throw new Error('no dead letter written');
    const added =
      recordSize({ key: letter.key, value: Buffer.from(letter.value), headers: letter.headers }) - LIMIT;
    expect(added).toBeLessThanOrEqual(DEAD_LETTER_HEADROOM_BYTES);

    const text = header(letter.headers, DEAD_LETTER_HEADERS.message);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_BYTES);
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_ERROR_MESSAGE_BYTES - 4);
    // Cut between characters, never inside one.
    expect(error.message.startsWith(text)).toBe(true);
    for (const name of [
      DEAD_LETTER_HEADERS.tenantId,
      DEAD_LETTER_HEADERS.callId,
      DEAD_LETTER_HEADERS.stage,
    ]) {
      const value = header(letter.headers, name);
      expect(Buffer.byteLength(value)).toBeLessThanOrEqual(MAX_HEADER_VALUE_BYTES);
      expect(value).not.toContain('\uFFFD');
    }
    expect(letter.key).toBe(header(letter.headers, DEAD_LETTER_HEADERS.tenantId));
    expect(header(letter.headers, DEAD_LETTER_HEADERS.sourceTopic)).toBe('t'.repeat(249));
    expect(letter.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.recordBytes]: '1234567',
      [DEAD_LETTER_HEADERS.recordLimit]: '1000000',
    });
  });
});
