import { type IHeaders, type Kafka, Partitioners, type Producer } from 'kafkajs';
import { LeadstreamError } from '../errors/leadstream-error.js';
import type { Metrics } from '../observability/metrics.js';

export interface OutgoingMessage {
  topic: string;
  /** Always the tenant id: per-tenant order depends on it. */
  key: string;
  value: Buffer;
  headers?: IHeaders;
}

/**
 * An idempotent producer that waits for every in-sync replica (acks=all): a send resolves only once
 * the message is durable, which is what lets the gateway answer 202 and a stage commit its input.
 */
export class EventProducer {
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly metrics: Metrics,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
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

  async send(message: OutgoingMessage): Promise<void> {
    try {
      await this.producer.send({
        topic: message.topic,
        acks: -1,
        messages: [{ key: message.key, value: message.value, headers: message.headers ?? {} }],
      });
    } catch (error) {
      throw new LeadstreamError('kafka_unavailable', `write to ${message.topic} not acknowledged`, {
        cause: error,
      });
    }
    this.metrics.messagesProduced.inc({ topic: message.topic });
  }
}
