import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { LeadstreamError, toLeadstreamError } from '../errors/leadstream-error.js';
import type { Logger, WorkflowStep } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { DeadLetterWriter } from './dead-letter-writer.js';
import type { EventProducer, OutgoingMessage } from './event-producer.js';
import { deadLetterMaxRecordBytes, recordSize } from './record-size.js';
import { nextRetryDelay } from './retry-policy.js';
import { KeyScheduler, type Schedulable } from './runner/key-scheduler.js';
import { OffsetTracker } from './runner/offset-tracker.js';
import {
  nextRetry,
  type RetryRoute,
  type RetryState,
  type RetryTopics,
  readRetryState,
  type WaitingKey,
  type WaitingKeys,
  withoutRetryHeaders,
  withRetryHeaders,
} from './runner/retry-topics.js';
import type { StageRunnerSettings } from './runner/runner-settings.js';

/** What a stage does with one input; the runner owns decoding order, retries, commits and dead letters. */
export interface StageDefinition<In> {
  /** Role name, also the consumer group suffix: enricher, mapper, delivery. */
  name: string;
  workflowStep: WorkflowStep;
  inputTopic: string;
  decode(value: Buffer): Promise<In>;
  describe(input: In): { tenant_id: string; call_id: string };
  /**
   * Inputs with the same key are handled one at a time in offset order; inputs with different keys
   * concurrently. The tenant's id when absent.
   */
  orderingKey?(input: In): string;
  /**
   * Runs before the first message of a partition this runner was just given (at start, after a
   * rebalance): what must be up to date before its messages are handled (delivery's ledger). While it
   * fails, the partition's messages are not taken.
   */
  beforeNewPartition?(): Promise<void>;
  /** Does the work; the returned messages are produced (and acknowledged) before the input is committed. */
  handle(input: In): Promise<OutgoingMessage[]>;
  /**
   * The stage logs its own success line, with what it did. The runner then writes none, so a log query
   * counting successes (`workflow_step=crm_push AND status=success`) counts each message once.
   */
  logsOwnSuccess?: boolean;
  /** `willRetry`: the input will be tried again, now or (when shutdown interrupts) after a restart. */
  onAttemptFailed?(input: In | undefined, error: LeadstreamError, willRetry: boolean): void;
  /** The input was given up and written to the dead-letter topic; `input` undefined when it did not decode. */
  onDeadLettered?(input: In | undefined, error: LeadstreamError, message?: KafkaMessage): void;
  /**
   * Fields from the message itself (a producer's correlation id) added to every line the runner logs
   * about it, decoded or not.
   */
  logContext?(message: KafkaMessage): Record<string, string>;
  /**
   * Looks at a message once, when it first decodes (not per attempt, nor again from a retry topic),
   * for a producer's mistake the stage tolerates: what it returns is logged as a warning with the
   * message's fields, and the work goes on.
   */
  inspect?(input: In, message: KafkaMessage): StageWarning | undefined;
}

/** A tolerated problem with an input: `status` for log queries, `message` for the person reading. */
export interface StageWarning {
  status: string;
  message: string;
}

export interface StageRunnerOptions extends StageRunnerSettings {
  kafka: Kafka;
  producer: EventProducer;
  deadLetters: DeadLetterWriter;
  groupId: string;
  metrics: Metrics;
  logger: Logger;
  /**
   * Where a message goes when its retries in process are spent and its error is still retryable;
   * without retry topics it is dead-lettered then.
   */
  retryTopics?: RetryTopics;
  /** Keys with a message on a retry topic, shared by the stage's runners; required with retryTopics. */
  waitingKeys?: WaitingKeys;
  /**
   * Set on a runner consuming one of the stage's retry topics: each message waits until it is due, gets
   * the retries in process again, and goes on to the next retry topic when they fail too.
   */
  consumesRetryTopic?: boolean;
}

/** Waits between attempts to write to Kafka itself (outputs, dead letters): it is never given up on. */
const KAFKA_RETRY_MS = { first: 500, max: 10_000 };

