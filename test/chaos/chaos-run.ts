/**
 * The chaos suite of issue #12 (`npm run chaos`, `npm run chaos -- --short`): see CHAOS_USAGE.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { retryTiers } from '../../src/kafka/runner/retry-topics.js';
import { CHAOS_USAGE, type ChaosOptions, parseChaosOptions } from './chaos-options.js';
import { type ChaosPlatform, chaosPlatform, restartBroker } from './chaos-platform.js';
import { countChaos, deliveredCalls, formatReport, verdictOf } from './chaos-report.js';
import { ArrivalWatch } from './crm-census.js';
import { DeadLetterWatch } from './dead-letter-watch.js';
import { describeFault, type Fault, faultSchedule } from './fault-schedule.js';
import { freePort, RoleProcesses } from './role-processes.js';
import { startTenantFleet, type TenantFleet } from './tenant-fleet.js';
import { type ConsumedTopic, unfinishedMessages } from './unfinished-work.js';
import { WebhookLoad } from './webhook-load.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const startedAt = Date.now();
const say = (line: string) =>
  process.stdout.write(`[chaos +${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * Retry topics and circuit cool-downs scaled to the run, so the drain sees every retried call land (the
 * defaults, up to 5 minutes each, would outlast --short's drain): the same mechanism, sooner.
 */
const RETRY_TOPIC_DELAYS_MS = [5_000, 15_000, 30_000];

/** Each stage's group and input topic, delivery's retry-topic groups included, as the runtime names them. */
function consumedTopics(topics: ChaosTopics, groupPrefix: string): ConsumedTopic[] {
  return [
    { groupId: `${groupPrefix}-enricher`, topic: topics.TOPIC_RAW_CALLS },
    { groupId: `${groupPrefix}-mapper`, topic: topics.TOPIC_ENRICHED_CALLS },
    { groupId: `${groupPrefix}-delivery`, topic: topics.TOPIC_CRM_COMMANDS },
    ...retryTiers(topics.TOPIC_CRM_COMMANDS, RETRY_TOPIC_DELAYS_MS).map(({ topic }) => ({
      groupId: `${groupPrefix}-delivery-${topic.slice(topics.TOPIC_CRM_COMMANDS.length + 1)}`,
      topic,
    })),
  ];
}

interface ChaosTopics {
  TOPIC_RAW_CALLS: string;
  TOPIC_ENRICHED_CALLS: string;
  TOPIC_CRM_COMMANDS: string;
}

