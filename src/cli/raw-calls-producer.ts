import { type Settings, topicNames } from '../config/settings.js';
import { AvroSerde } from '../kafka/avro-serde.js';
import { EventProducer } from '../kafka/event-producer.js';
import { createKafka } from '../kafka/kafka-client.js';
import { prepareTopics } from '../kafka/topics.js';
import type { Logger } from '../observability/logger.js';
import { Metrics } from '../observability/metrics.js';
import { KafkaRawCallPublisher } from '../producers/kafka-raw-call-publisher.js';
import type { RawCallPublisher } from '../producers/raw-call-publisher.js';

export interface RawCallsProducer {
  publisher: RawCallPublisher;
  topic: string;
  close(): Promise<void>;
}

/**
 * A command's way onto raw-calls, the gateway's own: the pipeline's topics made if missing (as `run`
 * makes them), RawCall registered under `<topic>-value`, and the idempotent acks=all EventProducer
 * behind KafkaRawCallPublisher, keyed by tenant.
 */
export async function openRawCallsProducer(
  settings: Settings,
  logger: Logger,
  clientSuffix: string,
): Promise<RawCallsProducer> {
  const topics = topicNames(settings);
  const kafka = createKafka({
    brokers: settings.KAFKA_BROKERS,
    clientId: `${settings.KAFKA_CLIENT_ID}-${clientSuffix}`,
    logger,
  });
  await prepareTopics(kafka.admin(), settings, logger);
  const serde = new AvroSerde({
    url: settings.LEADSTREAM_REGISTRY_URL,
    username: settings.LEADSTREAM_REGISTRY_USERNAME,
    password: settings.LEADSTREAM_REGISTRY_PASSWORD,
  });
  await serde.register(topics.rawCalls, 'RawCall');
  const producer = new EventProducer(kafka, new Metrics({ processMetrics: false }), {
    maxRecordBytes: settings.KAFKA_MAX_RECORD_BYTES,
    logger,
  });
  await producer.connect();
  return {
    publisher: new KafkaRawCallPublisher(producer, serde, topics.rawCalls),
    topic: topics.rawCalls,
    close: () => producer.disconnect(),
  };
}
