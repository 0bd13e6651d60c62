import type { Admin } from 'kafkajs';

/** A consumer group and one topic it consumes. */
export interface ConsumedTopic {
  groupId: string;
  topic: string;
}

/**
 * Messages the groups have taken no finished account of: per group and topic partition, the end offset
 * less the committed one (the whole log when nothing is committed yet). A stage commits at its
 * watermark, so 0 means every message was delivered, dead-lettered or handed to a retry topic that is
 * itself in the list: nothing a stage still holds, parked or in flight.
 */
export async function unfinishedMessages(admin: Admin, consumed: readonly ConsumedTopic[]): Promise<number> {
  let total = 0;
  for (const { groupId, topic } of consumed) {
    const [ends, [committed]] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    for (const end of ends) {
      const offset = Number(committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
      total += Math.max(0, Number(end.high) - (offset < 0 ? Number(end.low) : offset));
    }
  }
  return total;
}
