import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { DEAD_LETTER_HEADERS } from '../kafka/dead-letter-writer.js';
import type { EventProducer } from '../kafka/event-producer.js';
import { headerText, isSelected, originalHeaders, type ReplaySelection } from './replay-selection.js';

export interface ReplayReport {
  scanned: number;
  replayed: number;
  /** Replayed (or, in a dry run, would be) per source topic. */
  byTopic: Record<string, number>;
}

/**
 * Sends selected dead letters back to the topic they failed on, byte for byte with their original key and
 * headers, once their cause is fixed (a CRM back up, a configuration corrected). It reads the dead-letter
 * topic up to its end at the time of the call, under a throwaway consumer group, so it never commits
 * anything and a second run sees the same letters: duplicates are absorbed downstream by idempotency keys.
 */
export async function replayDeadLetters(options: {
  kafka: Kafka;
  producer: EventProducer;
  topic: string;
  selection: ReplaySelection;
  dryRun: boolean;
}): Promise<ReplayReport> {
  const { kafka, producer, topic, selection, dryRun } = options;
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(
    ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high) - 1n]),
  );
  const report: ReplayReport = { scanned: 0, replayed: 0, byTopic: {} };
  if (remaining.size === 0) return report;

  const consumer = kafka.consumer({ groupId: `leadstream-dlq-replay-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const last = remaining.get(partition);
            if (last === undefined || BigInt(message.offset) > last) return;
            report.scanned += 1;
            const source = headerText(message.headers, DEAD_LETTER_HEADERS.sourceTopic);
            if (source !== undefined && message.value !== null && isSelected(message.headers, selection)) {
              if (!dryRun) {
                await producer.send({
                  topic: source,
                  key: message.key?.toString('utf8') ?? '',
                  value: message.value,
                  headers: originalHeaders(message.headers),
                });
              }
              report.replayed += 1;
              report.byTopic[source] = (report.byTopic[source] ?? 0) + 1;
            }
            if (BigInt(message.offset) >= last) remaining.delete(partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return report;
}
