import type { Admin, ITopicConfig } from 'kafkajs';
import { LeadstreamError } from '../errors/leadstream-error.js';

export interface LeaderWait {
  /** How long the broker may take to name a leader for every new partition. */
  timeoutMs: number;
  /** Pause between metadata reads. */
  intervalMs: number;
}

const DEFAULT_WAIT: LeaderWait = { timeoutMs: 60_000, intervalMs: 200 };

/**
 * Creates topics and waits until the broker names a leader for every partition, so the first write to
 * them is not refused. kafkajs's own `waitForLeaders` gives up at the first UNKNOWN_TOPIC_OR_PARTITION
 * (tulios/kafkajs#1222), which a loaded broker answers for a moment about a topic it has just created,
 * and a role's start then failed; here that answer is read again until the deadline.
 */
export async function createTopicsWithLeaders(
  admin: Admin,
  topics: ITopicConfig[],
  wait: LeaderWait = DEFAULT_WAIT,
): Promise<void> {
  await admin.createTopics({ waitForLeaders: false, topics });
  const names = topics.map(({ topic }) => topic);
  const deadline = Date.now() + wait.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: names });
      const led = metadata.topics.every(
        ({ partitions }) => partitions.length > 0 && partitions.every(({ leader }) => leader >= 0),
      );
      if (led && metadata.topics.length === names.length) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new LeadstreamError(
        'kafka_unavailable',
        `the broker named no leader for every partition of ${names.join(', ')} within ${wait.timeoutMs} ms`,
        { cause: lastError },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, wait.intervalMs));
  }
}