/** One input message on its way through the stage. */
interface Work<In> extends Schedulable {
  readonly offset: number;
  readonly message: KafkaMessage;
  /** Undefined until decoded; a message that does not decode is keyed by its offset, alone. */
  input: In | undefined;
  ids: { tenant_id?: string; call_id?: string };
  /** Attempts of the stage's work (decode and handle) in every process, as retry topics count them. */
  attempt: number;
  /** Attempts in this process, for the retry policy. */
  localAttempts: number;
  /** How it was retried before, when it comes from a retry topic. */
  readonly retried: RetryState | undefined;
  /** Set once the stage's work succeeded: a failed Kafka write sends these again, never redoes the work. */
  outputs: OutgoingMessage[] | undefined;
  /** Set once the message is given up: only its dead-letter write is left. */
  givenUp: { error: LeadstreamError; attempts: number } | undefined;
  kafkaAttempt: number;
  state: 'waiting' | 'running' | 'parked' | 'dropped';
  timer: NodeJS.Timeout | undefined;
  readonly stopTimer: () => void;
}

/** What one attempt ended with. */
type Outcome = { kind: 'done' } | { kind: 'wait'; ms: number } | { kind: 'abandon' };

interface PartitionState {
  readonly tracker: OffsetTracker;
  paused: boolean;
  /** The offset last committed by this runner, to commit only what moved. */
  committed: number | undefined;
}

function isTooLarge(error: unknown): error is LeadstreamError {
  return error instanceof LeadstreamError && error.type === 'record_too_large';
}

/**
 * Consumes one topic with one stage, at least once. Inside each partition, messages with different
 * ordering keys (tenants; in delivery, contacts) are handled concurrently and messages with the same key
 * one at a time in offset order. The offset committed for a partition is the lowest one not finished
 * (see OffsetTracker), so a crash redelivers what was in hand and never skips it. A message finishes
 * when its outputs are acknowledged by Kafka (or the CRM answered), or when it was written to the
 * dead-letter topic. A retryable failure parks the message (and its key) for the retry delay while
 * everything else keeps flowing. The kafkajs batch handler only hands messages over, so fetching,
 * heartbeats and other partitions never wait for a slow message.
 */
export class StageRunner<In> {
  private readonly consumer: Consumer;
  private readonly logger: Logger;
  private readonly scheduler: KeyScheduler<Work<In>>;
  private readonly partitions = new Map<number, PartitionState>();
  private readonly parked = new Set<Work<In>>();
  private running = 0;
  private joined = false;
  private crashed: Error | undefined;
  private stopping = false;
  private commitTimer: NodeJS.Timeout | undefined;
  private committing: Promise<void> | undefined;
  private idle: (() => void) | undefined;
  private readonly unwatch: () => void;

