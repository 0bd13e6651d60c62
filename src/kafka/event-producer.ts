import { setTimeout as sleep } from 'node:timers/promises';
import {
  type IHeaders,
  type Kafka,
  type Message,
  Partitioners,
  type Producer,
  type TopicMessages,
} from 'kafkajs';
import { LeadstreamError } from '../errors/leadstream-error.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ReadinessCheck } from '../observability/ops-server.js';
import { recordSize } from './record-size.js';
import { byPartition, classifySendFailure, isSizeRefusal } from './send-failure.js';

export interface OutgoingMessage {
  topic: string;
  /** Always the tenant id: per-tenant order depends on it. */
  key: string;
  value: Buffer;
  headers?: IHeaders;
}

export interface SendOptions {
  /**
   * The largest this record may be, instead of KAFKA_MAX_RECORD_BYTES: the dead-letter writer's, whose
   * records carry an input of up to that size plus the headers saying why.
   */
  maxRecordBytes?: number;
}

export interface EventProducerOptions {
  /** KAFKA_MAX_RECORD_BYTES: a record larger than this (by `recordSize`) is refused before it is queued. */
  maxRecordBytes: number;
  logger: Logger;
}

interface Queued {
  message: OutgoingMessage;
  topic: string;
  bytes: number;
  /** The size limit it was sent under: KAFKA_MAX_RECORD_BYTES unless the send named another. */
  limit: number;
  /** The partition kafkajs chose on the first attempt; later attempts name it so the record stays there. */
  partition: number | undefined;
  resolve: () => void;
  reject: (error: LeadstreamError) => void;
}

/** One request carries at most this many messages; a larger queue goes out in several. */
const MAX_BATCH = 500;

/**
 * Fresh producers tried in a row for records that keep failing on the producer's state. One is expected
 * to do (a new producer id has no sequence to disagree with); a second covers the broker losing the new
 * id's state at once; a third failing means the cause is not this producer's state, and the process
 * reports itself not alive so it is restarted.
 */
const MAX_RECOVERIES = 3;

/** Waits before the second and third fresh producer: 1 s, then 2 s. */
const RECOVERY_BACKOFF_MS = 1_000;

/**
 * An idempotent producer that waits for every in-sync replica (acks=all): a send resolves only once
 * the message is durable, which is what lets the gateway answer 202 and a stage commit its input.
 *
 * The idempotent producer allows one request in flight, so sends made while a request is out wait and
 * then leave together in the next one (group commit): under load many sends share a round trip, at rest
 * a send leaves at once. Messages keep their order: a group starts only after the previous one ended.
 *
 * A group never fails for one of its records. kafkajs sends a group as one request per broker, one
 * record batch per partition; when the broker refuses one partition's batch it still writes the others,
 * but kafkajs rejects the whole send, naming only the first error, and rolls every partition's sequence
 * number back. The records are then sent again with the same producer, one partition's batch at a
 * time: a batch the broker already wrote has the same producer id and sequence numbers, so the broker
 * acknowledges it as a duplicate without writing it twice; a refused batch is refused again, and its
 * records are sent one by one so that only the refused ones fail. A broker answer that the producer's
 * state is wrong (out of order sequence, unknown producer id, ...) leaves a kafkajs producer refusing
 * that partition for good: it is replaced by a fresh one (new producer id) that sends those records
 * and everything queued behind them, in order.
 */
export class EventProducer {
  readonly maxRecordBytes: number;
  private readonly logger: Logger;
  private producer: Producer;
  /** The partition kafkajs's partitioner chose for each message object it was given. */
  private readonly chosenPartition = new WeakMap<Message, number>();
  private queue: Queued[] = [];
  private flushing = false;
  private disconnected = false;
  private unusable: LeadstreamError | undefined;

  constructor(
    private readonly kafka: Pick<Kafka, 'producer'>,
    private readonly metrics: Metrics,
    options: EventProducerOptions,
  ) {
    this.maxRecordBytes = options.maxRecordBytes;
    this.logger = options.logger.child({ component: 'event_producer' });
    this.producer = this.createProducer();
  }

