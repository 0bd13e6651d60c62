import { type IHeaders, type Kafka, Partitioners, type Producer, type TopicMessages } from 'kafkajs';
import { LeadstreamError } from '../errors/leadstream-error.js';
import type { Metrics } from '../observability/metrics.js';

export interface OutgoingMessage {
  topic: string;
  /** Always the tenant id: per-tenant order depends on it. */
  key: string;
  value: Buffer;
  headers?: IHeaders;
}

interface Queued {
  message: OutgoingMessage;
  resolve: () => void;
  reject: (error: LeadstreamError) => void;
}

/** One request carries at most this many messages; a larger queue goes out in several. */
const MAX_BATCH = 500;

/**
 * An idempotent producer that waits for every in-sync replica (acks=all): a send resolves only once
 * the message is durable, which is what lets the gateway answer 202 and a stage commit its input.
 *
 * The idempotent producer allows one request in flight, so sends made while a request is out wait and
 * then leave together in the next one (group commit): under load many sends share a round trip, at rest
 * a send leaves at once. Messages keep their order: a batch starts only after the previous one ended.
 */
export class EventProducer {
  private readonly producer: Producer;
  private queue: Queued[] = [];
  private flushing = false;

  constructor(
    kafka: Kafka,
    private readonly metrics: Metrics,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Bounded retries would let the idempotent producer give up mid-sequence and break its ordering
      // guarantee; callers that need an answer in time (the gateway) bound the wait themselves.
      retry: { initialRetryTime: 300, maxRetryTime: 30_000, retries: Number.MAX_SAFE_INTEGER },
      // The Java client's murmur2 partitioner: a tenant lands on the same partition whichever client wrote it.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }

  send(message: OutgoingMessage): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, MAX_BATCH);
      this.queue = this.queue.slice(batch.length);
      const byTopic = new Map<string, TopicMessages>();
      for (const { message } of batch) {
        const group = byTopic.get(message.topic) ?? { topic: message.topic, messages: [] };
        group.messages.push({ key: message.key, value: message.value, headers: message.headers ?? {} });
        byTopic.set(message.topic, group);
      }
      try {
        await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic.values()] });
        for (const { message, resolve } of batch) {
          this.metrics.messagesProduced.inc({ topic: message.topic });
          resolve();
        }
      } catch (error) {
        const topics = [...byTopic.keys()].join(', ');
        const failure = new LeadstreamError('kafka_unavailable', `write to ${topics} not acknowledged`, {
          cause: error,
        });
        for (const { reject } of batch) reject(failure);
      }
    }
    this.flushing = false;
  }
}
