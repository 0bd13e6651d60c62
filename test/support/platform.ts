import { randomUUID } from 'node:crypto';
import { loadSettings, type Settings } from '../../src/config/settings.js';

export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
export const REGISTRY_URL = process.env.LEADSTREAM_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';

/** The platform, and topics and consumer groups named for one fresh run: no other test file's. */
export function isolatedPlatform(): Record<string, string> {
  const run = randomUUID().slice(0, 8);
  return {
    KAFKA_BROKERS,
    LEADSTREAM_REGISTRY_URL: REGISTRY_URL,
    KAFKA_CONSUMER_GROUP_PREFIX: `test-${run}`,
    TOPIC_RAW_CALLS: `raw-calls-${run}`,
    TOPIC_ENRICHED_CALLS: `enriched-calls-${run}`,
    TOPIC_CRM_COMMANDS: `crm-commands-${run}`,
    TOPIC_DEAD_LETTERS: `dead-letters-${run}`,
    TOPIC_NOTIFICATIONS: `notifications-${run}`,
    TOPIC_PARTITIONS: '3',
  };
}

/** Settings with topics and consumer groups of their own, so test files never see each other's messages. */
export function isolatedSettings(overrides: Record<string, string> = {}): Settings {
  return loadSettings({
    ...isolatedPlatform(),
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: '0',
    OPS_HOST: '127.0.0.1',
    OPS_PORT: '0',
    RETRY_MAX_ATTEMPTS: '3',
    RETRY_BASE_DELAY_MS: '100',
    RETRY_MAX_DELAY_MS: '2000',
    // Short retry topics, so a test sees a message wait on one and come back in seconds.
    RETRY_TOPIC_DELAYS_MS: '1000,2000',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // The CRM emulators and the CallRail fake listen there: allowed, and nothing else.
    OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
    ...overrides,
  });
}
