import { randomUUID } from 'node:crypto';
import { Kafka, type KafkaMessage, logLevel } from 'kafkajs';
import { KAFKA_BROKERS } from './platform.js';
import { waitFor } from './wait-for.js';

export interface ReadMessage {
  partition: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

function headersOf(message: KafkaMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(message.headers ?? {}).map(([name, value]) => [
      name,
      String(Array.isArray(value) ? value[0] : value),
    ]),
  );
}

/** Reads a topic from the beginning with a throwaway consumer group until `count` messages arrived. */
export async function readTopic(topic: string, count: number, timeoutMs = 30_000): Promise<ReadMessage[]> {
  const kafka = new Kafka({
    clientId: 'test-reader',
    brokers: KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        messages.push({
          partition,
          key: message.key?.toString('utf8') ?? null,
          value: message.value,
          headers: headersOf(message),
        });
      },
    });
    await waitFor(
      `${count} messages on ${topic}`,
      () => (messages.length >= count ? true : undefined),
      timeoutMs,
    );
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
