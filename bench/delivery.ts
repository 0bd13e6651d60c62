/**
 * Delivery benchmark on the real local platform: signed CallRail webhooks posted to the gateway over HTTP,
 * through raw-calls, enricher, enriched-calls, mapper, crm-commands and delivery (every role, one process
 * per configuration), to a CRM port that answers each command after `crm-latency-ms` and records when
 * it arrived. Configurations side by side in one run: 6 and 24 partitions (fresh topics each), each with
 * an instant CRM (the baseline: what the stages cost) and with the slow one (what the CRM's latency costs).
 *
 *   npx tsx bench/delivery.ts [leads=600] [tenants=12] [crm-latency-ms=200]
 *
 * Needs the platform (bash scripts/platform.sh up). The leads are posted as one burst (32 requests at a
 * time), so latency includes the wait behind the backlog. Prints, per engine and configuration: leads
 * accepted (202) and delivered, delivered leads/s (first webhook to last CRM answer), webhook-to-CRM
 * latency (request posted → command arrived at the CRM) p50/p90/p99/max, CRM requests in flight
 * (average/max), commands the CRM received more than once, CPU of the process, peak RSS.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { loadSettings } from '../src/config/settings.js';
import { DirectoryTenantSource } from '../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../src/config/tenants/tenant-config.js';
import type { CrmAdapter, DeliveryResult } from '../src/crm/crm-adapter.js';
import type { CrmCommand } from '../src/events/crm-command.js';
import { createLogger } from '../src/observability/logger.js';
import { startLeadstream } from '../src/roles/runtime.js';
import { partitionOf } from '../test/support/partition-keys.js';
import { printMarkdownTable } from './support/markdown-table.js';
import { percentile } from './support/percentile.js';
import { sampleWebhook, signedHeaders, UNLIMITED_GATEWAY_BUDGETS } from './support/sample-webhook.js';

/**
 * The delivery engines compared, each with a row per configuration: today's runner (key-ordered
 * concurrency inside a partition, src/kafka/stage-runner.ts) and the one before issue #12 (one message
 * at a time per partition, PARTITIONS_CONSUMED_CONCURRENTLY partitions at once), run from a git worktree
 * of its commit (.bench/worktrees/<commit>, made on first use) whose own bench/delivery.ts measures it:
 * the child protocol (BENCH_DELIVERY_CONFIGURATION in, a Measurement back) is the same in both.
 */
interface Engine {
  name: string;
  /** Settings (environment variables) this engine runs with, over the bench's own. */
  env: Record<string, string>;
  /** The commit whose code runs this engine; this checkout's when absent. */
  commit?: string;
}
const BEFORE_ISSUE_12 = '39c9694';
const engines: Engine[] = [
  { name: `partition-serial (${BEFORE_ISSUE_12})`, env: {}, commit: BEFORE_ISSUE_12 },
  { name: 'key-ordered', env: {} },
];

const PARTITION_COUNTS = [6, 24];
/** HTTP requests in flight while posting the burst. */
const CONCURRENCY = 32;
/** A configuration gives up waiting when the CRM has received nothing new for this long. */
const STALL_MS = 60_000;
const token = 'bench-signing-token';

interface Configuration {
  engine: Engine;
  partitions: number;
  crmLatencyMs: number;
  leads: number;
  tenants: number;
}

interface Measurement {
  accepted: number;
  refused: number;
  delivered: number;
  /** Delivered leads per second, from the first webhook posted to the last CRM answer. */
  leadsPerSecond: number;
  intakePerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Average and most CRM requests in flight at once. */
  inFlight: { average: number; max: number };
  /** Requests the CRM received for a command it had already received. */
  repeats: number;
  /** Process CPU time over the measured window, as a share of one core. */
  cpuShare: number;
  peakRssMiB: number;
  /** Leads on each partition of crm-commands (keyed by tenant, like every topic). */
  leadsPerPartition: number[];
  /** Warnings and errors the process logged, by message. */
  warnings: Record<string, number>;
}

/** A CRM that answers every command after `latencyMs`, recording arrivals and answers. */
class SlowCrm implements CrmAdapter {
  readonly type = 'hubspot' as const;
  readonly arrived = new Map<string, number>();
  readonly answered = new Map<string, number>();
  requests = 0;
  inFlight = 0;
  maxInFlight = 0;
  busyMs = 0;
  lastAnswer = 0;

  constructor(private readonly latencyMs: number) {}

  async execute(command: CrmCommand): Promise<DeliveryResult> {
    const arrived = performance.now();
    this.requests++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (!this.arrived.has(command.call_id)) this.arrived.set(command.call_id, arrived);
    try {
      if (this.latencyMs > 0) await sleep(this.latencyMs);
    } finally {
      this.inFlight--;
    }
    const now = performance.now();
    this.busyMs += now - arrived;
    this.lastAnswer = now;
    if (!this.answered.has(command.call_id)) this.answered.set(command.call_id, now);
    return { outcomes: [] };
  }
}

