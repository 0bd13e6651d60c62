import type { TenantConfigSource } from '../../config/tenants/tenant-config-source.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { SecretResolver } from '../../secrets/secret-resolver.js';
import type { Clock } from '../../time/clock.js';
import type { RawCallPublisher } from '../raw-call-publisher.js';

export interface GatewayDeps {
  tenants: TenantConfigSource;
  secrets: SecretResolver;
  publisher: RawCallPublisher;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  /** Answer 503 when Kafka has not acknowledged the write by then. */
  publishTimeoutMs?: number;
  /** Id for a web-form post that brings no submission_id. */
  newId?: () => string;
}
