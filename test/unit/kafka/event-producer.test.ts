import { describe, expect, it } from 'vitest';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import { EventProducer, producerCheck } from '../../../src/kafka/event-producer.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { buildOpsServer } from '../../../src/observability/ops-server.js';
import { captureLogLines } from '../../support/log-capture.js';
import { tenantsByPartition } from '../../support/partition-keys.js';
import { FakeKafka } from './fake-kafka.js';

const TOPIC = 'raw-calls';
const PARTITIONS = 3;

const TENANTS = tenantsByPartition(PARTITIONS, 4);

function tenantOn(partition: number, index = 0): string {
  const tenant = TENANTS[partition]?.[index];
  if (tenant === undefined) throw new Error(`no tenant ${index} on partition ${partition}`);
  return tenant;
}

async function setup(options: { maxRecordBytes: number; maxMessageBytes: number }) {
  const fake = new FakeKafka({
    [TOPIC]: { partitions: PARTITIONS, maxMessageBytes: options.maxMessageBytes },
  });
  const metrics = new Metrics({ processMetrics: false });
  const log = captureLogLines();
  const producer = new EventProducer(fake.asKafka(), metrics, {
    maxRecordBytes: options.maxRecordBytes,
    logger: createLogger({ level: 'debug', destination: log.stream }),
  });
  await producer.connect();
  const send = (key: string, value: string | Buffer) =>
    producer.send({ topic: TOPIC, key, value: Buffer.isBuffer(value) ? value : Buffer.from(value) });
  const recoveries = async () => (await metrics.producerRecoveries.get()).values[0]?.value ?? 0;
  return { fake, producer, send, log, recoveries };
}

/** The values written on a partition, in log order. */
function valuesOn(fake: FakeKafka, partition: number): string[] {
  return fake.records(TOPIC, partition).map(({ value }) => value);
}

function rejection(result: PromiseSettledResult<void> | undefined): LeadstreamError {
  if (result?.status !== 'rejected') throw new Error(`expected a rejection, got ${result?.status}`);
  expect(result.reason).toBeInstanceOf(LeadstreamError);
  return result.reason as LeadstreamError;
}

