import type { Admin } from 'kafkajs';
import type { TopicNames } from '../config/settings.js';
import type { Logger } from '../observability/logger.js';

export interface TopicLayout {
  names: TopicNames;
  partitions: number;
  replicationFactor: number;
}

/** Dead letters wait for a person to look at them: keep them longer than pipeline topics. */
const DEAD_LETTER_RETENTION_MS = String(30 * 24 * 3600 * 1000);

/**
 * Creates the pipeline's topics when missing. Existing topics are left as they are (partition counts
 * only grow by an operator's decision, since growing them moves tenants between partitions).
 */
export async function ensureTopics(admin: Admin, layout: TopicLayout, logger: Logger): Promise<void> {
  const { names, partitions, replicationFactor } = layout;
  const wanted = [names.rawCalls, names.enrichedCalls, names.crmCommands, names.deadLetters];
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: partitions,
        replicationFactor,
        configEntries:
          topic === names.deadLetters ? [{ name: 'retention.ms', value: DEAD_LETTER_RETENTION_MS }] : [],
      })),
    });
    logger.info({ workflow_step: 'startup', topics: missing }, 'created topics');
  }
  const metadata = await admin.fetchTopicMetadata({ topics: wanted });
  for (const topic of metadata.topics) {
    if (topic.partitions.length !== partitions) {
      logger.warn(
        {
          workflow_step: 'startup',
          topic: topic.name,
          partitions: topic.partitions.length,
          configured: partitions,
        },
        'topic exists with a different partition count; leaving it as it is',
      );
    }
  }
}
