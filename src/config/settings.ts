import { z } from 'zod';
import { DEFAULT_CIRCUIT_POLICY } from '../crm/circuit-breaker/circuit-breaker.js';
import { LeadstreamError } from '../errors/leadstream-error.js';
import { type RetryTier, retryTiers } from '../kafka/runner/retry-topics.js';
import { outboundAllowedHostsSetting } from '../outbound/outbound-policy.js';
import { issuesFromZod } from './validation-issues.js';

const csv = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()))
  .pipe(z.array(z.string().min(1)).min(1));

/** Retry-topic delays: comma-separated milliseconds, distinct; empty for none (dead-letter instead). */
const retryDelays = z
  .string()
  .transform((value) => (value.trim() === '' ? [] : value.split(',').map((item) => Number(item.trim()))))
  .pipe(z.array(z.number().int().min(1_000)).max(8))
  .refine((delays) => new Set(delays).size === delays.length, 'delays must be distinct');

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

/**
 * Process settings, from the environment. Every variable has a default that works with the local
 * platform (scripts/platform.sh), so a fresh checkout runs with nothing set.
 */
const settingsSchema = z.object({
  KAFKA_BROKERS: csv.default(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: z.string().min(1).default('leadstream'),
  KAFKA_CONSUMER_GROUP_PREFIX: z.string().min(1).default('leadstream'),
  LEADSTREAM_REGISTRY_URL: z.url().default('http://127.0.0.1:8081/apis/ccompat/v7'),
  LEADSTREAM_REGISTRY_USERNAME: z.string().optional(),
  LEADSTREAM_REGISTRY_PASSWORD: z.string().optional(),
  TOPIC_RAW_CALLS: z.string().min(1).default('raw-calls'),
  TOPIC_ENRICHED_CALLS: z.string().min(1).default('enriched-calls'),
  TOPIC_CRM_COMMANDS: z.string().min(1).default('crm-commands'),
  TOPIC_DEAD_LETTERS: z.string().min(1).default('dead-letters'),
  /** What delivery hands the notifier role (send_notification, send_sms); its sent ids on `<topic>.ledger`. */
  TOPIC_NOTIFICATIONS: z.string().min(1).default('notifications'),
  /**
   * The relay e-mail notifications go through (`smtp://user:password@host:587`, `smtps://...`); none: e-mail
   * channels fail. Checked by connecting: the chart gives it from a Secret, which it cannot read.
   */
  SMTP_URL: z.string().min(1).optional(),
  SMTP_FROM: z.string().min(3).default('leadstream <notifications@localhost>'),
  TOPIC_PARTITIONS: positiveInt.default(6),
  TOPIC_REPLICATION_FACTOR: positiveInt.default(1),
  /** Largest record produced, framing included; src/kafka/record-size.ts says why 1 MB. */
  KAFKA_MAX_RECORD_BYTES: positiveInt.default(1_000_000),
  PARTITIONS_CONSUMED_CONCURRENTLY: positiveInt.default(3),
  /** Messages a stage runner works on at once, over all its partitions (src/kafka/stage-runner.ts). */
  RUNNER_MAX_IN_FLIGHT: positiveInt.default(128),
  /** Of those, at most this many for one tenant, so one tenant's backlog leaves room for the others. */
  RUNNER_MAX_IN_FLIGHT_PER_TENANT: positiveInt.default(16),
  /** Unfinished messages taken from one partition before its fetching pauses (resumes at half). */
  RUNNER_MAX_BUFFERED_PER_PARTITION: positiveInt.default(1_000),
  /** How often finished offsets are committed (at each partition's watermark). */
  RUNNER_COMMIT_INTERVAL_MS: positiveInt.default(1_000),
  /** How long a consumer group waits for a member's heartbeat before moving its partitions (kafkajs's default). */
  KAFKA_SESSION_TIMEOUT_MS: positiveInt.default(30_000),
  TENANT_CONFIG_DIR: z.string().min(1).default('examples/tenants'),
  /** Where tenant configuration lives: `directory` (TENANT_CONFIG_DIR) or `postgres` (DATABASE_URL). */
  TENANT_STORE: z.enum(['directory', 'postgres']).default('directory'),
  /**
   * The PostgreSQL tenant store, `postgres://user:password@host:port/db` (`scripts/postgres.sh url`
   * locally). Checked by connecting: the chart gives it from a Secret, which it cannot read.
   */
  DATABASE_URL: z.string().min(1).optional(),
  /** How often the postgres store is read whole, the safety net behind LISTEN/NOTIFY. */
  TENANT_STORE_RELOAD_MS: positiveInt.default(30_000),
  /** How long a consumer waits for a tenant it does not know to appear in the store before dead-lettering. */
  TENANT_UNKNOWN_RETRY_MS: positiveInt.default(10 * 60_000),
  /** Hosts, host:ports, addresses and CIDR ranges tenant URLs may reach though private or plain http (src/outbound/). */
  OUTBOUND_ALLOWED_HOSTS: outboundAllowedHostsSetting,
  SECRETS_BACKEND: z.enum(['env', 'file', 'google']).default('env'),
  SECRETS_DIR: z.string().min(1).default('/var/run/secrets/leadstream'),
  SECRETS_CACHE_TTL_MS: positiveInt.default(300_000),
  GATEWAY_HOST: z.string().min(1).default('0.0.0.0'),
  GATEWAY_PORT: port.default(8080),
  /** Larger request bodies get 413 before they are read whole. */
  GATEWAY_BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
  /** A longer transcript is cut there with a marker (leadstream_gateway_truncations_total). */
  GATEWAY_MAX_TRANSCRIPT_CHARS: positiveInt.default(100_000),
  /** Requests per second per client address, and the burst allowed (429 with Retry-After beyond). */
  GATEWAY_CLIENT_RATE_PER_SECOND: positiveInt.default(50),
  GATEWAY_CLIENT_BURST: positiveInt.default(300),
  /** Authenticated requests per second per tenant, and the burst (a tenant's forms.requests_per_minute wins for forms). */
  GATEWAY_TENANT_RATE_PER_SECOND: positiveInt.default(10),
  GATEWAY_TENANT_BURST: positiveInt.default(200),
  /**
   * Behind a load balancer: `true` (trust X-Forwarded-For from anyone) or comma-separated addresses
   * and CIDR ranges of the proxies; `false` (default) takes the socket's address as the client's.
   */
  GATEWAY_TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value): boolean | string[] =>
      value === 'true' ? true : value === 'false' ? false : value.split(',').map((item) => item.trim()),
    ),
  OPS_HOST: z.string().min(1).default('0.0.0.0'),
  OPS_PORT: port.default(9464),
  PUBLISH_TIMEOUT_MS: positiveInt.default(5_000),
  /** Outages in a row of one tenant's CRM that open its circuit (src/crm/circuit-breaker/). */
  CIRCUIT_FAILURE_THRESHOLD: positiveInt.default(DEFAULT_CIRCUIT_POLICY.failureThreshold),
  /** The first cool-down of an open circuit, doubled by each failed probe up to CIRCUIT_MAX_OPEN_MS. */
  CIRCUIT_OPEN_MS: positiveInt.default(DEFAULT_CIRCUIT_POLICY.openMs),
  CIRCUIT_MAX_OPEN_MS: positiveInt.default(DEFAULT_CIRCUIT_POLICY.maxOpenMs),
  RETRY_MAX_ATTEMPTS: positiveInt.default(5),
  RETRY_BASE_DELAY_MS: positiveInt.default(500),
  RETRY_MAX_DELAY_MS: positiveInt.default(30_000),
  /** Retry topics of crm-commands, for delivery's retries past RETRY_MAX_ATTEMPTS (src/kafka/runner/retry-topics.ts). */
  RETRY_TOPIC_DELAYS_MS: retryDelays.default([30_000, 60_000, 300_000]),
  /** How long after its first failure a retryable delivery is still retried before it is dead-lettered. */
  RETRY_WINDOW_MS: positiveInt.default(12 * 3_600_000),
  /**
   * Entries of the delivery ledger each delivery process holds in memory (src/crm/ledger/), the least
   * recently used dropped beyond it: about ten per new caller's call (its records, their announcements,
   * the caller's hashed phone and e-mail), a few hundred bytes each.
   */
  LEDGER_MAX_ENTRIES: positiveInt.default(500_000),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(25_000),
  METRICS_TENANT_LABEL: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  CONSUMER_LAG_INTERVAL_MS: positiveInt.default(15_000),
  /**
   * Threads the enricher's embedded analysis runs on (src/analysis/worker-pool/); 0, the default: the main
   * thread, which bench/stages.ts measured faster on the 2-core machine (README, Performance).
   */
  ANALYSIS_WORKERS: z.coerce.number().int().min(0).default(0),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Reads and validates settings; a bad variable stops the process with its name and what was expected. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = settingsSchema
    .refine((settings) => settings.TENANT_STORE !== 'postgres' || settings.DATABASE_URL !== undefined, {
      path: ['DATABASE_URL'],
      message: 'required with TENANT_STORE=postgres',
    })
    .safeParse(present);
  if (!parsed.success) {
    const lines = issuesFromZod(parsed.error).map((issue) => `${issue.path}: ${issue.message}`);
    throw new LeadstreamError('config_error', `invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export interface TopicNames {
  rawCalls: string;
  enrichedCalls: string;
  crmCommands: string;
  deadLetters: string;
  /** crm-commands' retry topics, shortest delay first. */
  crmCommandRetries: readonly RetryTier[];
  /** The compacted topic of records deliveries created (src/crm/ledger/). */
  crmLedger: string;
  notifications: string;
  /** The compacted topic of notifications sent, by id (src/notifications/). */
  notificationsLedger: string;
}

export function topicNames(settings: Settings): TopicNames {
  return {
    rawCalls: settings.TOPIC_RAW_CALLS,
    enrichedCalls: settings.TOPIC_ENRICHED_CALLS,
    crmCommands: settings.TOPIC_CRM_COMMANDS,
    deadLetters: settings.TOPIC_DEAD_LETTERS,
    crmCommandRetries: retryTiers(settings.TOPIC_CRM_COMMANDS, settings.RETRY_TOPIC_DELAYS_MS),
    crmLedger: `${settings.TOPIC_CRM_COMMANDS}.ledger`,
    notifications: settings.TOPIC_NOTIFICATIONS,
    notificationsLedger: `${settings.TOPIC_NOTIFICATIONS}.ledger`,
  };
}
