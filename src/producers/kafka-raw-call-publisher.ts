import type { RawCall } from '../events/raw-call.js';
import type { AvroSerde } from '../kafka/avro-serde.js';
import type { EventProducer } from '../kafka/event-producer.js';
import { PRODUCER_HEADERS } from '../kafka/producer-headers.js';
import type { RawCallPublisher } from './raw-call-publisher.js';

/**
 * Publishes accepted leads to raw-calls, keyed by tenant. A call that names its source (source_name: a
 * backfill, a file of an upstream producer's) carries that name as the producer header too, as
 * docs/producing-events.md asks of every producer; the gateway's own intakes name none.
 */
export class KafkaRawCallPublisher implements RawCallPublisher {
  constructor(
    private readonly producer: EventProducer,
    private readonly serde: AvroSerde,
    private readonly topic: string,
  ) {}

  async publish(call: RawCall): Promise<void> {
    await this.producer.send({
      topic: this.topic,
      key: call.tenant_id,
      value: this.serde.encode(this.topic, 'RawCall', call),
      ...(call.source_name === null ? {} : { headers: { [PRODUCER_HEADERS.producer]: call.source_name } }),
    });
  }
}
