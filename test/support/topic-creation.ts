import type { Admin, ITopicConfig } from 'kafkajs';
import { waitFor } from './wait-for.js';

/**
 * Creates topics and waits until the broker names a leader for each of their partitions. kafkajs's own
 * `waitForLeaders` gives up at the first UNKNOWN_TOPIC_OR_PARTITION (tulios/kafkajs#1222), which a
 * loaded broker answers for a moment about a topic it has just created; here that answer is waited out.
 */
export async function createTopicsWithLeaders(admin: Admin, topics: ITopicConfig[]): Promise<void> {
  await admin.createTopics({ waitForLeaders: false, topics });
  const names = topics.map(({ topic }) => topic);
  await waitFor(`a leader for every partition of ${names.join(', ')}`, async () => {
    const metadata = await admin.fetchTopicMetadata({ topics: names }).catch(() => undefined);
    const led = metadata?.topics.every(
      ({ partitions }) => partitions.length > 0 && partitions.every(({ leader }) => leader >= 0),
    );
    return led ? true : undefined;
  });
}
