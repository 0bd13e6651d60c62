import type { RawCall } from '../events/raw-call.js';
import type { AvroSerde } from '../kafka/avro-serde.js';
import type { EventProducer } from '../kafka/event-producer.js';
import type { RawCallPublisher } from './raw-call-publisher.js';

/** Publishes accepted leads to raw-calls, keyed by tenant. */
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
    });
  }
}