/** Waits until no stage holds a message it has not finished, or until the deadline. */
async function stagesFinished(
  platform: ChaosPlatform,
  topics: ChaosTopics,
  groupPrefix: string,
  deadline: number,
): Promise<void> {
  const admin = new Kafka({
    clientId: 'leadstream-chaos',
    brokers: platform.brokers.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const consumed = consumedTopics(topics, groupPrefix);
    let unfinished = await unfinishedMessages(admin, consumed);
    let lastReport = Date.now();
    while (unfinished > 0 && Date.now() < deadline) {
      if (Date.now() - lastReport >= 10_000) {
        say(`${unfinished} messages taken but not finished by the stages yet`);
        lastReport = Date.now();
      }
      await sleep(1_000);
      unfinished = await unfinishedMessages(admin, consumed);
    }
    say(
      unfinished === 0
        ? 'every stage finished what it took'
        : `${unfinished} messages still unfinished at the deadline; counting anyway`,
    );
  } finally {
    await admin.disconnect();
  }
}

async function brokerAnswers(platform: ChaosPlatform): Promise<void> {
  const admin = new Kafka({
    clientId: 'leadstream-chaos',
    brokers: platform.brokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (error) {
    throw new Error(
      `no broker answers at ${platform.brokers} (${(error as Error).message}); start one with bash scripts/platform.sh up`,
    );
  } finally {
    await admin.disconnect();
  }
}

async function applyFault(
  fault: Fault,
  fleet: TenantFleet,
  roles: RoleProcesses,
  platform: ChaosPlatform,
): Promise<void> {
  const tenantOf = (id: string) => {
    const tenant = fleet.tenants.find((t) => t.id === id);
    if (!tenant) throw new Error(`no tenant ${id}`);
    return tenant;
  };
  switch (fault.kind) {
    case 'sigkill':
      // A role restarting after a crash of its own has no process to kill: it is down already.
      if (!roles.kill(fault.role))
        say(`  ${fault.role} was not running (restarting after an exit of its own)`);
      await sleep(fault.downMs);
      await roles.start(fault.role);
      return;
    case 'broker-restart':
      await restartBroker(platform, (line) => say(`  ${line}`));
      return;
    case 'outage':
      tenantOf(fault.tenantId).crm.emulator.setOutage(fault.down);
      return;
    case 'burst-5xx': {
      const { emulator } = tenantOf(fault.tenantId).crm;
      emulator.setOutage(true);
      setTimeout(() => emulator.setOutage(false), fault.ms).unref();
      return;
    }
    case 'burst-429': {
      const { crm } = tenantOf(fault.tenantId);
      if (crm.type === 'hubspot') crm.emulator.rateLimitNext(fault.requests);
      else if (crm.type === 'pipedrive') crm.emulator.rateLimitNext(fault.requests, 'burst');
      return;
    }
  }
}

async function run(options: ChaosOptions): Promise<number> {
  const platform = chaosPlatform(process.env);
  if (options.brokerRestart && platform.restartRefusal !== undefined) {
    throw new Error(`${platform.restartRefusal}: give --no-broker-restart, or point KAFKA_PORT at it`);
  }
  const sourceDir = options.sourceDir ?? REPO_ROOT;
  if (options.built && !existsSync(join(sourceDir, 'dist/src/cli/main.js'))) {
    throw new Error(`--built: no ${join(sourceDir, 'dist/src/cli/main.js')}; run npm run build first`);
  }
  await brokerAnswers(platform);
  const runId = randomUUID().replace(/-/g, '').slice(0, 8);
  const runDir = join(tmpdir(), `leadstream-chaos-${runId}`);
  mkdirSync(runDir, { recursive: true });
  say(`run ${runId}: broker ${platform.brokers}, registry ${platform.registryUrl}; role logs in ${runDir}`);

  const fleet = await startTenantFleet({
    tenants: options.tenants,
    latency: options.latency,
    searchLagMs: options.searchLagMs,
  });
  const topics = {
    TOPIC_RAW_CALLS: `chaos-${runId}-raw-calls`,
    TOPIC_ENRICHED_CALLS: `chaos-${runId}-enriched-calls`,
    TOPIC_CRM_COMMANDS: `chaos-${runId}-crm-commands`,
    TOPIC_DEAD_LETTERS: `chaos-${runId}-dead-letters`,
  };
  const gatewayPort = await freePort();
  const roles = new RoleProcesses({
    sourceDir,
    built: options.built,
    logDir: runDir,
    livenessFailures: 3,
    env: {
      ...(process.env as Record<string, string>),
      ...fleet.secretEnv,
      ...topics,
      KAFKA_BROKERS: platform.brokers,
      LEADSTREAM_REGISTRY_URL: platform.registryUrl,
      KAFKA_CONSUMER_GROUP_PREFIX: `chaos-${runId}`,
      TENANT_CONFIG_DIR: fleet.configDir,
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: String(gatewayPort),
      OPS_HOST: '127.0.0.1',
      // A SIGKILLed member leaves the group when its session ends: 10 s instead of 30 keeps the run short.
      KAFKA_SESSION_TIMEOUT_MS: '10000',
      RETRY_TOPIC_DELAYS_MS: RETRY_TOPIC_DELAYS_MS.join(','),
      CIRCUIT_MAX_OPEN_MS: '30000',
      LOG_LEVEL: options.logLevel,
    },
  });
  const deadLetters = new DeadLetterWatch(
    platform.brokers.split(','),
    topics.TOPIC_DEAD_LETTERS,
    `chaos-${runId}-dead-letter-watch`,
  );
  const arrivals = new ArrivalWatch(fleet.tenants);
  const load = new WebhookLoad(
    () => `http://127.0.0.1:${gatewayPort}`,
    fleet.tenants,
    {
      callsPerSecond: options.callsPerSecond,
      returningShare: 0.3,
      returnAfterMs: 2 * options.searchLagMs + 5_000,
    },
    runId,
  );
  const [outageTenant, ...others] = fleet.tenants;
  if (!outageTenant) throw new Error('no tenants');
  // Interrupted (Ctrl-C, a CI timeout), the run still stops every process it started.
  const interrupted = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping the roles and the emulators`);
    void Promise.all([roles.stopAll(5_000), fleet.stop()]).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    say(
      `${fleet.tenants.length} tenants (${fleet.tenants.map((t) => t.crm.type).join(', ')}), CRMs answering in ${options.latency.minMs}-${options.latency.maxMs} ms, search lag ${options.searchLagMs} ms`,
    );
    await roles.start('gateway');
    await roles.waitReady('gateway', 120_000);
    await Promise.all((['enricher', 'mapper', 'delivery'] as const).map((role) => roles.start(role)));
    await Promise.all(
      (['enricher', 'mapper', 'delivery'] as const).map((role) => roles.waitReady(role, 120_000)),
    );
    roles.watchLiveness(2_000);
    await deadLetters.start();
    arrivals.start(100);
    say('every role ready; load starts');

    const schedule = faultSchedule(
      {
        phases: { calmMs: options.calmMs, outageMs: options.outageMs, chaosMs: options.chaosMs },
        killsPerRole: options.killsPerRole,
        bursts: options.bursts,
        downMs: options.downMs,
      },
      outageTenant,
      others,
    ).filter(({ fault }) => options.brokerRestart || fault.kind !== 'broker-restart');
    const loadStartedAt = Date.now();
    load.start();
    say(
      `phases: calm ${options.calmMs / 1000} s, ${outageTenant.id} down ${options.outageMs / 1000} s, crashes ${options.chaosMs / 1000} s; ${options.callsPerSecond} webhooks/s`,
    );
    const applied = schedule.map(async ({ atMs, fault }) => {
      await sleep(Math.max(0, loadStartedAt + atMs - Date.now()));
      say(describeFault(fault));
      try {
        await applyFault(fault, fleet, roles, platform);
      } catch (error) {
        say(`  fault failed: ${(error as Error).message}`);
      }
    });
    const loadEnd = loadStartedAt + options.calmMs + options.outageMs + options.chaosMs;
    while (Date.now() < loadEnd) {
      await sleep(Math.min(10_000, loadEnd - Date.now()));
      const accepted = load.accepted().length;
      say(
        `${load.calls.length} webhooks sent, ${accepted} accepted, ${arrivals.arrivedAt.size} calls in a CRM`,
      );
    }
    await load.stop();
    await Promise.all(applied);
    say('load stopped; draining until every accepted call is in its CRM or dead-lettered');

    const drainDeadline = Date.now() + options.drainTimeoutMs;
    let pending = Number.POSITIVE_INFINITY;
    let lastReport = 0;
    while (Date.now() < drainDeadline) {
      const delivered = deliveredCalls(fleet.tenants);
      const dead = deadLetters.callIds();
      pending = load.accepted().filter((c) => !delivered.has(c.callId) && !dead.has(c.callId)).length;
      if (pending === 0) break;
      if (Date.now() - lastReport >= 10_000) {
        say(`${pending} accepted calls neither in a CRM nor dead-lettered yet`);
        lastReport = Date.now();
      }
      await sleep(1_000);
    }
    say(
      pending === 0
        ? 'drained; waiting until every stage has finished what it took'
        : `drain timed out with ${pending} calls outstanding`,
    );
    // A call is "in its CRM" once its contact is; its deal, task or an association may still be parked
    // on a retry after a 429 burst. Counting then would name a deal without its contact that the next
    // retry links: the census waits for the stages' committed offsets instead.
    await stagesFinished(platform, topics, `chaos-${runId}`, Math.max(drainDeadline, Date.now() + 60_000));
    arrivals.stop();

    const count = countChaos({
      tenants: fleet.tenants,
      calls: load.calls,
      deadLetters: deadLetters.letters,
      arrivedAt: arrivals.arrivedAt,
      loadStartedAt,
      calmMs: options.calmMs,
      outageMs: options.outageMs,
      outageTenantId: outageTenant.id,
    });
    const verdict = verdictOf(count);
    const events = (what: string) => roles.events.filter((e) => e.what === what).length;
    process.stdout.write(
      `\n=== chaos run ${runId} ===\nfaults: ${schedule.length} scheduled; ${events('sigkill')} SIGKILLs; ${events('liveness-restart')} restarts after /healthz failed; ${events('crashed') - events('liveness-restart')} exits of their own (restarted after 1 s)\n${formatReport(count, verdict, outageTenant.id)}\n`,
    );
    return verdict.passed ? 0 : 1;
  } finally {
    arrivals.stop();
    await load.stop();
    await roles.stopAll(15_000);
    await deadLetters.stop().catch(() => undefined);
    await fleet.stop();
  }
}

let options: ChaosOptions | 'help';
try {
  options = parseChaosOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`chaos: ${(error as Error).message}\n\n${CHAOS_USAGE}\n`);
  process.exit(2);
}
if (options === 'help') {
  process.stdout.write(`${CHAOS_USAGE}\n`);
  process.exit(0);
}
run(options).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`chaos: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
