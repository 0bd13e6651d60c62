import { randomUUID } from 'node:crypto';
import { loadSettings, type Settings } from '../../src/config/settings.js';
import { KAFKA_BROKERS, REGISTRY_URL } from './platform.js';

/**
 * Points the settings a CLI command reads from the environment (loadSettings()) at topics of this
 * test file's own, as isolatedSettings does for roles started in-process; returns those settings.
 */
export function isolatedCliEnvironment(overrides: Record<string, string> = {}): Settings {
  const run = randomUUID().slice(0, 8);
  const environment: Record<string, string> = {
    KAFKA_BROKERS,
    LEADSTREAM_REGISTRY_URL: REGISTRY_URL,
    KAFKA_CONSUMER_GROUP_PREFIX: `test-${run}`,
    TOPIC_RAW_CALLS: `raw-calls-${run}`,
    TOPIC_ENRICHED_CALLS: `enriched-calls-${run}`,
    TOPIC_CRM_COMMANDS: `crm-commands-${run}`,
    TOPIC_DEAD_LETTERS: `dead-letters-${run}`,
    TOPIC_NOTIFICATIONS: `notifications-${run}`,
    TOPIC_PARTITIONS: '3',
    RETRY_TOPIC_DELAYS_MS: '1000,2000',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
    ...overrides,
  };
  Object.assign(process.env, environment);
  return loadSettings();
}