describe('EventProducer', () => {
  it('refuses a record over KAFKA_MAX_RECORD_BYTES before sending it, and sends the next one', async () => {
    const { fake, send } = await setup({ maxRecordBytes: 1_000, maxMessageBytes: 1_000_000 });

    const refused = await send(tenantOn(0), Buffer.alloc(2_000)).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(LeadstreamError);
    expect(refused).toMatchObject({ type: 'record_too_large', retryable: false });
    const { details, message } = refused as LeadstreamError;
    expect(details.limit).toBe(1_000);
    expect(details.bytes).toBeGreaterThan(2_000);
    expect(message).toContain(`${details.bytes} bytes`);
    expect(message).toContain('1000-byte limit');
    expect(fake.requests).toEqual([]);

    await send(tenantOn(0), 'small');
    expect(valuesOn(fake, 0)).toEqual(['small']);
  });

  it('fails only the record the broker refuses: the rest of its group is written once, in order, and later sends work', async () => {
    const { fake, send, log, recoveries } = await setup({ maxRecordBytes: 100_000, maxMessageBytes: 2_000 });

    // The first send leaves alone; the ones made meanwhile leave together as one group.
    const first = send(tenantOn(0), 'first');
    const sent: Array<{ partition: number; value: string }> = [];
    const results: Array<Promise<void>> = [];
    let oversize = -1;
    for (let round = 0; round < 4; round++) {
      for (let partition = 0; partition < PARTITIONS; partition++) {
        const value = `p${partition}-r${round}`;
        sent.push({ partition, value });
        results.push(send(tenantOn(partition, round), value));
      }
      if (round === 1) oversize = results.push(send(tenantOn(1), Buffer.alloc(3_000, 'x'))) - 1;
    }
    await first;
    const settled = await Promise.allSettled(results);

    const refused = settled.filter((result) => result.status === 'rejected');
    expect(refused).toHaveLength(1);
    const error = rejection(settled[oversize]);
    expect(error.type).toBe('record_too_large');
    expect(error.message).toContain('refused by Kafka');
    // The group went out as one request for every partition, and was refused as a whole.
    expect(fake.requests[1]?.partitions).toHaveLength(PARTITIONS);
    expect(
      log
        .lines()
        .some(
          (line) =>
            line.message === 'Kafka refused part of a grouped send; sending its records again in parts',
        ),
    ).toBe(true);

    for (let partition = 0; partition < PARTITIONS; partition++) {
      const expected = sent.filter((record) => record.partition === partition).map(({ value }) => value);
      expect(valuesOn(fake, partition)).toEqual(partition === 0 ? ['first', ...expected] : expected);
    }

    const later = await Promise.allSettled(
      [0, 1, 2].map((partition) => send(tenantOn(partition), `later-${partition}`)),
    );
    expect(later.map(({ status }) => status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    for (let partition = 0; partition < PARTITIONS; partition++)
      expect(valuesOn(fake, partition).at(-1)).toBe(`later-${partition}`);
    expect(await recoveries()).toBe(0);
  });

  it('keeps the order of the records around two refused ones on the same partition', async () => {
    const { fake, send } = await setup({ maxRecordBytes: 100_000, maxMessageBytes: 2_000 });
    const first = send(tenantOn(1), 'first');
    const results = [
      send(tenantOn(1, 0), 'a'),
      send(tenantOn(1, 1), Buffer.alloc(3_000)),
      send(tenantOn(1, 2), 'b'),
      send(tenantOn(1, 3), Buffer.alloc(4_000)),
      send(tenantOn(1, 0), 'c'),
    ];
    await first;
    const settled = await Promise.allSettled(results);

    expect(settled.map(({ status }) => status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(valuesOn(fake, 1)).toEqual(['first', 'a', 'b', 'c']);
  });

  it('replaces a producer whose state the broker refuses and writes every record once, in order', async () => {
    const { fake, producer, send, recoveries } = await setup({
      maxRecordBytes: 100_000,
      maxMessageBytes: 100_000,
    });
    await send(tenantOn(2), 'before');
    // The group's request and the same producer's retry of partition 2 are both refused for its state.
    fake.faults = [{ topic: TOPIC, partition: 2, type: 'UNKNOWN_PRODUCER_ID', times: 2 }];
    fake.failingConnects = 1;

    const first = send(tenantOn(0), 'first');
    const results = [0, 1, 2, 0, 1, 2].map((partition, index) => send(tenantOn(partition), `v${index}`));
    await first;
    const settled = await Promise.allSettled(results);

    expect(settled.every(({ status }) => status === 'fulfilled')).toBe(true);
    expect(valuesOn(fake, 0)).toEqual(['first', 'v0', 'v3']);
    expect(valuesOn(fake, 1)).toEqual(['v1', 'v4']);
    expect(valuesOn(fake, 2)).toEqual(['before', 'v2', 'v5']);
    // The first fresh producer could not connect; the second wrote partition 2's records.
    expect(fake.producersCreated).toHaveLength(2);
    const [, freshId] = fake.producersCreated;
    expect(
      fake
        .records(TOPIC, 2)
        .slice(1)
        .map(({ producerId }) => producerId),
    ).toEqual([freshId, freshId]);
    expect(await recoveries()).toBe(2);
    expect(producer.alive).toBe(true);

    await send(tenantOn(2), 'after');
    expect(valuesOn(fake, 2).at(-1)).toBe('after');
  });

  it('reports itself not alive, and /healthz answers 503, once fresh producers keep being refused', async () => {
    const { fake, producer, send, log, recoveries } = await setup({
      maxRecordBytes: 100_000,
      maxMessageBytes: 100_000,
    });
    const ops = buildOpsServer({
      metrics: new Metrics({ processMetrics: false }),
      logger: createLogger({ level: 'silent' }),
      checks: () => [producerCheck(producer)],
      shuttingDown: () => false,
    });
    expect((await ops.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    fake.faults = [
      { topic: TOPIC, partition: 0, type: 'OUT_OF_ORDER_SEQUENCE_NUMBER', times: Number.POSITIVE_INFINITY },
    ];

    const stuck = send(tenantOn(0), 'stuck');
    const queued = send(tenantOn(1), 'queued behind it');
    const settled = await Promise.allSettled([stuck, queued]);

    for (const result of settled) {
      const error = rejection(result);
      expect(error.type).toBe('kafka_unavailable');
      expect(error.message).toContain('unusable');
    }
    expect(producer.alive).toBe(false);
    expect(await recoveries()).toBe(3);
    expect(
      log.lines().some((line) => line.severity === 'ERROR' && line.error_type === 'kafka_unavailable'),
    ).toBe(true);
    const health = await ops.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toEqual({ status: 'not_ready', checks: { producer: false } });

    const requestsBefore = fake.requests.length;
    await expect(send(tenantOn(1), 'after')).rejects.toMatchObject({ type: 'kafka_unavailable' });
    expect(fake.requests.length).toBe(requestsBefore);
    await ops.close();
  });
});