  constructor(
    private readonly stage: StageDefinition<In>,
    private readonly options: StageRunnerOptions,
  ) {
    this.logger = options.logger.child({ stage: stage.name, workflow_step: stage.workflowStep });
    this.unwatch = options.metrics.watchRunner(this, stage.name, () => ({
      running: this.running,
      parked: this.parked.size,
      waiting: Math.max(0, this.scheduler.size - this.running - this.parked.size),
    }));
    this.scheduler = new KeyScheduler({ maxInFlightPerTenant: options.maxInFlightPerTenant });
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: options.sessionTimeoutMs,
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.joined = true;
      this.keepOnly(payload.memberAssignment[this.stage.inputTopic] ?? []);
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.logger.error(
        { status: 'crashed', error_type: 'internal_error', err: payload.error },
        'consumer crashed',
      );
      if (!payload.restart) this.crashed = payload.error;
    });
  }

  /** Ready once the consumer joined its group and has not crashed for good. */
  get ready(): boolean {
    return this.joined && this.crashed === undefined;
  }

  /** False once kafkajs gave up restarting the consumer: only a process restart helps then. */
  get alive(): boolean {
    return this.crashed === undefined;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.stage.inputTopic, fromBeginning: true });
    await this.consumer.run({
      // Offsets are committed here, at each partition's watermark; kafkajs's own resolved offsets only
      // say where its next fetch starts.
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.takeBatch(payload),
    });
    this.commitTimer = setInterval(() => void this.commit(), this.options.commitIntervalMs);
    this.commitTimer.unref();
  }

  /**
   * Stops taking messages, lets the ones running finish (parked ones stay uncommitted and come back
   * after a restart), commits the watermarks, leaves the group.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.commitTimer);
    const owned = [...this.partitions.keys()];
    if (owned.length > 0) this.consumer.pause([{ topic: this.stage.inputTopic, partitions: owned }]);
    for (const work of this.parked) clearTimeout(work.timer);
    this.parked.clear();
    if (this.running > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    await this.commit();
    await this.consumer.disconnect();
    this.unwatch();
  }

  /** Takes a fetched batch into the scheduler and returns at once: the work runs beside the fetching. */
  private async takeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, isRunning, isStale } = payload;
    if (this.stopping) return;
    if (!this.partitions.has(batch.partition) && this.stage.beforeNewPartition) {
      try {
        await this.stage.beforeNewPartition();
      } catch (error) {
        // Nothing taken: kafkajs hands the same messages again with its next fetch.
        this.logger.warn(
          {
            status: 'retry',
            error_type: toLeadstreamError(error).type,
            partition: batch.partition,
            err: error,
          },
          'not ready to take a new partition',
        );
        return;
      }
    }
    const state = this.partitionState(batch.partition);
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || this.stopping) return;
      const offset = Number(message.offset);
      const next = state.tracker.nextOffset;
      // After a rebalance that kept this partition, kafkajs fetches again from the last commit.
      if (next === undefined || offset >= next)
        this.scheduler.add(await this.workFor(message, batch.partition, state));
      resolveOffset(message.offset);
    }
    if (!state.paused && state.tracker.pending >= this.options.maxBufferedPerPartition) {
      state.paused = true;
      this.consumer.pause([{ topic: this.stage.inputTopic, partitions: [batch.partition] }]);
    }
    this.pump();
  }

  private async workFor(message: KafkaMessage, partition: number, state: PartitionState): Promise<Work<In>> {
    const offset = Number(message.offset);
    state.tracker.take(offset);
    const { metrics } = this.options;
    metrics.messagesConsumed.inc({ stage: this.stage.name, topic: this.stage.inputTopic });
    const stopTimer = metrics.processingDuration.startTimer({ stage: this.stage.name });
    let input: In | undefined;
    let key = `offset:${offset}`;
    let tenant = message.key?.toString() ?? '';
    let ids: Work<In>['ids'] = {};
    // Decoded here, in offset order, for the ordering key; a failure is retried by the work itself.
    if (message.value !== null) {
      try {
        input = await this.stage.decode(message.value);
        ids = this.stage.describe(input);
        tenant = ids.tenant_id ?? tenant;
        key = this.stage.orderingKey?.(input) ?? tenant;
      } catch {
        input = undefined;
      }
    }
    const retried = this.options.consumesRetryTopic ? readRetryState(message.headers) : undefined;
    const work: Work<In> = {
      partition,
      offset,
      key,
      tenant,
      message,
      input,
      ids,
      attempt: retried?.attempts ?? 0,
      localAttempts: 0,
      retried,
      outputs: undefined,
      givenUp: undefined,
      kafkaAttempt: 0,
      state: 'waiting',
      timer: undefined,
      stopTimer,
    };
    if (input !== undefined) this.inspect(work, input);
    return work;
  }

  private inspect(work: Work<In>, input: In): void {
    if (this.options.consumesRetryTopic) return;
    const warning = this.stage.inspect?.(input, work.message);
    if (warning === undefined) return;
    this.logger.warn({ ...work.ids, ...this.source(work), status: warning.status }, warning.message);
  }

  /** Starts what may start. */
  private pump(): void {
    while (!this.stopping && this.running < this.options.maxInFlight) {
      const work = this.scheduler.next();
      if (!work) break;
      this.running++;
      work.state = 'running';
      void this.run(work);
    }
  }

  private async run(work: Work<In>): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await this.attempt(work);
      if (outcome.kind === 'done') await this.releaseWaiting(work);
    } catch (thrown) {
      // attempt() classifies every failure it expects; anything else is a bug, kept from the commit.
      this.logger.error(
        {
          ...work.ids,
          offset: work.message.offset,
          status: 'failed',
          error_type: 'internal_error',
          err: thrown,
        },
        'stage runner failed',
      );
      outcome = { kind: 'wait', ms: KAFKA_RETRY_MS.max };
    }
    this.running--;
    if (work.state === 'dropped') {
      this.scheduler.finish(work);
    } else if (outcome.kind === 'done') {
      this.finish(work);
    } else if (outcome.kind === 'wait' && !this.stopping) {
      this.park(work, outcome.ms);
    } else {
      // Shutdown: left unfinished and uncommitted, handled again after the restart.
      this.scheduler.park(work);
      work.state = 'parked';
    }
    if (this.running === 0) this.idle?.();
    this.pump();
  }

  private finish(work: Work<In>): void {
    this.scheduler.finish(work);
    work.state = 'dropped';
    const state = this.partitions.get(work.partition);
    if (!state) return;
    state.tracker.finish(work.offset);
    if (state.paused && state.tracker.pending <= this.options.maxBufferedPerPartition / 2) {
      state.paused = false;
      this.consumer.resume([{ topic: this.stage.inputTopic, partitions: [work.partition] }]);
    }
  }

  private park(work: Work<In>, ms: number): void {
    this.scheduler.park(work);
    work.state = 'parked';
    this.parked.add(work);
    work.timer = setTimeout(() => {
      this.parked.delete(work);
      if (work.state !== 'parked' || this.stopping) return;
      work.state = 'waiting';
      this.scheduler.unpark(work);
      this.pump();
    }, ms);
  }

  /**
   * One step of a message: the stage's work with its retry policy, then the Kafka writes, which are
   * retried for as long as it takes (Kafka being down is not the message's fault).
   */
  private async attempt(work: Work<In>): Promise<Outcome> {
    if (work.givenUp) return this.writeDeadLetter(work, work.givenUp.error, work.givenUp.attempts);
    if (work.outputs === undefined && work.retried && work.localAttempts === 0) {
      const wait = work.retried.dueAt - Date.now();
      if (wait > 0) return { kind: 'wait', ms: wait };
    }
    if (work.outputs === undefined && work.localAttempts === 0) {
      const route = this.options.waitingKeys?.routeOf(this.waitingKeyOf(work));
      // Due with the waiting message (it, or one that followed it there): its turn, in key order.
      if (route && route.dueAt !== work.retried?.dueAt) return this.follow(work, route);
    }
    if (work.outputs === undefined) {
      work.attempt++;
      work.localAttempts++;
      try {
        work.outputs = await this.work(work);
      } catch (thrown) {
        return this.failed(work, toLeadstreamError(thrown));
      }
    }
    return this.send(work, work.outputs);
  }

  private async work(work: Work<In>): Promise<OutgoingMessage[]> {
    if (work.input === undefined) {
      if (work.message.value === null)
        throw new LeadstreamError('serde_error', 'message without a value', {
          details: { reason: 'no_value' },
        });
      work.input = await this.stage.decode(work.message.value);
      work.ids = this.stage.describe(work.input);
      this.inspect(work, work.input);
    }
    const outputs = await this.stage.handle(work.input);
    // Kafka would refuse it on every attempt: a permanent failure, found before anything is sent.
    const limit = this.options.producer.maxRecordBytes;
    for (const output of outputs) {
      const bytes = recordSize(output);
      if (bytes > limit) {
        throw new LeadstreamError(
          'record_too_large',
          `${this.stage.name} output of ${bytes} bytes for ${output.topic} is over the ${limit}-byte limit (KAFKA_MAX_RECORD_BYTES)`,
          { details: { bytes, limit } },
        );
      }
    }
    return outputs;
  }

  /**
   * The stage's work failed: another attempt here after the policy's delay, else (still retryable) a
   * retry topic, else the dead-letter topic.
   */
  private async failed(work: Work<In>, error: LeadstreamError): Promise<Outcome> {
    const { metrics, retry, retryTopics } = this.options;
    // From a retry topic too: a short wait the CRM asks for (a secondly rate limit, an open circuit's
    // probe due in a moment) is waited here rather than on the next, longer retry topic.
    const inProcess = nextRetryDelay(error, work.localAttempts, retry);
    const route =
      inProcess === undefined && error.retryable && retryTopics
        ? nextRetry(work.retried, error.retryAfterMs, Date.now(), retryTopics)
        : undefined;
    metrics.failures.inc({ stage: this.stage.name, error_type: error.type });
    this.stage.onAttemptFailed?.(work.input, error, inProcess !== undefined || route !== undefined);
    const fields = {
      ...work.ids,
      ...this.source(work),
      error_type: error.type,
      attempt: work.attempt,
      err: error,
    };
    if (inProcess !== undefined) {
      this.logger.warn({ ...fields, status: 'retry', retry_in_ms: inProcess }, error.message);
      return { kind: 'wait', ms: inProcess };
    }
    if (route !== undefined) {
      const retried = { ...route, attempts: work.attempt, sourceTopic: this.sourceTopicOf(work) };
      const outcome = await this.sendToRetryTopic(work, route.tier.topic, retried, error.type);
      if (outcome.kind === 'done') {
        await this.markWaiting(work, route);
        this.logger.warn(
          {
            ...fields,
            status: 'retry_scheduled',
            retry_topic: route.tier.topic,
            retry_in_ms: route.dueAt - Date.now(),
          },
          error.message,
        );
      }
      return outcome;
    }
    work.givenUp = { error, attempts: work.attempt };
    return this.writeDeadLetter(work, error, work.attempt);
  }

  /** A later message of a key waiting on a retry topic goes there too, behind it. */
  private follow(
    work: Work<In>,
    route: { tier: { topic: string }; hop: number; dueAt: number },
  ): Promise<Outcome> {
    const retried = {
      dueAt: route.dueAt,
      hop: route.hop,
      firstFailedAt: work.retried?.firstFailedAt ?? Date.now(),
      attempts: work.attempt,
      sourceTopic: this.sourceTopicOf(work),
    };
    this.logger.info(
      { ...work.ids, ...this.source(work), status: 'retry_scheduled', retry_topic: route.tier.topic },
      'follows an earlier message of its key onto a retry topic',
    );
    return this.sendToRetryTopic(work, route.tier.topic, retried, 'follows_retry');
  }

  private async sendToRetryTopic(
    work: Work<In>,
    topic: string,
    retried: RetryState,
    errorType: string,
  ): Promise<Outcome> {
    const { message } = work;
    try {
      await this.options.producer.send(
        {
          topic,
          key: message.key?.toString('utf8') ?? work.tenant,
          value: message.value ?? Buffer.alloc(0),
          headers: withRetryHeaders(message.headers, retried, errorType),
        },
        { maxRecordBytes: deadLetterMaxRecordBytes(this.options.producer.maxRecordBytes) },
      );
    } catch (thrown) {
      return this.kafkaFailed(work, toLeadstreamError(thrown));
    }
    work.stopTimer();
    return { kind: 'done' };
  }

  private sourceTopicOf(work: Work<In>): string {
    return work.retried?.sourceTopic ?? this.stage.inputTopic;
  }

  private waitingKeyOf(work: Work<In>): WaitingKey {
    return { tenant: work.tenant, key: work.key };
  }

  /**
   * The key now waits on a retry topic. Should the mark not be kept (the ledger unwritable), the message
   * is still on its retry topic: only a later message of its key may then overtake it after a restart.
   */
  private async markWaiting(work: Work<In>, route: RetryRoute): Promise<void> {
    try {
      await this.options.waitingKeys?.mark(this.waitingKeyOf(work), route);
    } catch (error) {
      this.logger.warn(
        { ...work.ids, ...this.source(work), status: 'retry', error_type: 'kafka_unavailable', err: error },
        'the key waiting on a retry topic was not recorded',
      );
    }
  }

  /** A message from a retry topic finished: its key no longer waits, unless it moved on. */
  private async releaseWaiting(work: Work<In>): Promise<void> {
    if (work.retried === undefined || this.options.waitingKeys === undefined) return;
    try {
      await this.options.waitingKeys.release(this.waitingKeyOf(work), work.retried.dueAt);
    } catch (error) {
      this.logger.warn(
        { ...work.ids, ...this.source(work), status: 'retry', error_type: 'kafka_unavailable', err: error },
        'the key no longer waiting on a retry topic was not recorded',
      );
    }
  }

  /**
   * Writes the outputs. One refused for its size (a topic taking less than KAFKA_MAX_RECORD_BYTES) fails
   * the message as permanently as an output found over the limit before sending: it is dead-lettered.
   */
  private async send(work: Work<In>, outputs: OutgoingMessage[]): Promise<Outcome> {
    const results = await Promise.allSettled(outputs.map((output) => this.options.producer.send(output)));
    const errors = results.flatMap((result): unknown[] =>
      result.status === 'rejected' ? [result.reason] : [],
    );
    if (errors.length === 0) {
      work.stopTimer();
      if (!this.stage.logsOwnSuccess) {
        this.logger.info(
          { ...work.ids, ...this.source(work), status: 'success', attempt: work.attempt },
          `${this.stage.name} processed`,
        );
      }
      return { kind: 'done' };
    }
    const refusals = errors.filter(isTooLarge);
    const [refusal] = refusals;
    if (refusal !== undefined && refusals.length === errors.length) {
      this.options.metrics.failures.inc({ stage: this.stage.name, error_type: refusal.type });
      this.stage.onAttemptFailed?.(work.input, refusal, false);
      work.givenUp = { error: refusal, attempts: work.attempt };
      return this.writeDeadLetter(work, refusal, work.attempt);
    }
    // Every output is sent again: those Kafka already took are duplicates downstream, which at least
    // once allows and each stage absorbs.
    return this.kafkaFailed(work, toLeadstreamError(errors.find((error) => !isTooLarge(error))));
  }

  private async writeDeadLetter(work: Work<In>, error: LeadstreamError, attempts: number): Promise<Outcome> {
    try {
      await this.options.deadLetters.write({
        stage: this.stage.name,
        // From a retry topic: named by where it came from first, where a replay sends it back.
        source: { topic: this.sourceTopicOf(work), partition: work.partition },
        message: { ...work.message, headers: withoutRetryHeaders(work.message.headers) } as KafkaMessage,
        error,
        attempts,
        failedAt: new Date(),
        tenantId: work.ids.tenant_id,
        callId: work.ids.call_id,
      });
    } catch (thrown) {
      return this.kafkaFailed(work, toLeadstreamError(thrown));
    }
    work.stopTimer();
    const { metrics } = this.options;
    metrics.deadLetters.inc({
      stage: this.stage.name,
      error_type: error.type,
      ...metrics.tenant(work.ids.tenant_id),
    });
    this.stage.onDeadLettered?.(work.input, error, work.message);
    this.logger.error(
      {
        ...work.ids,
        ...this.source(work),
        error_type: error.type,
        attempt: attempts,
        err: error,
        status: 'dead_lettered',
      },
      error.message,
    );
    return { kind: 'done' };
  }

  private kafkaFailed(work: Work<In>, error: LeadstreamError): Outcome {
    work.kafkaAttempt++;
    const ms = Math.min(KAFKA_RETRY_MS.max, KAFKA_RETRY_MS.first * 2 ** (work.kafkaAttempt - 1));
    this.options.metrics.failures.inc({ stage: this.stage.name, error_type: error.type });
    this.logger.warn(
      {
        ...work.ids,
        ...this.source(work),
        error_type: error.type,
        attempt: work.kafkaAttempt,
        err: error,
        status: 'retry',
        retry_in_ms: ms,
      },
      error.message,
    );
    return { kind: 'wait', ms };
  }

  /** Commits each owned partition's watermark that moved since the last commit. */
  private commit(): Promise<void> {
    this.committing ??= this.commitWatermarks().finally(() => {
      this.committing = undefined;
    });
    return this.committing;
  }

  private async commitWatermarks(): Promise<void> {
    const moved: Array<{ partition: number; offset: number; state: PartitionState }> = [];
    for (const [partition, state] of this.partitions) {
      const offset = state.tracker.watermark();
      if (offset !== undefined && offset !== state.committed) moved.push({ partition, offset, state });
    }
    if (moved.length === 0) return;
    try {
      await this.consumer.commitOffsets(
        moved.map(({ partition, offset }) => ({
          topic: this.stage.inputTopic,
          partition,
          offset: String(offset),
        })),
      );
      for (const { partition, offset, state } of moved) {
        if (this.partitions.get(partition) === state) state.committed = offset;
      }
    } catch (error) {
      // A rebalance in progress, the coordinator moving: the next tick commits the same watermarks.
      this.logger.warn(
        { status: 'retry', error_type: 'kafka_unavailable', err: error },
        'offset commit failed',
      );
    }
  }

  /** After a rebalance: forgets the partitions this member lost, and their messages in hand. */
  private keepOnly(assigned: readonly number[]): void {
    const kept = new Set(assigned);
    for (const partition of [...this.partitions.keys()]) {
      if (kept.has(partition)) continue;
      const state = this.partitions.get(partition);
      this.partitions.delete(partition);
      for (const work of this.scheduler.dropPartition(partition)) {
        if (work.state === 'parked') {
          clearTimeout(work.timer);
          this.parked.delete(work);
        }
        work.state = 'dropped';
      }
      // A pause outlives the assignment in kafkajs: the partition would never be fetched again here.
      if (state?.paused) this.consumer.resume([{ topic: this.stage.inputTopic, partitions: [partition] }]);
    }
  }

  private partitionState(partition: number): PartitionState {
    let state = this.partitions.get(partition);
    if (!state) {
      state = { tracker: new OffsetTracker(), paused: false, committed: undefined };
      this.partitions.set(partition, state);
    }
    return state;
  }

  private source(work: Work<In>): Record<string, string | number> {
    return {
      ...this.stage.logContext?.(work.message),
      topic: this.stage.inputTopic,
      partition: work.partition,
      offset: work.message.offset,
    };
  }
}
