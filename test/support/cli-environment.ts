import { loadSettings, type Settings } from '../../src/config/settings.js';
import { isolatedPlatform } from './platform.js';

/**
 * Points the settings a CLI command reads from the environment (loadSettings()) at topics of this
 * test file's own, as isolatedSettings does for roles started in-process; returns those settings.
 */
export function isolatedCliEnvironment(overrides: Record<string, string> = {}): Settings {
  const environment: Record<string, string> = {
    ...isolatedPlatform(),
    RETRY_TOPIC_DELAYS_MS: '1000,2000',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
    ...overrides,
  };
  Object.assign(process.env, environment);
  return loadSettings();
}
