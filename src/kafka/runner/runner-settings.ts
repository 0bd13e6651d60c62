import type { Settings } from '../../config/settings.js';
import type { RetryPolicy } from '../retry-policy.js';

/** What the deployment's settings decide about every stage runner. */
export interface StageRunnerSettings {
  retry: RetryPolicy;
  partitionsConsumedConcurrently: number;
  /** How long the group waits for a heartbeat before it gives this member's partitions to another. */
  sessionTimeoutMs: number;
  maxInFlight: number;
  maxInFlightPerTenant: number;
  maxBufferedPerPartition: number;
  commitIntervalMs: number;
}

export function stageRunnerSettings(settings: Settings): StageRunnerSettings {
  return {
    retry: {
      maxAttempts: settings.RETRY_MAX_ATTEMPTS,
      baseDelayMs: settings.RETRY_BASE_DELAY_MS,
      maxDelayMs: settings.RETRY_MAX_DELAY_MS,
    },
    partitionsConsumedConcurrently: settings.PARTITIONS_CONSUMED_CONCURRENTLY,
    sessionTimeoutMs: settings.KAFKA_SESSION_TIMEOUT_MS,
    maxInFlight: settings.RUNNER_MAX_IN_FLIGHT,
    maxInFlightPerTenant: settings.RUNNER_MAX_IN_FLIGHT_PER_TENANT,
    maxBufferedPerPartition: settings.RUNNER_MAX_BUFFERED_PER_PARTITION,
    commitIntervalMs: settings.RUNNER_COMMIT_INTERVAL_MS,
  };
}
