import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, IHeaders, Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { LedgerWaitingKeys } from '../../../src/crm/ledger/ledger-waiting-keys.js';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import { DEAD_LETTER_HEADERS, DeadLetterWriter } from '../../../src/kafka/dead-letter-writer.js';
import { EventProducer } from '../../../src/kafka/event-producer.js';
import { deadLetterMaxRecordBytes, topicMaxMessageBytes } from '../../../src/kafka/record-size.js';
import {
  InProcessWaitingKeys,
  RETRY_HEADERS,
  type RetryTopics,
  readRetryState,
  retryTiers,
  type WaitingKeys,
  withRetryHeaders,
} from '../../../src/kafka/runner/retry-topics.js';
import { type StageDefinition, StageRunner } from '../../../src/kafka/stage-runner.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { captureLogLines } from '../../support/log-capture.js';
import { MemoryRecordLedger } from '../../support/memory-record-ledger.js';
import { FakeConsumerGroup } from './fake-consumer-group.js';
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

/**
 * Resolves once `check` holds, polling; fails the test after ten seconds, well past what a loaded machine
 * takes for the few retry and commit timers (tens of milliseconds each) these tests run.
 */
async function eventually(check: () => boolean): Promise<void> {
  const until = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not reached in 10 s');
    await sleep(5);
  }
}

/** A call the test holds in the stage until it says so, or fails a number of times first. */
interface Script {
  /** Held until released. */
  hold?: Promise<void>;
  /** Errors thrown by the first attempts, in order. */
  failures?: LeadstreamError[];
}

interface Setup {
  outputTopicMaxMessageBytes?: number;
  maxInFlight?: number;
  maxInFlightPerTenant?: number;
  maxBufferedPerPartition?: number;
  /** Ordering key of a lead: the tenant unless given. */
  orderingKey?: (lead: Lead) => string;
  scripts?: Record<string, Script>;
  retryTopics?: RetryTopics;
  consumesRetryTopic?: boolean;
  waitingKeys?: WaitingKeys;
  inputTopic?: string;
  beforeNewPartition?: () => Promise<void>;
  inspect?: StageDefinition<Lead>['inspect'];
  retry?: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
}

async function setup(options: Setup = {}) {
  const fake = new FakeKafka({
    [OUTPUT]: {
      partitions: 3,
      maxMessageBytes: options.outputTopicMaxMessageBytes ?? topicMaxMessageBytes(LIMIT),
    },
    [DEAD_LETTERS]: { partitions: 3, maxMessageBytes: topicMaxMessageBytes(deadLetterMaxRecordBytes(LIMIT)) },
    ...Object.fromEntries(
      (options.retryTopics?.tiers ?? []).map(({ topic }) => [
        topic,
        { partitions: 3, maxMessageBytes: topicMaxMessageBytes(deadLetterMaxRecordBytes(LIMIT)) },
      ]),
    ),
  });
  const log = captureLogLines();
  const logger = createLogger({ level: 'info', destination: log.stream });
  const metrics = new Metrics({ processMetrics: false });
  const producer = new EventProducer(fake.asKafka(), metrics, { maxRecordBytes: LIMIT, logger });
  await producer.connect();
  const inputTopic = options.inputTopic ?? INPUT;
  const group = new FakeConsumerGroup(inputTopic);
  const kafka = { ...fake.asKafka(), consumer: () => group as unknown as Consumer } as unknown as Kafka;
  /** Calls in the order their handling started (each attempt). */
  const started: string[] = [];
  /** When each call's handling first started (Date.now()). */
  const startedAt = new Map<string, number>();
  /** Calls in the order they succeeded. */
  const handled: string[] = [];
  const running = new Set<string>();
  let mostRunning = 0;
  const scripts = options.scripts ?? {};
  const stage: StageDefinition<Lead> = {
    name: 'enricher',
    workflowStep: 'enrichment',
    inputTopic,
    decode: async (value) => JSON.parse(value.toString('utf8')) as Lead,
    describe: (lead) => ({ tenant_id: lead.tenant, call_id: lead.call }),
    ...(options.orderingKey ? { orderingKey: options.orderingKey } : {}),
    ...(options.beforeNewPartition ? { beforeNewPartition: options.beforeNewPartition } : {}),
    ...(options.inspect ? { inspect: options.inspect } : {}),
    handle: async (lead) => {
      started.push(lead.call);
      if (!startedAt.has(lead.call)) startedAt.set(lead.call, Date.now());
      running.add(lead.call);
      mostRunning = Math.max(mostRunning, running.size);
      try {
        const script = scripts[lead.call];
        await script?.hold;
        const failure = script?.failures?.shift();
        if (failure) throw failure;
        handled.push(lead.call);
        return [{ topic: OUTPUT, key: lead.tenant, value: Buffer.alloc(lead.outputBytes, lead.call) }];
      } finally {
        running.delete(lead.call);
      }
    },
  };
  const runner = new StageRunner(stage, {
    kafka,
    producer,
    deadLetters: new DeadLetterWriter(producer, DEAD_LETTERS),
    groupId: 'leadstream-enricher',
    retry: options.retry ?? { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 20 },
    partitionsConsumedConcurrently: 1,
    sessionTimeoutMs: 30_000,
    maxInFlight: options.maxInFlight ?? 64,
    maxInFlightPerTenant: options.maxInFlightPerTenant ?? 16,
    maxBufferedPerPartition: options.maxBufferedPerPartition ?? 1_000,
    commitIntervalMs: 5,
    metrics,
    logger,
    ...(options.retryTopics
      ? { retryTopics: options.retryTopics, waitingKeys: options.waitingKeys ?? new InProcessWaitingKeys() }
      : {}),
    ...(options.consumesRetryTopic ? { consumesRetryTopic: true } : {}),
  });
  await runner.start();
  group.join([0, 1]);

  /** Hands the runner one batch of a partition (0 unless given). */
  const consume = (batch: Lead[], partition = 0, fromOffset?: number, headers?: IHeaders) =>
    group.deliver(
      partition,
      batch.map((lead) => ({ key: lead.tenant, value: JSON.stringify(lead), headers })),
      fromOffset,
    );
  return {
    fake,
    group,
    runner,
    consume,
    started,
    startedAt,
    handled,
    log,
    metrics,
    mostRunning: () => mostRunning,
  };
}

