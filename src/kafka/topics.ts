import kafkajs, { type Admin } from 'kafkajs';
import { type Settings, type TopicNames, topicNames } from '../config/settings.js';
import type { Logger } from '../observability/logger.js';
import { deadLetterMaxRecordBytes, topicMaxMessageBytes } from './record-size.js';
import { createTopicsWithLeaders } from './topic-leaders.js';

// Not among the names Node sees as named ESM exports of kafkajs's CommonJS module.
const { ConfigResourceTypes } = kafkajs;

export interface TopicLayout {
  names: TopicNames;
  partitions: number;
  replicationFactor: number;
  /** KAFKA_MAX_RECORD_BYTES: every topic must take a batch of records up to it. */
  maxRecordBytes: number;
}

/** Dead letters wait for a person to look at them: keep them longer than pipeline topics. */
const DEAD_LETTER_RETENTION_MS = String(30 * 24 * 3600 * 1000);

/**
 * The delivery ledger keeps one record per created CRM record (compaction keeps the last per key), for
 * as long as a command could still be redelivered: a week, far past any retry window.
 */
const LEDGER_CONFIG = [
  { name: 'cleanup.policy', value: 'compact,delete' },
  { name: 'retention.ms', value: String(7 * 24 * 3600 * 1000) },
];

/**
 * Creates the pipeline's topics when missing, with a `max.message.bytes` that takes the largest record
 * the producer sends there (on the dead-letter topic, an input at the limit plus the headers saying
 * why). Existing topics are left as they are (partition counts only grow by an operator's decision,
 * since growing them moves tenants between partitions); one that takes less is warned about.
 */
export async function ensureTopics(admin: Admin, layout: TopicLayout, logger: Logger): Promise<void> {
  const { names, partitions, replicationFactor, maxRecordBytes } = layout;
  const retries = names.crmCommandRetries.map(({ topic }) => topic);
  // A retry topic's record is its input plus the headers saying when it is due: a dead letter's headroom.
  const withHeadroom = new Set([names.deadLetters, ...retries]);
  const largestRecord = (topic: string) =>
    withHeadroom.has(topic) ? deadLetterMaxRecordBytes(maxRecordBytes) : maxRecordBytes;
  // Retry topics have crm-commands' partition count: a message waits on the partition of its tenant.
  const wanted = [
    names.rawCalls,
    names.enrichedCalls,
    names.crmCommands,
    names.deadLetters,
    ...retries,
    names.crmLedger,
    names.notifications,
    names.notificationsLedger,
  ];
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    await createTopicsWithLeaders(
      admin,
      missing.map((topic) => ({
        topic,
        numPartitions: partitions,
        replicationFactor,
        configEntries: [
          { name: 'max.message.bytes', value: String(topicMaxMessageBytes(largestRecord(topic))) },
          ...(topic === names.deadLetters ? [{ name: 'retention.ms', value: DEAD_LETTER_RETENTION_MS }] : []),
          ...(topic === names.crmLedger || topic === names.notificationsLedger ? LEDGER_CONFIG : []),
        ],
      })),
    );
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
  await warnOnSmallerRecordLimit(admin, wanted, largestRecord, maxRecordBytes, logger);
}

/**
 * A topic taking less than the largest record leadstream sends there refuses the records in between:
 * the producer fails only those (record_too_large; a stage dead-letters its input), but an operator
 * should raise the topic's `max.message.bytes`. On the dead-letter topic such a refusal fails the dead
 * letter itself, and its input is tried again until the topic takes it.
 */
async function warnOnSmallerRecordLimit(
  admin: Admin,
  topics: readonly string[],
  largestRecord: (topic: string) => number,
  maxRecordBytes: number,
  logger: Logger,
): Promise<void> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      configNames: ['max.message.bytes'],
    })),
  });
  for (const resource of described.resources) {
    const entry = resource.configEntries.find(({ configName }) => configName === 'max.message.bytes');
    const accepted = Number(entry?.configValue);
    const needed = topicMaxMessageBytes(largestRecord(resource.resourceName));
    if (entry !== undefined && accepted < needed) {
      logger.warn(
        {
          workflow_step: 'startup',
          topic: resource.resourceName,
          max_message_bytes: accepted,
          needed,
          max_record_bytes: maxRecordBytes,
        },
        "topic takes smaller records than leadstream writes there (KAFKA_MAX_RECORD_BYTES, plus a dead letter's headroom on the dead-letter topic); raise its max.message.bytes",
      );
    }
  }
}

/** The pipeline's topics as the settings name and size them, made where missing: what every writer runs first. */
export async function prepareTopics(admin: Admin, settings: Settings, logger: Logger): Promise<void> {
  await admin.connect();
  try {
    await ensureTopics(
      admin,
      {
        names: topicNames(settings),
        partitions: settings.TOPIC_PARTITIONS,
        replicationFactor: settings.TOPIC_REPLICATION_FACTOR,
        maxRecordBytes: settings.KAFKA_MAX_RECORD_BYTES,
      },
      logger,
    );
  } finally {
    await admin.disconnect();
  }
}
