import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { TenantConfig } from '../../config/tenants/tenant-config.js';
import type { TenantConfigSource } from '../../config/tenants/tenant-config-source.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { RateLimit } from '../../rate-limits/token-bucket.js';
import type { SecretResolver } from '../../secrets/secret-resolver.js';
import type { Clock } from '../../time/clock.js';
import type { RawCallPublisher } from '../raw-call-publisher.js';
import { type BodyShapeLimits, DEFAULT_BODY_SHAPE } from './body-shape.js';

/** What the gateway accepts, how much and how often. */
export interface GatewayLimits {
  /** Larger bodies get 413 before they are read whole. */
  bodyLimitBytes: number;
  bodyShape: BodyShapeLimits;
  /** A longer transcript is cut there, with a marker, rather than losing the lead. */
  maxTranscriptChars: number;
  /** Requests per client address, counted before anything else. */
  clientBudget: RateLimit;
  /** Authenticated requests per tenant (a tenant's forms.requests_per_minute overrides it for forms). */
  tenantBudget: RateLimit;
  /** Fastify's trustProxy: whose X-Forwarded-For names the client (behind a load balancer). */
  trustProxy: FastifyServerOptions['trustProxy'];
}

export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = {
  // Below the largest record Kafka takes (KAFKA_MAX_RECORD_BYTES, ~1 MB): a body that cannot be
  // stored is refused before it is read, and the record built from it is checked again.
  bodyLimitBytes: 1024 * 1024,
  bodyShape: DEFAULT_BODY_SHAPE,
  // About two and a half hours of speech.
  maxTranscriptChars: 100_000,
  clientBudget: { requests: 50, perMs: 1_000, burst: 300 },
  tenantBudget: { requests: 10, perMs: 1_000, burst: 200 },
  trustProxy: false,
};

export function gatewayLimits(overrides: Partial<GatewayLimits> = {}): GatewayLimits {
  return { ...DEFAULT_GATEWAY_LIMITS, ...overrides };
}

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
  limits?: Partial<GatewayLimits>;
}

/** What the gateway hands its routes besides its dependencies. */
export interface RouteDeps extends GatewayDeps {
  limits: GatewayLimits;
  rawBodies: WeakMap<FastifyRequest, Buffer>;
  tenantsOf: WeakMap<FastifyRequest, TenantConfig>;
  /** Charges one request to the tenant's budget; throws 429 when it is spent. */
  spendTenantBudget(tenant: TenantConfig, limit?: RateLimit): void;
}
