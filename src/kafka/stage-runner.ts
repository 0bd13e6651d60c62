import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { LeadstreamError, toLeadstreamError } from '../errors/leadstream-error.js';
import type { Logger, WorkflowStep } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { DeadLetterWriter } from './dead-letter-writer.js';
import type { EventProducer, OutgoingMessage } from './event-producer.js';
import { recordSize } from './record-size.js';
import { nextRetryDelay, type RetryPolicy } from './retry-policy.js';

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
  /** Does the work; the returned messages are produced (and acknowledged) before the input is committed. */
  handle(input: In): Promise<OutgoingMessage[]>;
  /**
   * The stage logs its own success line, with what it did. The runner then writes none, so a log query
   * counting successes (`workflow_step=crm_push AND status=success`) counts each message once.
   */
  logsOwnSuccess?: boolean;
  /** `willRetry`: the input will be tried again, now or (when shutdown interrupts) after a restart. */
  onAttemptFailed?(input: In | undefined, error: LeadstreamError, willRetry: boolean): void;
  /** The input was given up and written to the dead-letter topic. */
  onDeadLettered?(input: In | undefined, error: LeadstreamError): void;
}

export interface StageRunnerOptions {
  kafka: Kafka;
  producer: EventProducer;
  deadLetters: DeadLetterWriter;
  groupId: string;
  retry: RetryPolicy;
  partitionsConsumedConcurrently: number;
  /** How long the group waits for a heartbeat before it gives this member's partitions to another. */
  sessionTimeoutMs: number;
  metrics: Metrics;
  logger: Logger;
}

/** Thrown inside a batch when shutdown interrupts a retry wait: the message stays uncommitted. */
class Interrupted extends Error {}

const HEARTBEAT_EVERY_MS = 3_000;

/** Messages whose outputs may await acknowledgement together before their offsets are resolved. */
const PIPELINE_DEPTH = 200;

/** A handled message: what to write, and what to record once Kafka acknowledged it. */
interface Prepared {
  outputs: OutgoingMessage[];
  finish: () => void;
  /** Dead-letters the message when Kafka refuses one of its outputs for its size. */
  refused: (error: LeadstreamError) => Promise<void>;
}

function isTooLarge(error: unknown): error is LeadstreamError {
  return error instanceof LeadstreamError && error.type === 'record_too_large';
}

/** What a dead-lettered message writes: nothing, and nothing to record. */
const NOTHING: Prepared = { outputs: [], finish: () => undefined, refused: async () => undefined };

/**
 * Consumes one topic with one stage: at-least-once, in order per partition (so per tenant). An offset is
 * committed only after the stage's output was acknowledged by Kafka (or the CRM answered); a message
 * that cannot succeed goes to the dead-letter topic and the partition moves on.
 */
export class StageRunner<In> {
  private readonly consumer: Consumer;
  private readonly logger: Logger;
  private joined = false;
  private crashed: Error | undefined;