  /** False once fresh producers failed MAX_RECOVERIES times in a row: only a process restart helps then. */
  get alive(): boolean {
    return this.unusable === undefined;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async disconnect(): Promise<void> {
    this.disconnected = true;
    await this.producer.disconnect();
  }

  /**
   * Resolves once Kafka acknowledged the message. Rejects with `record_too_large` (permanent) at once
   * when the record is over KAFKA_MAX_RECORD_BYTES (or the send's own limit) or the broker refuses it
   * for its size, and with `kafka_unavailable` when it was not written.
   */
  send(message: OutgoingMessage, options: SendOptions = {}): Promise<void> {
    if (this.unusable) return Promise.reject(this.unusable);
    const bytes = recordSize(message);
    const limit = options.maxRecordBytes ?? this.maxRecordBytes;
    if (bytes > limit) {
      const setting = limit === this.maxRecordBytes ? ' (KAFKA_MAX_RECORD_BYTES)' : '';
      return Promise.reject(
        new LeadstreamError(
          'record_too_large',
          `record of ${bytes} bytes for ${message.topic} is over the ${limit}-byte limit${setting}`,
          { details: { bytes, limit } },
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ message, topic: message.topic, bytes, limit, partition: undefined, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private createProducer(): Producer {
    const chosen = this.chosenPartition;
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Bounded retries would let the idempotent producer give up mid-sequence and break its ordering
      // guarantee; callers that need an answer in time (the gateway) bound the wait themselves.
      retry: { initialRetryTime: 300, maxRetryTime: 30_000, retries: Number.MAX_SAFE_INTEGER },
      // The Java client's murmur2 partitioner: a tenant lands on the same partition whichever client wrote
      // it. Its choices are remembered to re-send a refused group partition by partition.
      createPartitioner: () => {
        const partitioner = Partitioners.DefaultPartitioner();
        return (args) => {
          const partition = partitioner(args);
          chosen.set(args.message, partition);
          return partition;
        };
      },
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        if (this.unusable) {
          this.rejectAll(this.queue, this.unusable);
          this.queue = [];
          break;
        }
        await this.deliver(this.nextGroup());
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * The next records to send together. A partition's records leave as one record batch, which the
   * broker refuses whole when it is over the topic's max.message.bytes; keeping a group's records
   * within one record's limit means records that fit alone are never refused for travelling together.
   * A record over KAFKA_MAX_RECORD_BYTES (a dead letter, under its own limit) leaves alone.
   */
  private nextGroup(): Queued[] {
    let count = 0;
    let bytes = 0;
    for (const record of this.queue) {
      if (count === MAX_BATCH || (count > 0 && bytes + record.bytes > this.maxRecordBytes)) break;
      count += 1;
      bytes += record.bytes;
    }
    const group = this.queue.slice(0, count);
    this.queue = this.queue.slice(count);
    return group;
  }

  /** Sends a group until each record is acknowledged or refused, replacing the producer when it must. */
  private async deliver(group: Queued[]): Promise<void> {
    let stale = await this.settle(group);
    for (let failedRecoveries = 0; stale.length > 0; ) {
      if (this.disconnected) {
        this.rejectAll(
          stale,
          new LeadstreamError('kafka_unavailable', 'the Kafka producer was disconnected'),
        );
        return;
      }
      if (failedRecoveries === MAX_RECOVERIES) {
        this.unusable = new LeadstreamError(
          'kafka_unavailable',
          `the Kafka producer is unusable: ${MAX_RECOVERIES} fresh producers in a row failed; the process must restart`,
        );
        this.logger.error(
          { status: 'failed', error_type: 'kafka_unavailable', records: stale.length },
          this.unusable.message,
        );
        this.rejectAll(stale, this.unusable);
        return;
      }
      if (failedRecoveries > 0) await sleep(RECOVERY_BACKOFF_MS * failedRecoveries);
      if (await this.replaceProducer(failedRecoveries + 1, stale.length)) stale = await this.settle(stale);
      failedRecoveries = stale.length > 0 ? failedRecoveries + 1 : 0;
    }
  }

  /**
   * Sends records and settles what it can: acknowledged ones resolve, refused ones reject; returns those
   * to send again on a fresh producer, in their order.
   */
  private async settle(records: Queued[]): Promise<Queued[]> {
    const error = await this.attempt(records);
    if (error === undefined) {
      for (const { topic, resolve } of records) {
        this.metrics.messagesProduced.inc({ topic });
        resolve();
      }
      return [];
    }
    const failure = classifySendFailure(error);
    if (failure === 'unavailable') {
      const topics = [...new Set(records.map(({ topic }) => topic))].join(', ');
      this.rejectAll(
        records,
        new LeadstreamError('kafka_unavailable', `write to ${topics} not acknowledged`, { cause: error }),
      );
      return [];
    }
    const partitions = byPartition(records);
    // A partition's batch refused for the producer's state was not written, and neither would the same
    // records be, one by one: they wait for a fresh producer.
    if (failure === 'producer_state' && partitions.length === 1) return records;
    const [only] = records;
    if (only !== undefined && records.length === 1) {
      only.reject(this.refusal(only, error));
      return [];
    }
    const parts = partitions.length > 1 ? partitions : records.map((record) => [record]);
    this.logger.warn(
      {
        status: 'retry',
        error_type: 'kafka_unavailable',
        records: records.length,
        parts: parts.length,
        err: error,
      },
      'Kafka refused part of a grouped send; sending its records again in parts',
    );
    const stale: Queued[] = [];
    const stalePartitions = new Set<string>();
    const where = ({ topic, partition }: Queued) => `${topic}\u0000${partition}`;
    for (const part of parts) {
      // Records behind a stale one on its partition wait with it for the fresh producer: order holds.
      if (part.some((record) => stalePartitions.has(where(record)))) {
        stale.push(...part);
        continue;
      }
      for (const record of await this.settle(part)) {
        stalePartitions.add(where(record));
        stale.push(record);
      }
    }
    return stale;
  }

  /** One sendBatch; returns its error, and records the partition chosen for every record. */
  private async attempt(records: readonly Queued[]): Promise<unknown> {
    const byTopic = new Map<string, TopicMessages>();
    const sent: Array<[Queued, Message]> = [];
    for (const record of records) {
      const { key, value, headers } = record.message;
      const message: Message = {
        key,
        value,
        headers: headers ?? {},
        ...(record.partition === undefined ? {} : { partition: record.partition }),
      };
      const group = byTopic.get(record.topic) ?? { topic: record.topic, messages: [] };
      group.messages.push(message);
      byTopic.set(record.topic, group);
      sent.push([record, message]);
    }
    try {
      await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic.values()] });
      return undefined;
    } catch (error) {
      return error;
    } finally {
      for (const [record, message] of sent) record.partition ??= this.chosenPartition.get(message);
    }
  }

  /** A fresh producer (new producer id, sequences from 0) in place of one whose state the broker refuses. */
  private async replaceProducer(attempt: number, records: number): Promise<boolean> {
    this.metrics.producerRecoveries.inc();
    this.logger.warn(
      { status: 'retry', error_type: 'kafka_unavailable', attempt, records },
      'Kafka refused the producer state (producer id or sequence numbers); replacing the producer',
    );
    const previous = this.producer;
    this.producer = this.createProducer();
    try {
      await previous.disconnect();
    } catch (error) {
      this.logger.debug({ err: error }, 'disconnecting the replaced producer failed');
    }
    try {
      await this.producer.connect();
      // Stopped meanwhile: the fresh producer must not outlive disconnect().
      if (this.disconnected) await this.producer.disconnect();
      return !this.disconnected;
    } catch (error) {
      this.logger.warn(
        { status: 'retry', error_type: 'kafka_unavailable', attempt, err: error },
        'the fresh Kafka producer could not connect',
      );
      return false;
    }
  }

  private refusal(record: Queued, error: unknown): LeadstreamError {
    const { bytes, topic, limit } = record;
    if (isSizeRefusal(error)) {
      const setting = limit === this.maxRecordBytes ? 'KAFKA_MAX_RECORD_BYTES ' : '';
      return new LeadstreamError(
        'record_too_large',
        `record of ${bytes} bytes refused by Kafka as too large for ${topic}, whose max.message.bytes is below the ${setting}limit (${limit})`,
        { details: { bytes, limit }, cause: error },
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    return new LeadstreamError('kafka_unavailable', `write to ${topic} refused: ${reason}`, { cause: error });
  }

  private rejectAll(records: readonly Queued[], error: LeadstreamError): void {
    for (const { reject } of records) reject(error);
  }
}

/** The producer as an ops check: neither alive nor ready once it cannot write any more. */
export function producerCheck(producer: EventProducer): ReadinessCheck {
  return { name: 'producer', ready: () => producer.alive, alive: () => producer.alive };
}