/** A promise the test resolves when it wants. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

function lead(tenant: string, call: string): Lead {
  return { tenant, call, outputBytes: 100 };
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
    const { fake, group, consume, handled, log } = await setup();
    const batch = leads(LIMIT + 1_000);

    const resolved = await consume(batch);
    await eventually(() => group.committed(0) === 3);

    expect(resolved.at(-1)).toBe('2');
    expect([...handled].sort()).toEqual(['a', 'b', 'c']);
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
    const { fake, group, consume, log } = await setup({ outputTopicMaxMessageBytes: 5_000 });
    const batch = leads(8_000);

    const resolved = await consume(batch);
    await eventually(() => group.committed(0) === 3);

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

describe('StageRunner, messages of a partition in flight together', () => {
  it('handles other tenants while one message is slow, and commits no further than the slow one', async () => {
    const slow = gate();
    const { group, consume, handled, fake } = await setup({ scripts: { a1: { hold: slow.promise } } });

    await consume([
      lead('tenant_a', 'a1'),
      lead('tenant_b', 'b1'),
      lead('tenant_c', 'c1'),
      lead('tenant_b', 'b2'),
    ]);
    await eventually(() => handled.length === 3);

    expect(handled).toEqual(['b1', 'c1', 'b2']);
    expect(fake.all(OUTPUT)).toHaveLength(3);
    // a1 (offset 0) is unfinished: a crash now must hand it out again.
    expect(group.committed(0) ?? 0).toBe(0);

    slow.open();
    await eventually(() => group.committed(0) === 4);
  });

  it('reports what it holds (running, waiting, parked) when Prometheus scrapes', async () => {
    const slow = gate();
    const unavailable = new LeadstreamError('crm_unavailable', 'CRM answered 503', { retryAfterMs: 60_000 });
    const { consume, started, metrics, runner } = await setup({
      retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 60_000 },
      scripts: { a1: { hold: slow.promise }, b1: { failures: [unavailable] } },
    });

    await consume([lead('tenant_a', 'a1'), lead('tenant_a', 'a2'), lead('tenant_b', 'b1')]);
    await eventually(() => started.includes('a1') && started.includes('b1'));
    await sleep(10);
    const scraped = await metrics.registry.getSingleMetricAsString('leadstream_runner_messages');

    expect(scraped).toContain('leadstream_runner_messages{stage="enricher",state="running"} 1');
    expect(scraped).toContain('leadstream_runner_messages{stage="enricher",state="waiting"} 1');
    expect(scraped).toContain('leadstream_runner_messages{stage="enricher",state="parked"} 1');
    slow.open();
    await runner.stop();
  });

  it('keeps the messages of one key in offset order, each after the previous one finished', async () => {
    const first = gate();
    const { consume, started, handled } = await setup({
      orderingKey: (lead) => `${lead.tenant}/${lead.call.slice(0, 1)}`,
      scripts: { x1: { hold: first.promise } },
    });

    await consume([
      lead('tenant_a', 'x1'),
      lead('tenant_a', 'y1'),
      lead('tenant_a', 'x2'),
      lead('tenant_a', 'x3'),
    ]);
    await eventually(() => handled.includes('y1'));
    expect(started).toEqual(['x1', 'y1']);

    first.open();
    await eventually(() => handled.length === 4);
    expect(handled).toEqual(['y1', 'x1', 'x2', 'x3']);
  });

  it('parks a message that failed with a retryable error and lets every other key go past it', async () => {
    const unavailable = () => new LeadstreamError('crm_unavailable', 'CRM answered 503');
    const { group, consume, handled, started } = await setup({
      scripts: { a1: { failures: [unavailable(), unavailable()] } },
    });

    await consume([
      lead('tenant_a', 'a1'),
      lead('tenant_b', 'b1'),
      lead('tenant_a', 'a2'),
      lead('tenant_c', 'c1'),
    ]);
    await eventually(() => group.committed(0) === 4);

    // b1 and c1 did not wait for a1's retries; a2 waited for a1, its key's earlier message.
    expect(handled.indexOf('b1')).toBeLessThan(handled.indexOf('a1'));
    expect(handled.indexOf('c1')).toBeLessThan(handled.indexOf('a1'));
    expect(handled.indexOf('a1')).toBeLessThan(handled.indexOf('a2'));
    expect(started.filter((call) => call === 'a1')).toHaveLength(3);
  });

  it('dead-letters after the retry policy and moves on', async () => {
    const unavailable = () => new LeadstreamError('crm_unavailable', 'CRM answered 503');
    const { group, consume, fake, handled } = await setup({
      scripts: { a1: { failures: [unavailable(), unavailable(), unavailable()] } },
    });

    await consume([lead('tenant_a', 'a1'), lead('tenant_a', 'a2')]);
    await eventually(() => group.committed(0) === 2);

    expect(handled).toEqual(['a2']);
    expect(fake.all(DEAD_LETTERS).map((letter) => letter.headers[DEAD_LETTER_HEADERS.callId])).toEqual([
      'a1',
    ]);
  });

  it('logs what inspect tolerates in a message once, not on each attempt, and handles it', async () => {
    const unavailable = () => new LeadstreamError('crm_unavailable', 'CRM answered 503');
    const { group, consume, handled, started, log } = await setup({
      scripts: { a1: { failures: [unavailable(), unavailable()] } },
      inspect: (input, message) =>
        input.call === 'a1'
          ? { status: 'odd_input', message: `odd input at offset ${message.offset}` }
          : undefined,
    });

    await consume([lead('tenant_a', 'a1'), lead('tenant_b', 'b1')]);
    await eventually(() => group.committed(0) === 2);

    expect(handled).toEqual(['b1', 'a1']);
    expect(started.filter((call) => call === 'a1')).toHaveLength(3);
    expect(log.lines().filter((line) => line.status === 'odd_input')).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        tenant_id: 'tenant_a',
        call_id: 'a1',
        workflow_step: 'enrichment',
        topic: INPUT,
        offset: '0',
        message: 'odd input at offset 0',
      }),
    ]);
  });

  it('runs at most the tenant limit of one tenant at once, leaving room for the others', async () => {
    const hold = gate();
    const scripts = Object.fromEntries(
      Array.from({ length: 6 }, (_, index) => [`a${index}`, { hold: hold.promise }]),
    );
    const { consume, started, handled } = await setup({
      maxInFlightPerTenant: 2,
      orderingKey: (lead) => lead.call,
      scripts,
    });

    await consume([
      ...Array.from({ length: 6 }, (_, index) => lead('tenant_a', `a${index}`)),
      lead('tenant_b', 'b1'),
    ]);
    await eventually(() => handled.includes('b1'));

    expect(started.filter((call) => call.startsWith('a'))).toEqual(['a0', 'a1']);
    hold.open();
    await eventually(() => handled.length === 7);
  });

  it('pauses a partition holding too many unfinished messages and resumes it when half are done', async () => {
    const hold = gate();
    const { group, consume, handled } = await setup({
      maxBufferedPerPartition: 4,
      orderingKey: (lead) => lead.call,
      scripts: Object.fromEntries(['a0', 'a1', 'a2', 'a3'].map((call) => [call, { hold: hold.promise }])),
    });

    await consume(['a0', 'a1', 'a2', 'a3'].map((call) => lead('tenant_a', call)));
    expect(group.paused.has(0)).toBe(true);

    hold.open();
    await eventually(() => handled.length === 4);
    expect(group.paused.has(0)).toBe(false);
  });

  it('after a rebalance that kept the partition, takes no message twice when kafkajs fetches again from the commit', async () => {
    const hold = gate();
    const { group, consume, started } = await setup({ scripts: { a1: { hold: hold.promise } } });

    await consume([lead('tenant_a', 'a1'), lead('tenant_b', 'b1')]);
    await eventually(() => started.includes('b1'));
    group.join([0, 1]);
    await consume([lead('tenant_a', 'a1'), lead('tenant_b', 'b1'), lead('tenant_b', 'b2')], 0, 0);
    hold.open();
    await eventually(() => group.committed(0) === 3);

    expect([...started].sort()).toEqual(['a1', 'b1', 'b2']);
  });

  it('commits nothing more for a partition it lost, and resumes it for whoever takes it back', async () => {
    const hold = gate();
    const { group, consume, handled } = await setup({
      maxBufferedPerPartition: 1,
      scripts: { a1: { hold: hold.promise } },
    });

    await consume([lead('tenant_a', 'a1')], 1);
    expect(group.paused.has(1)).toBe(true);
    group.join([0]);
    expect(group.paused.has(1)).toBe(false);
    hold.open();
    await eventually(() => handled.includes('a1'));
    await sleep(30);

    expect(group.commits.get(1)).toBeUndefined();
  });

  it('on stop, lets the running message finish and commits it; a parked one stays uncommitted', async () => {
    const slow = gate();
    const unavailable = new LeadstreamError('crm_unavailable', 'CRM answered 503', { retryAfterMs: 20 });
    const { group, runner, consume, handled, started } = await setup({
      scripts: { a1: { hold: slow.promise }, b1: { failures: [unavailable, unavailable] } },
    });

    await consume([lead('tenant_a', 'a1')], 0);
    await consume([lead('tenant_b', 'b1')], 1);
    await eventually(() => started.includes('a1') && started.includes('b1'));
    const stopped = runner.stop();
    slow.open();
    await stopped;

    expect(handled).toEqual(['a1']);
    expect(group.committed(0)).toBe(1);
    expect(group.committed(1) ?? 0).toBe(0);
  });
});

describe('StageRunner with retry topics', () => {
  const unavailable = () => new LeadstreamError('crm_unavailable', 'CRM answered 503');
  const retryTopics: RetryTopics = { tiers: retryTiers(INPUT, [60_000, 300_000]), windowMs: 3_600_000 };
  const [firstTier, secondTier] = retryTopics.tiers.map(({ topic }) => topic);

  it('moves a message whose retries in process are spent to the first retry topic, and its key follows it', async () => {
    const { fake, group, consume, handled } = await setup({
      retryTopics,
      scripts: { a1: { failures: [unavailable(), unavailable(), unavailable()] } },
    });

    await consume([lead('tenant_a', 'a1'), lead('tenant_a', 'a2'), lead('tenant_b', 'b1')]);
    await eventually(() => group.committed(0) === 3);

    expect(handled).toEqual(['b1']);
    expect(fake.all(DEAD_LETTERS)).toEqual([]);
    const waiting = fake.all(firstTier as string);
    expect(waiting.map(({ value }) => (JSON.parse(value) as Lead).call)).toEqual(['a1', 'a2']);
    const [first, second] = waiting.map(({ headers }) => readRetryState(headers));
    expect(first).toMatchObject({ hop: 0, attempts: 3, sourceTopic: INPUT });
    expect(first?.dueAt).toBeGreaterThan(Date.now() + 50_000);
    // a2 was never tried: it waits behind a1, due with it.
    expect(second).toMatchObject({ hop: 0, attempts: 0, dueAt: first?.dueAt });
  });

  it('on a retry topic, waits until the message is due, then tries it', async () => {
    const { group, consume, handled, startedAt } = await setup({
      retryTopics,
      consumesRetryTopic: true,
      inputTopic: firstTier,
    });
    const state = {
      dueAt: Date.now() + 500,
      firstFailedAt: Date.now() - 60_000,
      hop: 0,
      attempts: 3,
      sourceTopic: INPUT,
    };

    await consume([lead('tenant_a', 'a1')], 0, undefined, withRetryHeaders({}, state, 'crm_unavailable'));
    await eventually(() => group.committed(0) === 1);

    expect(handled).toEqual(['a1']);
    // Compared with its own start time, not checked after a sleep, which a loaded machine may oversleep.
    expect(startedAt.get('a1')).toBeGreaterThanOrEqual(state.dueAt);
  });

  it('on a retry topic, retries in process again, then sends a message that still fails to the next one', async () => {
    const { fake, group, consume } = await setup({
      retryTopics,
      consumesRetryTopic: true,
      inputTopic: firstTier,
      scripts: { a1: { failures: [unavailable(), unavailable(), unavailable()] } },
    });
    const state = {
      dueAt: Date.now(),
      firstFailedAt: Date.now() - 60_000,
      hop: 0,
      attempts: 3,
      sourceTopic: INPUT,
    };

    await consume([lead('tenant_a', 'a1')], 0, undefined, withRetryHeaders({}, state, 'crm_unavailable'));
    await eventually(() => group.committed(0) === 1);

    const [moved] = fake.all(secondTier as string);
    expect(readRetryState(moved?.headers)).toMatchObject({
      hop: 1,
      attempts: 6,
      firstFailedAt: state.firstFailedAt,
    });
  });

  it('dead-letters once the retry window is over, named by the topic it came from, without retry headers', async () => {
    const { fake, group, consume } = await setup({
      retryTopics,
      consumesRetryTopic: true,
      inputTopic: secondTier,
      scripts: { a1: { failures: [unavailable(), unavailable(), unavailable()] } },
    });
    const state = {
      dueAt: Date.now(),
      firstFailedAt: Date.now() - 3_500_000,
      hop: 1,
      attempts: 9,
      sourceTopic: INPUT,
    };

    await consume([lead('tenant_a', 'a1')], 0, undefined, withRetryHeaders({}, state, 'crm_unavailable'));
    await eventually(() => group.committed(0) === 1);

    expect(fake.all(secondTier as string)).toEqual([]);
    const [letter] = fake.all(DEAD_LETTERS);
    expect(letter?.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.errorType]: 'crm_unavailable',
      [DEAD_LETTER_HEADERS.retryable]: 'true',
      [DEAD_LETTER_HEADERS.sourceTopic]: INPUT,
      [DEAD_LETTER_HEADERS.attempts]: '12',
    });
    expect(Object.keys(letter?.headers ?? {})).not.toContain(RETRY_HEADERS.dueAt);
  });

  it('after a restart, a later message of a key still follows the one waiting on a retry topic', async () => {
    // Two processes sharing only the delivery ledger, as a restarted delivery pod does.
    const ledger = new MemoryRecordLedger();
    const before = await setup({
      retryTopics,
      waitingKeys: new LedgerWaitingKeys(ledger, 3_600_000),
      scripts: { a1: { failures: [unavailable(), unavailable(), unavailable()] } },
    });
    await before.consume([lead('tenant_a', 'a1')]);
    await eventually(() => before.group.committed(0) === 1);
    await before.runner.stop();

    const after = await setup({ retryTopics, waitingKeys: new LedgerWaitingKeys(ledger, 3_600_000) });
    await after.consume([lead('tenant_a', 'a2'), lead('tenant_b', 'b1')], 0, 1);
    await eventually(() => after.group.committed(0) === 3);

    expect(after.handled).toEqual(['b1']);
    const [followed] = after.fake.all(firstTier as string);
    expect((JSON.parse(followed?.value ?? '{}') as Lead).call).toBe('a2');
  });

  it('releases the key once its waiting message is delivered from the retry topic', async () => {
    const waitingKeys = new InProcessWaitingKeys();
    const route = { tier: { topic: firstTier as string, delayMs: 60_000 }, hop: 0, dueAt: Date.now() };
    await waitingKeys.mark({ tenant: 'tenant_a', key: 'tenant_a' }, route);
    const retried = await setup({
      retryTopics,
      consumesRetryTopic: true,
      inputTopic: firstTier,
      waitingKeys,
    });
    const state = {
      dueAt: route.dueAt,
      firstFailedAt: Date.now() - 60_000,
      hop: 0,
      attempts: 3,
      sourceTopic: INPUT,
    };

    await retried.consume(
      [lead('tenant_a', 'a1')],
      0,
      undefined,
      withRetryHeaders({}, state, 'crm_unavailable'),
    );
    await eventually(() => retried.group.committed(0) === 1);

    expect(retried.handled).toEqual(['a1']);
    expect(waitingKeys.routeOf({ tenant: 'tenant_a', key: 'tenant_a' })).toBeUndefined();
  });

  it('keeps the key waiting when its message moves on to the next retry topic, and sends its followers after it', async () => {
    const waitingKeys = new InProcessWaitingKeys();
    const dueAt = Date.now();
    await waitingKeys.mark(
      { tenant: 'tenant_a', key: 'tenant_a' },
      { tier: { topic: firstTier as string, delayMs: 60_000 }, hop: 0, dueAt },
    );
    const retried = await setup({
      retryTopics,
      consumesRetryTopic: true,
      inputTopic: firstTier,
      waitingKeys,
      scripts: { a1: { failures: [unavailable(), unavailable(), unavailable()] } },
    });
    const state = { dueAt, firstFailedAt: Date.now() - 60_000, hop: 0, attempts: 3, sourceTopic: INPUT };

    // a1 waited there; a2 had followed it, due with it.
    await retried.consume(
      [lead('tenant_a', 'a1'), lead('tenant_a', 'a2')],
      0,
      undefined,
      withRetryHeaders({}, state, 'crm_unavailable'),
    );
    await eventually(() => retried.group.committed(0) === 2);

    expect(retried.handled).toEqual([]);
    const moved = retried.fake.all(secondTier as string).map(({ value }) => (JSON.parse(value) as Lead).call);
    expect(moved).toEqual(['a1', 'a2']);
    expect(waitingKeys.routeOf({ tenant: 'tenant_a', key: 'tenant_a' })?.tier.topic).toBe(secondTier);
  });

  it('still dead-letters a permanent failure at once', async () => {
    const { fake, group, consume } = await setup({
      retryTopics,
      scripts: { a1: { failures: [new LeadstreamError('validation_error', 'CRM refused the field')] } },
    });

    await consume([lead('tenant_a', 'a1')]);
    await eventually(() => group.committed(0) === 1);

    expect(fake.all(firstTier as string)).toEqual([]);
    expect(fake.all(DEAD_LETTERS)).toHaveLength(1);
  });
});

describe('StageRunner, a partition it was just given', () => {
  it('takes nothing from it until the stage is ready for it, then takes it from where it was', async () => {
    let ready = false;
    const prepared: number[] = [];
    const { group, consume, handled } = await setup({
      beforeNewPartition: async () => {
        prepared.push(Date.now());
        if (!ready) throw new LeadstreamError('kafka_unavailable', 'ledger not read up to date');
      },
    });

    expect(await consume([lead('tenant_a', 'a1')], 0, 0)).toEqual([]);
    await sleep(20);
    expect(handled).toEqual([]);
    ready = true;
    await consume([lead('tenant_a', 'a1')], 0, 0);
    await eventually(() => group.committed(0) === 1);

    expect(handled).toEqual(['a1']);
    // Asked once per new partition, not per batch: a second batch of the same partition goes straight in.
    await consume([lead('tenant_a', 'a2')], 0, 1);
    await eventually(() => group.committed(0) === 2);
    expect(prepared).toHaveLength(2);
  });
});