  constructor(
    private readonly stage: StageDefinition<In>,
    private readonly options: StageRunnerOptions,
  ) {
    this.logger = options.logger.child({ stage: stage.name, workflow_step: stage.workflowStep });
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: options.sessionTimeoutMs,
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.joined = true;
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
      autoCommit: true,
      autoCommitInterval: 1_000,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /** Stops fetching, lets the message in hand finish, commits what finished, leaves the group. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  /**
   * Handles a batch's messages in order and lets their outputs go to Kafka without waiting for each
   * acknowledgement; every PIPELINE_DEPTH messages (and at the end) it waits for all of them, and only
   * then resolves the offsets. A write Kafka did not acknowledge fails the batch, which is consumed
   * again from the last commit: at least once, never lost. An output refused for its size would be
   * refused again on every attempt: its message is dead-lettered instead (see `write`).
   */
  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary } = payload;
    let writes: Array<Promise<() => void>> = [];
    let lastOffset: string | undefined;
    const settle = async (): Promise<void> => {
      const results = await Promise.allSettled(writes);
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      for (const result of results) if (result.status === 'fulfilled') result.value();
      writes = [];
      if (lastOffset !== undefined) resolveOffset(lastOffset);
      await commitOffsetsIfNecessary();
    };
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      let prepared: Prepared;
      try {
        prepared = await this.prepare(message, batch.partition, heartbeat, isRunning);
      } catch (error) {
        if (error instanceof Interrupted) break;
        throw error;
      }
      writes.push(this.write(prepared));
      lastOffset = message.offset;
      // After every message, not every PIPELINE_DEPTH: behind a slow CRM a batch of 200 outlasts the
      // session timeout, the broker gives the partition to another member and the batch is delivered
      // twice. kafkajs sends a heartbeat only once its interval has passed, so this costs nothing.
      await heartbeat();
      if (writes.length >= PIPELINE_DEPTH) await settle();
    }
    await settle();
  }

  /**
   * Sends a message's outputs; resolves to what to record once they are all acknowledged. One refused
   * for its size (a topic taking less than KAFKA_MAX_RECORD_BYTES) fails that message alone, as
   * permanently as an output found over the limit before sending: the message is dead-lettered and the
   * partition moves on. Any other failure fails the batch, to be consumed again.
   */
  private async write(prepared: Prepared): Promise<() => void> {
    const results = await Promise.allSettled(
      prepared.outputs.map((output) => this.options.producer.send(output)),
    );
    const errors = results.flatMap((result): unknown[] =>
      result.status === 'rejected' ? [result.reason] : [],
    );
    if (!errors.every(isTooLarge)) throw errors.find((error) => !isTooLarge(error));
    const [refusal] = errors;
    if (refusal === undefined) return prepared.finish;
    await prepared.refused(refusal);
    return NOTHING.finish;
  }

  /** Runs the stage on one message with its retries; a message that cannot succeed is dead-lettered here. */
  private async prepare(
    message: KafkaMessage,
    partition: number,
    heartbeat: () => Promise<void>,
    isRunning: () => boolean,
  ): Promise<Prepared> {
    const { metrics, producer } = this.options;
    const stop = metrics.processingDuration.startTimer({ stage: this.stage.name });
    metrics.messagesConsumed.inc({ stage: this.stage.name, topic: this.stage.inputTopic });
    const source = { topic: this.stage.inputTopic, partition, offset: message.offset };
    let input: In | undefined;
    let ids: { tenant_id?: string; call_id?: string } = {};
    const failed = (error: LeadstreamError, willRetry: boolean) => {
      metrics.failures.inc({ stage: this.stage.name, error_type: error.type });
      this.stage.onAttemptFailed?.(input, error, willRetry);
    };
    const deadLetter = async (error: LeadstreamError, attempts: number) => {
      await this.options.deadLetters.write({
        stage: this.stage.name,
        source: { topic: this.stage.inputTopic, partition },
        message,
        error,
        attempts,
        failedAt: new Date(),
        tenantId: ids.tenant_id,
        callId: ids.call_id,
      });
      stop();
      metrics.deadLetters.inc({
        stage: this.stage.name,
        error_type: error.type,
        ...metrics.tenant(ids.tenant_id),
      });
      this.stage.onDeadLettered?.(input, error);
      this.logger.error(
        { ...ids, ...source, error_type: error.type, attempt: attempts, err: error, status: 'dead_lettered' },
        error.message,
      );
    };
    for (let attempt = 1; ; attempt++) {
      try {
        if (input === undefined) {
          if (message.value === null) throw new LeadstreamError('serde_error', 'message without a value');
          input = await this.stage.decode(message.value);
          ids = this.stage.describe(input);
        }
        const outputs = await this.stage.handle(input);
        // Kafka would refuse it on every attempt, holding the partition: a permanent failure, found
        // before anything of this message is sent.
        for (const output of outputs) {
          const bytes = recordSize(output);
          const limit = producer.maxRecordBytes;
          if (bytes > limit) {
            throw new LeadstreamError(
              'record_too_large',
              `${this.stage.name} output of ${bytes} bytes for ${output.topic} is over the ${limit}-byte limit (KAFKA_MAX_RECORD_BYTES)`,
              { details: { bytes, limit } },
            );
          }
        }
        const succeeded = { ...ids, ...source, status: 'success', attempt };
        return {
          outputs,
          finish: () => {
            stop();
            if (!this.stage.logsOwnSuccess) this.logger.info(succeeded, `${this.stage.name} processed`);
          },
          refused: async (error) => {
            failed(error, false);
            await deadLetter(error, attempt);
          },
        };
      } catch (thrown) {
        const error = toLeadstreamError(thrown);
        const delay = nextRetryDelay(error, attempt, this.options.retry);
        const willRetry = delay !== undefined && isRunning();
        failed(error, delay !== undefined);
        if (willRetry) {
          const fields = { ...ids, ...source, error_type: error.type, attempt, err: error };
          this.logger.warn({ ...fields, status: 'retry', retry_in_ms: delay }, error.message);
          await this.wait(delay, heartbeat, isRunning);
          continue;
        }
        if (delay !== undefined) throw new Interrupted();
        await deadLetter(error, attempt);
        return NOTHING;
      }
    }
  }

  /** Waits before a retry while keeping the group membership alive; gives up the message on shutdown. */
  private async wait(ms: number, heartbeat: () => Promise<void>, isRunning: () => boolean): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!isRunning()) throw new Interrupted();
      await sleep(Math.min(HEARTBEAT_EVERY_MS, until - Date.now()));
      await heartbeat();
    }
  }
}