/** Counts the warnings and errors the roles log (kafkajs's rebalances, retries, crashes), by message. */
class LogTally {
  readonly counts: Record<string, number> = {};
  write(line: string): void {
    let message = 'unparsed log line';
    try {
      message = String((JSON.parse(line) as { msg?: unknown }).msg ?? 'no message');
    } catch {}
    this.counts[message] = (this.counts[message] ?? 0) + 1;
  }
}

/** One configuration, in this process: start every role, post the burst, wait for the CRM, tidy up. */
async function measure(configuration: Configuration): Promise<Measurement> {
  const { engine, partitions, crmLatencyMs, leads } = configuration;
  const tenantIds = Array.from({ length: configuration.tenants }, (_, i) => `tenant_bench_${i}`);
  const tenants = tenantIds.map((tenant_id) =>
    tenantConfigSchema.parse({
      tenant_id,
      callrail: { company_ids: [], signing_secret: token },
      crm_config: {
        type: 'hubspot',
        api_token: 'unused',
        field_mappings: {
          phone: 'customer_phone',
          firstname: 'customer_name_first',
          lastname: 'customer_name_last',
        },
        custom_properties: [{ name: 'ai_lead_score', value: 'ai_analysis.lead_score', type: 'number' }],
      },
    }),
  );
  const run = randomUUID().slice(0, 8);
  const settings = loadSettings({
    ...process.env,
    TOPIC_RAW_CALLS: `bench-raw-${run}`,
    TOPIC_ENRICHED_CALLS: `bench-enriched-${run}`,
    TOPIC_CRM_COMMANDS: `bench-commands-${run}`,
    TOPIC_DEAD_LETTERS: `bench-dead-${run}`,
    TOPIC_PARTITIONS: String(partitions),
    KAFKA_CONSUMER_GROUP_PREFIX: `bench-${run}`,
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: '0',
    ...UNLIMITED_GATEWAY_BUDGETS,
    OPS_PORT: '0',
    LOG_LEVEL: 'warn',
    ...engine.env,
  });
  const crm = new SlowCrm(crmLatencyMs);
  const logs = new LogTally();
  const app = await startLeadstream(settings, ['gateway', 'enricher', 'mapper', 'delivery'], {
    tenants: DirectoryTenantSource.fromConfigs(tenants),
    crmAdapters: [crm],
    logger: createLogger({ level: 'warn', destination: logs }),
  });
  while (!app.ready()) await sleep(100);

  const posted = new Map<string, number>();
  let accepted = 0;
  let refused = 0;
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  async function worker(): Promise<void> {
    while (next < leads) {
      const i = next++;
      const callId = `CAL${run}${i}`;
      const body = sampleWebhook({
        callId,
        tenantId: tenantIds[i % tenantIds.length] ?? '',
        phone: `+1555${String(i).padStart(7, '0')}`,
      });
      const sent = performance.now();
      const response = await fetch(`${app.gatewayUrl}/v1/callrail/webhook`, {
        method: 'POST',
        headers: signedHeaders(body, token),
        body,
      });
      await response.arrayBuffer();
      if (response.status === 202) {
        accepted++;
        posted.set(callId, sent);
      } else refused++;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const intakeDone = performance.now();
  let seen = 0;
  let progressAt = performance.now();
  while (crm.answered.size < accepted && performance.now() - progressAt < STALL_MS) {
    await sleep(50);
    if (crm.requests !== seen) {
      seen = crm.requests;
      progressAt = performance.now();
    }
  }
  const cpu = process.cpuUsage(cpuBefore);
  const window = Math.max(crm.lastAnswer, intakeDone) - started;
  const latencies = [...crm.arrived].map(([id, at]) => at - (posted.get(id) ?? at)).sort((a, b) => a - b);
  const firstArrival = Math.min(...crm.arrived.values());
  const leadsPerPartition = Array.from({ length: partitions }, () => 0);
  for (let i = 0; i < leads; i++) {
    const partition = partitionOf(tenantIds[i % tenantIds.length] ?? '', partitions);
    leadsPerPartition[partition] = (leadsPerPartition[partition] ?? 0) + 1;
  }
  const measurement: Measurement = {
    accepted,
    refused,
    delivered: crm.answered.size,
    leadsPerSecond: crm.answered.size / (window / 1000),
    intakePerSecond: accepted / ((intakeDone - started) / 1000),
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
    },
    inFlight: { average: crm.busyMs / (crm.lastAnswer - firstArrival), max: crm.maxInFlight },
    repeats: crm.requests - crm.arrived.size,
    cpuShare: (cpu.user + cpu.system) / 1000 / window,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    leadsPerPartition,
    warnings: logs.counts,
  };
  await app.stop();
  // The run's topics and groups are of no further use; the shared broker need not keep them.
  const admin = new Kafka({
    clientId: 'bench-delivery',
    brokers: settings.KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const groups = await admin.listGroups();
    await admin.deleteGroups(
      groups.groups.map(({ groupId }) => groupId).filter((groupId) => groupId.startsWith(`bench-${run}-`)),
    );
    const topics = await admin.listTopics();
    await admin.deleteTopics({
      topics: topics.filter((topic) => topic.startsWith('bench-') && topic.includes(run)),
    });
  } catch {
    // Left behind: harmless, only tidiness.
  } finally {
    await admin.disconnect();
  }
  return measurement;
}

/** A checkout of `commit` beside this one, sharing its node_modules; made once, then reused. */
function worktreeOf(commit: string): string {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const directory = join(root, '.bench', 'worktrees', commit);
  if (!existsSync(join(directory, 'package.json'))) {
    execFileSync('git', ['-C', root, 'worktree', 'add', '--detach', directory, commit], { stdio: 'ignore' });
  }
  if (!existsSync(join(directory, 'node_modules')))
    symlinkSync(join(root, 'node_modules'), join(directory, 'node_modules'));
  return directory;
}

/** Runs one configuration in a fresh process, so each has its own memory, connections and CPU count. */
function measureInChild(configuration: Configuration): Promise<Measurement | string> {
  const script = configuration.engine.commit
    ? join(worktreeOf(configuration.engine.commit), 'bench', 'delivery.ts')
    : fileURLToPath(import.meta.url);
  return new Promise((resolve) => {
    let result: Measurement | string = 'the process ended without a result';
    const child: ChildProcess = fork(script, [], {
      env: { ...process.env, BENCH_DELIVERY_CONFIGURATION: JSON.stringify(configuration) },
    });
    child.on('message', (message) => {
      result = message as Measurement | string;
    });
    child.on('exit', () => resolve(result));
  });
}

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<void> {
  const leads = Number(process.argv[2] ?? 600);
  const tenants = Number(process.argv[3] ?? 12);
  const crmLatencyMs = Number(process.argv[4] ?? 200);
  const latencies = [...new Set([0, crmLatencyMs])];
  console.log(
    `${leads} leads from ${tenants} tenants posted at once (${CONCURRENCY} requests at a time), CRM answering in ${latencies.join(' and ')} ms`,
  );
  const rows: string[][] = [];
  for (const engine of engines) {
    for (const partitions of PARTITION_COUNTS) {
      for (const latency of latencies) {
        const configuration = { engine, partitions, crmLatencyMs: latency, leads, tenants };
        const result = await measureInChild(configuration);
        const label = `${engine.name}, ${partitions} partitions, CRM ${latency} ms`;
        if (typeof result === 'string') {
          console.log(`${label}: failed: ${result}`);
          rows.push([
            engine.name,
            String(partitions),
            String(latency),
            'failed',
            ...Array<string>(7).fill('-'),
          ]);
          continue;
        }
        const warnings = Object.entries(result.warnings)
          .map(([message, count]) => `${count}× ${message}`)
          .join('; ');
        console.log(
          `${label}: ${result.intakePerSecond.toFixed(0)} webhooks/s accepted (${result.refused} refused); leads per partition ${result.leadsPerPartition.join(' ')}; logged ${warnings || 'no warnings'}`,
        );
        const { p50, p90, p99, max } = result.latencyMs;
        rows.push([
          engine.name,
          String(partitions),
          String(latency),
          String(result.accepted),
          String(result.delivered),
          result.leadsPerSecond.toFixed(1),
          [p50, p90, p99, max].map(duration).join(' / '),
          `${result.inFlight.average.toFixed(1)} / ${result.inFlight.max}`,
          String(result.repeats),
          `${(result.cpuShare * 100).toFixed(0)}%`,
          `${result.peakRssMiB.toFixed(0)} MiB`,
        ]);
      }
    }
  }
  const header = [
    'engine',
    'partitions',
    'CRM ms',
    'accepted',
    'delivered',
    'leads/s',
    'webhook→CRM p50 / p90 / p99 / max',
    'CRM in flight avg / max',
    'repeats',
    'CPU',
    'peak RSS',
  ];
  printMarkdownTable(header, rows);
}

const own = process.env.BENCH_DELIVERY_CONFIGURATION;
if (own === undefined) {
  await main();
} else {
  let result: Measurement | string;
  try {
    result = await measure(JSON.parse(own) as Configuration);
  } catch (error) {
    result = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  process.send?.(result, () => process.exit(0));
}
