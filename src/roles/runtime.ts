import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Analyzer } from '../analysis/analyzer.js';
import { defaultAnalyzer } from '../analysis/tenant-analyzer.js';
import { CallRailTranscripts } from '../analysis/transcripts/callrail-transcripts.js';
import { type Settings, topicNames } from '../config/settings.js';
import type { TenantConfigSource } from '../config/tenants/tenant-config-source.js';
import { deliveryStage } from '../consumers/delivery.js';
import { enricherStage } from '../consumers/enricher.js';
import { mapperStage } from '../consumers/mapper.js';
import { notifierStage } from '../consumers/notifier.js';
import { CrmCircuitBreakers } from '../crm/circuit-breaker/crm-circuit-breakers.js';
import type { CrmAdapter } from '../crm/crm-adapter.js';
import { CrmAdapterRegistry } from '../crm/crm-adapter-registry.js';
import { KafkaRecordLedger } from '../crm/ledger/kafka-record-ledger.js';
import { LedgerWaitingKeys } from '../crm/ledger/ledger-waiting-keys.js';
import { defaultCrmAdapters } from '../crm/registry.js';
import { AvroSerde } from '../kafka/avro-serde.js';
import { DeadLetterWriter } from '../kafka/dead-letter-writer.js';
import { EventProducer, producerCheck } from '../kafka/event-producer.js';
import { createKafka } from '../kafka/kafka-client.js';
import { stageRunnerSettings } from '../kafka/runner/runner-settings.js';
import { type StageDefinition, StageRunner, type StageRunnerOptions } from '../kafka/stage-runner.js';
import { prepareTopics } from '../kafka/topics.js';
import { NotificationChannels } from '../notifications/channel-registry.js';
import { smtpRelayFor } from '../notifications/smtp-relay.js';
import { ConsumerLagSampler } from '../observability/consumer-lag.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { Metrics } from '../observability/metrics.js';
import { buildOpsServer, type ReadinessCheck } from '../observability/ops-server.js';
import { OutboundGuard } from '../outbound/outbound-guard.js';
import { buildGateway } from '../producers/gateway/gateway.js';
import { KafkaRawCallPublisher } from '../producers/kafka-raw-call-publisher.js';
import type { SecretResolver } from '../secrets/secret-resolver.js';
import { secretResolverFor } from '../secrets/secret-resolver-for-settings.js';
import { type Clock, systemClock } from '../time/clock.js';
import type { Role } from './roles.js';
import { Shutdown } from './shutdown.js';
import { tenantSourceFor } from './tenant-source.js';

/** Replaceable collaborators, for tests and embedding; production takes the defaults from settings. */
export interface RuntimeOverrides {
  logger?: Logger;
  metrics?: Metrics;
  clock?: Clock;
  tenants?: TenantConfigSource;
  secrets?: SecretResolver;
  analyzer?: Analyzer;
  crmAdapters?: readonly CrmAdapter[];
  /** Awaited before each step of the start: a test observes the process part-started there, or fails it. */
  beforeStep?: (step: StartStep) => Promise<void>;
}

/** The steps of a start, in order; a role names the start of its consumer, or of the gateway's listener. */
export type StartStep = 'topics' | 'schemas' | 'producer' | 'ops' | Role | 'consumer_lag';

export interface RunningLeadstream {
  roles: readonly Role[];
  /** Where the gateway listens, when this process runs it. */
  gatewayUrl: string | undefined;
  opsUrl: string;
  ready(): boolean;
  /** Graceful stop: refuse new work, finish what is in hand, commit, disconnect. Idempotent. */
  stop(): Promise<void>;
}

function urlOf(app: FastifyInstance): string {
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
}

/**
 * Starts the given roles in this process, sharing one producer, one registry client and one ops server.
 * A step that fails (topics, registry, producer, a listener, a consumer) stops whatever had started and
 * rejects with its error, so the process can exit instead of running half-started.
 */
export async function startLeadstream(
  settings: Settings,
  roles: readonly Role[],
  overrides: RuntimeOverrides = {},
): Promise<RunningLeadstream> {
  const logger = overrides.logger ?? createLogger({ level: settings.LOG_LEVEL });
  const shutdown = new Shutdown();
  try {
    return await startRoles(settings, roles, { ...overrides, logger }, shutdown);
  } catch (error) {
    logger.error(
      { workflow_step: 'startup', status: 'failed', roles, err: error },
      'leadstream failed to start; stopping what had started',
    );
    // A component that would not close was logged by run(); the error worth reporting is the start's.
    await shutdown.run(logger).catch(() => undefined);
    throw error;
  }
}

