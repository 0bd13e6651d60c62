import { z } from 'zod';
import { LeadstreamError } from '../errors/leadstream-error.js';
import { issuesFromZod } from './validation-issues.js';

const csv = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()))
  .pipe(z.array(z.string().min(1)).min(1));

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
  TOPIC_PARTITIONS: positiveInt.default(6),
  TOPIC_REPLICATION_FACTOR: positiveInt.default(1),
  PARTITIONS_CONSUMED_CONCURRENTLY: positiveInt.default(3),
  TENANT_CONFIG_DIR: z.string().min(1).default('examples/tenants'),
  SECRETS_BACKEND: z.enum(['env', 'file', 'google']).default('env'),
  SECRETS_DIR: z.string().min(1).default('/var/run/secrets/leadstream'),
  SECRETS_CACHE_TTL_MS: positiveInt.default(300_000),
  GATEWAY_HOST: z.string().min(1).default('0.0.0.0'),
  GATEWAY_PORT: port.default(8080),
  OPS_HOST: z.string().min(1).default('0.0.0.0'),
  OPS_PORT: port.default(9464),
  PUBLISH_TIMEOUT_MS: positiveInt.default(5_000),
  RETRY_MAX_ATTEMPTS: positiveInt.default(5),
  RETRY_BASE_DELAY_MS: positiveInt.default(500),
  RETRY_MAX_DELAY_MS: positiveInt.default(30_000),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(25_000),
  METRICS_TENANT_LABEL: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  CONSUMER_LAG_INTERVAL_MS: positiveInt.default(15_000),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Reads and validates settings; a bad variable stops the process with its name and what was expected. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = settingsSchema.safeParse(present);
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
}

export function topicNames(settings: Settings): TopicNames {
  return {
    rawCalls: settings.TOPIC_RAW_CALLS,
    enrichedCalls: settings.TOPIC_ENRICHED_CALLS,
    crmCommands: settings.TOPIC_CRM_COMMANDS,
    deadLetters: settings.TOPIC_DEAD_LETTERS,
  };
}