async function startRoles(
  settings: Settings,
  roles: readonly Role[],
  overrides: RuntimeOverrides & { logger: Logger },
  shutdown: Shutdown,
): Promise<RunningLeadstream> {
  const { logger, beforeStep = async () => undefined } = overrides;
  const metrics = overrides.metrics ?? new Metrics({ tenantLabel: settings.METRICS_TENANT_LABEL });
  const clock = overrides.clock ?? systemClock;
  const topics = topicNames(settings);
  const tenants = overrides.tenants ?? (await tenantSourceFor(settings, { logger, metrics, shutdown }));
  const secrets = overrides.secrets ?? secretResolverFor(settings);
  // Every request to a tenant-configured URL (CRM, CallRail, LLM) connects through it; Kafka, the
  // registry and the secret store are the deployment's own and do not.
  const outbound = new OutboundGuard(settings.OUTBOUND_ALLOWED_HOSTS);
  shutdown.add('outbound', () => outbound.close());

  const kafka = createKafka({ brokers: settings.KAFKA_BROKERS, clientId: settings.KAFKA_CLIENT_ID, logger });
  await beforeStep('topics');
  await prepareTopics(kafka.admin(), settings, logger);

  const serde = new AvroSerde({
    url: settings.LEADSTREAM_REGISTRY_URL,
    username: settings.LEADSTREAM_REGISTRY_USERNAME,
    password: settings.LEADSTREAM_REGISTRY_PASSWORD,
  });
  await beforeStep('schemas');
  await serde.register(topics.rawCalls, 'RawCall');
  await serde.register(topics.enrichedCalls, 'EnrichedCall');
  await serde.register(topics.crmCommands, 'CrmCommand');
  await serde.register(topics.notifications, 'Notification');

  const producer = new EventProducer(kafka, metrics, {
    maxRecordBytes: settings.KAFKA_MAX_RECORD_BYTES,
    logger,
  });
  shutdown.add('producer', () => producer.disconnect());
  await beforeStep('producer');
  await producer.connect();
  const deadLetters = new DeadLetterWriter(producer, topics.deadLetters);

  // A producer that cannot write any more fails liveness: Kubernetes restarts the process.
  const checks: ReadinessCheck[] = [producerCheck(producer)];
  // Every component's check is in the list before the ops server answers, each false until its
  // component works, so /readyz cannot say 200 while a consumer or the gateway is still starting.
  let gatewayListening = false;
  if (roles.includes('gateway'))
    checks.push({ name: 'gateway', ready: () => gatewayListening, alive: () => true });
  const ops = buildOpsServer({ metrics, logger, checks: () => checks, shuttingDown: () => shutdown.begun });
  shutdown.add('ops', () => ops.close());
  await beforeStep('ops');
  await ops.listen({ host: settings.OPS_HOST, port: settings.OPS_PORT });

  const runnerOptions = (role: Role, group: string = role) => ({
    kafka,
    producer,
    deadLetters,
    groupId: `${settings.KAFKA_CONSUMER_GROUP_PREFIX}-${group}`,
    ...stageRunnerSettings(settings),
    metrics,
    logger,
  });
  const runners: Array<{
    role: Role;
    /** The readiness check's name: the role, or the role and the retry topic it consumes. */
    name: string;
    topic: string;
    groupId: string;
    runner: { start(): Promise<void>; stop(): Promise<void>; ready: boolean; alive: boolean };
  }> = [];
  const addRunner = <In>(
    role: Role,
    stage: StageDefinition<In>,
    options: StageRunnerOptions,
    name: string = role,
  ) =>
    runners.push({
      role,
      name,
      topic: stage.inputTopic,
      groupId: options.groupId,
      runner: new StageRunner(stage, options),
    });
  if (roles.includes('enricher')) {
    const analyzer =
      overrides.analyzer ??
      defaultAnalyzer({
        secrets,
        metrics,
        logger,
        outbound,
        workers: settings.ANALYSIS_WORKERS,
        // After the consumers: a stopping enricher still analyses what it had in hand.
        onClose: (close) => shutdown.add('outbound', close),
      });
    const stage = enricherStage({
      serde,
      tenants,
      analyzer,
      transcripts: { source: new CallRailTranscripts(secrets, { clock, outbound }), logger },
      clock,
      metrics,
      topics: { input: topics.rawCalls, output: topics.enrichedCalls },
    });
    addRunner('enricher', stage, runnerOptions('enricher'));
  }
  if (roles.includes('mapper')) {
    const stage = mapperStage({
      serde,
      tenants,
      clock,
      topics: { input: topics.enrichedCalls, output: topics.crmCommands },
    });
    addRunner('mapper', stage, runnerOptions('mapper'));
  }
  if (roles.includes('delivery')) {
    const ledger = new KafkaRecordLedger({
      kafka,
      producer,
      topic: topics.crmLedger,
      groupPrefix: settings.KAFKA_CONSUMER_GROUP_PREFIX,
      maxEntries: settings.LEDGER_MAX_ENTRIES,
      logger,
    });
    shutdown.add('consumers', () => ledger.stop());
    await ledger.start();
    const adapters = new CrmAdapterRegistry(overrides.crmAdapters ?? defaultCrmAdapters({ clock, ledger }));
    const stage = deliveryStage({
      serde,
      tenants,
      adapters,
      secrets,
      metrics,
      logger,
      outbound,
      topics: { input: topics.crmCommands, notifications: topics.notifications },
      ledger,
      // Cool-downs are durations on the wall clock, like the rate limits: not the business clock a test fixes.
      circuits: CrmCircuitBreakers.fromSettings(settings, { clock: systemClock, metrics, logger }),
    });
    // Retries past the in-process ones wait on retry topics, each consumed by its own group (a group
    // assigns every subscribed topic's partitions to its members, so one group per topic).
    const retryTopics = { tiers: topics.crmCommandRetries, windowMs: settings.RETRY_WINDOW_MS };
    // In the ledger, so the order holds across restarts: a restarted process knows what waits.
    const waitingKeys = new LedgerWaitingKeys(ledger, settings.RETRY_WINDOW_MS);
    addRunner('delivery', stage, { ...runnerOptions('delivery'), retryTopics, waitingKeys });
    for (const tier of retryTopics.tiers) {
      const suffix = tier.topic.slice(topics.crmCommands.length + 1);
      addRunner(
        'delivery',
        { ...stage, inputTopic: tier.topic },
        {
          ...runnerOptions('delivery', `delivery-${suffix}`),
          retryTopics,
          waitingKeys,
          consumesRetryTopic: true,
        },
        `delivery-${suffix}`,
      );
    }
  }
  if (roles.includes('notifier')) {
    // Sent notifications on a ledger of their own: the notifier reads only its entries, not every deal.
    const sentLedger = new KafkaRecordLedger({
      kafka,
      producer,
      topic: topics.notificationsLedger,
      groupPrefix: `${settings.KAFKA_CONSUMER_GROUP_PREFIX}-notifier`,
      logger,
    });
    shutdown.add('consumers', () => sentLedger.stop());
    await sentLedger.start();
    const relay = smtpRelayFor(settings);
    if (relay) shutdown.add('outbound', async () => relay.transport.close());
    const stage = notifierStage({
      serde,
      tenants,
      channels: new NotificationChannels(relay),
      secrets,
      outbound,
      metrics,
      logger,
      ledger: sentLedger,
      topics: { input: topics.notifications },
    });
    addRunner('notifier', stage, runnerOptions('notifier'));
  }
  for (const { name, runner } of runners) {
    checks.push({ name, ready: () => runner.ready, alive: () => runner.alive });
  }
  for (const { role, runner } of runners) {
    shutdown.add('consumers', () => runner.stop());
    await beforeStep(role);
    await runner.start();
  }
  const lagAdmin = runners.length > 0 ? kafka.admin() : undefined;
  let lag: ConsumerLagSampler | undefined;
  if (lagAdmin) {
    shutdown.add('consumer_lag', async () => {
      await lag?.stop();
      await lagAdmin.disconnect();
    });
    await beforeStep('consumer_lag');
    await lagAdmin.connect();
    lag = new ConsumerLagSampler({
      admin: lagAdmin,
      consumed: runners.map(({ role, topic, groupId }) => ({ stage: role, groupId, topic })),
      metrics,
      logger,
      intervalMs: settings.CONSUMER_LAG_INTERVAL_MS,
    });
    lag.start();
  }

  let gatewayUrl: string | undefined;
  if (roles.includes('gateway')) {
    const gateway = buildGateway({
      tenants,
      secrets,
      publisher: new KafkaRawCallPublisher(producer, serde, topics.rawCalls),
      metrics,
      logger,
      clock,
      publishTimeoutMs: settings.PUBLISH_TIMEOUT_MS,
      limits: {
        bodyLimitBytes: settings.GATEWAY_BODY_LIMIT_BYTES,
        maxTranscriptChars: settings.GATEWAY_MAX_TRANSCRIPT_CHARS,
        clientBudget: {
          requests: settings.GATEWAY_CLIENT_RATE_PER_SECOND,
          perMs: 1_000,
          burst: settings.GATEWAY_CLIENT_BURST,
        },
        tenantBudget: {
          requests: settings.GATEWAY_TENANT_RATE_PER_SECOND,
          perMs: 1_000,
          burst: settings.GATEWAY_TENANT_BURST,
        },
        trustProxy: settings.GATEWAY_TRUST_PROXY,
      },
    });
    shutdown.add('gateway', () => gateway.close());
    await beforeStep('gateway');
    await gateway.listen({ host: settings.GATEWAY_HOST, port: settings.GATEWAY_PORT });
    gatewayUrl = urlOf(gateway);
    gatewayListening = true;
  }

  logger.info({ workflow_step: 'startup', status: 'started', roles }, 'leadstream started');

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    logger.info({ workflow_step: 'shutdown', status: 'stopping' }, 'stopping');
    await shutdown.run(logger);
    logger.info({ workflow_step: 'shutdown', status: 'stopped' }, 'stopped');
  };

  return {
    roles,
    gatewayUrl,
    opsUrl: urlOf(ops),
    ready: () => !shutdown.begun && checks.every((check) => check.ready()),
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}
