/**
 * What leadstream's stages cost beside the least Kafka work their shape needs, on the real local
 * platform. N RawCalls are written to a fresh raw-calls topic before any consumer starts; then, in a
 * fresh process per configuration, either
 *  - passthrough: bare kafkajs, three hops of Avro through @kafkajs/confluent-schema-registry
 *    (raw-calls → enriched-calls → crm-commands → a consumer that records the call), each hop decoding
 *    every message, re-encoding it as the next topic's event and producing it idempotently with acks=all,
 *    no leadstream code but the schemas and the topics' creation; or
 *  - leadstream: the enricher, mapper and delivery roles (startLeadstream) with an instant CRM port that
 *    only records, at ANALYSIS_WORKERS as the row says (the setting's default when it says nothing),
 * each with a ~2 KB transcript (two labelled calls of test/fixtures/analysis/ joined) and a one-sentence
 * one.
 *
 *   npx tsx bench/stages.ts [calls=20000] [--profile]
 *
 * Needs the platform (bash scripts/platform.sh up). Prints, per configuration: calls/s (first message
 * taken by the first hop → last call recorded at the end), the ratio to the passthrough with the same
 * transcript, CPU per call (process, its main thread, and its other threads: analysis workers, GC and
 * libuv; from preload done to the last call), peak RSS, preload done → last call recorded, and the
 * CPU the engine then spends idle (% of a core over 3 s: what inflates CPU per call on a slow run). With
 * --profile each child also writes a V8 CPU profile to .bench/profiles/.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { type Consumer, Kafka, logLevel, type Producer, type ProducerRecord } from 'kafkajs';
import { loadSettings, topicNames } from '../src/config/settings.js';
import { DirectoryTenantSource } from '../src/config/tenants/directory-tenant-source.js';
import { type TenantConfig, tenantConfigSchema } from '../src/config/tenants/tenant-config.js';
import type { CrmAdapter, DeliveryResult } from '../src/crm/crm-adapter.js';
import type { AiAnalysis } from '../src/events/ai-analysis.js';
import type { CrmCommand } from '../src/events/crm-command.js';
import type { EnrichedCall } from '../src/events/enriched-call.js';
import type { RawCall } from '../src/events/raw-call.js';
import { loadEventSchemas } from '../src/kafka/avro-schemas.js';
import { ensureTopics } from '../src/kafka/topics.js';
import { createLogger } from '../src/observability/logger.js';
import { startLeadstream } from '../src/roles/runtime.js';
import { printMarkdownTable } from './support/markdown-table.js';

type Engine = 'passthrough' | 'leadstream';
type TranscriptSize = '2 KB' | 'one sentence';

interface Configuration {
  engine: Engine;
  transcript: TranscriptSize;
  calls: number;
  /** ANALYSIS_WORKERS for leadstream; the setting's default when absent. */
  analysisWorkers?: number;
}

interface Measurement {
  delivered: number;
  callsPerSecond: number;
  /** CPU per call from preload done to the last call recorded: the process, its main thread, the rest. */
  cpuMsPerCall: { process: number; main: number; other: number };
  peakRssMiB: number;
  /** Preload done → last call recorded, consumers' start included. */
  drainMs: number;
  /**
   * CPU the engine spends with nothing to do (fetch loops, heartbeats, timers), in % of a core, measured
   * for IDLE_MS after the last call: over a slow drain it inflates the CPU per call.
   */
  idleCpuPercent: number;
  transcriptChars: number;
  warnings: Record<string, number>;
}

const TENANTS = 12;
const PARTITIONS = 6;
/** A configuration gives up when nothing new was recorded for this long. */
const STALL_MS = 60_000;
const PRELOAD_BATCH = 1_000;
const IDLE_MS = 3_000;
/** The passthrough sends a batch's outputs in sends of about this many bytes. */
const SEND_BYTES = 512 * 1024;

/** ~2 KB of a real-sounding call: the two longest labelled conversations, cut at the line that passes 2,000 characters. */
function twoKilobyteTranscript(): string {
  const fixtures = new URL('../test/fixtures/analysis/', import.meta.url);
  const cases = [
    ...(JSON.parse(readFileSync(new URL('calls-appointments-info.json', fixtures), 'utf8')) as Fixture[]),
    ...(JSON.parse(readFileSync(new URL('calls-quotes.json', fixtures), 'utf8')) as Fixture[]),
  ];
  const lines = ['appt-kitchen-long-conversation', 'quote-kitchen-long-rambling'].flatMap(
    (id) => cases.find((fixture) => fixture.id === id)?.transcript ?? [],
  );
  const kept: string[] = [];
  for (const line of lines) {
    kept.push(line);
    if (kept.join('\n').length >= 2_000) break;
  }
  return kept.join('\n');
}
interface Fixture {
  id: string;
  transcript?: string[];
}

const ONE_SENTENCE =
  'Caller: we want to remodel our kitchen next month, new cabinets, budget around forty thousand.';

function transcriptOf(size: TranscriptSize): string {
  return size === '2 KB' ? twoKilobyteTranscript() : ONE_SENTENCE;
}

function tenantIds(): string[] {
  return Array.from({ length: TENANTS }, (_, i) => `tenant_bench_${i}`);
}

function rawCall(run: string, i: number, transcription: string): RawCall {
  const received = Date.now();
  return {
    call_id: `CAL${run}${i}`,
    tenant_id: tenantIds()[i % TENANTS] ?? '',
    source_kind: 'callrail_call',
    source_name: null,
    callrail_event: 'post_call',
    callrail_company_id: null,
    customer_phone: `+1555${String(i).padStart(7, '0')}`,
    customer_name: 'Jane Q Doe',
    customer_email: null,
    customer_city: 'Austin',
    customer_state: 'TX',
    duration_seconds: 184,
    answered: true,
    voicemail: false,
    recording_url: null,
    transcription,
    source: 'Google Ads',
    tracking_number: '+15125550100',
    start_time: received,
    form_fields: {},
    marketing: {},
    received_at: received,
  };
}

/** Records when each call arrived at the end of the line, whichever engine carried it. */
class Arrivals {
  readonly at = new Map<string, number>();
  last = 0;
  record(callId: string): void {
    if (this.at.has(callId)) return;
    this.last = performance.now();
    this.at.set(callId, this.last);
  }
}

/** The instant CRM: records the command and answers at once. */
class RecordingCrm implements CrmAdapter {
  readonly type = 'hubspot' as const;
  constructor(private readonly arrivals: Arrivals) {}
  async execute(command: CrmCommand): Promise<DeliveryResult> {
    this.arrivals.record(command.call_id);
    return { outcomes: [] };
  }
}

/** Counts the warnings and errors leadstream logs, by message. */
class LogTally {
  readonly counts: Record<string, number> = {};
  write(line: string): void {
    let message = 'unparsed log line';
    try {
      message = String((JSON.parse(line) as { message?: unknown }).message ?? 'no message');
    } catch {}
    this.counts[message] = (this.counts[message] ?? 0) + 1;
  }
}

/** CPU milliseconds of this process's main thread (Linux: /proc), the other threads being the rest. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

const AVRO = new Map([...loadEventSchemas()].map(([name, schema]) => [name, schema.text]));

/** The passthrough's stand-ins for what the stages compute: fixed, so only Kafka and Avro are measured. */
const ANALYSIS: AiAnalysis = {
  intent: 'quote_request',
  project_type: 'kitchen',
  timeline: '1-3_months',
  budget_indicator: 'high',
  sentiment: 'positive',
  urgency: 'medium',
  lead_score: 80,
  score_reasons: ['asked for a quote'],
  analyzer: 'passthrough',
};
function commandOf({ call }: EnrichedCall): CrmCommand {
  return {
    idempotency_key: call.call_id,
    tenant_id: call.tenant_id,
    call_id: call.call_id,
    crm_type: 'hubspot',
    operations: [
      {
        ref: 'contact',
        kind: 'upsert_contact',
        object_type: 'contacts',
        payload_json: JSON.stringify({ phone: call.customer_phone, firstname: call.customer_name }),
        link_to: null,
        action: null,
      },
    ],
    duplicate_detection: null,
    triggered_workflows: [],
    created_at: Date.now(),
    contact_key: `${call.tenant_id}:${call.customer_phone}`,
  };
}

interface Topics {
  raw: string;
  enriched: string;
  commands: string;
}

/**
 * Bare kafkajs: per hop, a consumer whose batch handler decodes each message, encodes the next event
 * and produces the batch's outputs in one send before kafkajs resolves and commits the batch. Sends
 * take turns on the one idempotent producer: kafkajs's idempotent producer loses its sequence numbers
 * under concurrent sends (OUT_OF_ORDER_SEQUENCE_NUMBER), which stalled a hop for good.
 */
async function startPassthrough(
  kafka: Kafka,
  registry: SchemaRegistry,
  topics: Topics,
  groupPrefix: string,
  arrivals: Arrivals,
  firstTaken: () => void,
  logs: LogTally,
): Promise<() => Promise<void>> {
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let sending: Promise<unknown> = Promise.resolve();
  const send = (record: ProducerRecord) => {
    const sent = sending.then(() => producer.send(record));
    sending = sent.catch(() => undefined);
    return sent;
  };
  const enrichedId = await registry.getLatestSchemaId(`${topics.enriched}-value`);
  const commandsId = await registry.getLatestSchemaId(`${topics.commands}-value`);
  const consumers: Consumer[] = [];
  const hop = async (
    name: string,
    from: string,
    to: ((value: unknown) => Promise<{ topic: string; value: Buffer }>) | undefined,
  ) => {
    const consumer = kafka.consumer({ groupId: `${groupPrefix}-${name}`, allowAutoTopicCreation: false });
    consumers.push(consumer);
    consumer.on(consumer.events.CRASH, ({ payload }) =>
      logs.write(JSON.stringify({ message: `passthrough ${name} crashed: ${payload.error.message}` })),
    );
    await consumer.connect();
    await consumer.subscribe({ topic: from, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch }) => {
        if (from === topics.raw) firstTaken();
        const outputs: Array<{ key: Buffer | null; value: Buffer }> = [];
        let topic = '';
        for (const message of batch.messages) {
          if (message.value === null) continue;
          const value = await registry.decode(message.value);
          if (to === undefined) {
            arrivals.record((value as CrmCommand).call_id);
            continue;
          }
          const next = await to(value);
          topic = next.topic;
          outputs.push({ key: message.key, value: next.value });
        }
        // One partition's record batch must stay under the topic's max.message.bytes (1 MB).
        for (let start = 0, bytes = 0, i = 0; i <= outputs.length; i++) {
          const size = outputs[i]?.value.length ?? 0;
          if (i === outputs.length || (bytes + size > SEND_BYTES && i > start)) {
            if (i > start) await send({ topic, acks: -1, messages: outputs.slice(start, i) });
            start = i;
            bytes = 0;
          }
          bytes += size;
        }
      },
    });
  };
  await hop('enricher', topics.raw, async (value) => ({
    topic: topics.enriched,
    value: await registry.encode(enrichedId, {
      call: value as RawCall,
      ai_analysis: ANALYSIS,
      enriched_at: Date.now(),
    } satisfies EnrichedCall),
  }));
  await hop('mapper', topics.enriched, async (value) => ({
    topic: topics.commands,
    value: await registry.encode(commandsId, commandOf(value as EnrichedCall)),
  }));
  await hop('delivery', topics.commands, undefined);
  return async () => {
    await Promise.all(consumers.map((consumer) => consumer.disconnect()));
    await producer.disconnect();
  };
}

function tenantConfigs(): TenantConfig[] {
  return tenantIds().map((tenant_id) =>
    tenantConfigSchema.parse({
      tenant_id,
      callrail: { company_ids: [], signing_secret: 'bench-signing-token' },
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
}

/** One configuration, in this process: fresh topics, the preload, the engine until every call arrived, tidy up. */
async function measure(configuration: Configuration): Promise<Measurement> {
  const { engine, calls } = configuration;
  const run = randomUUID().slice(0, 8);
  const settings = loadSettings({
    ...process.env,
    TOPIC_RAW_CALLS: `bench-raw-${run}`,
    TOPIC_ENRICHED_CALLS: `bench-enriched-${run}`,
    TOPIC_CRM_COMMANDS: `bench-commands-${run}`,
    TOPIC_DEAD_LETTERS: `bench-dead-${run}`,
    TOPIC_PARTITIONS: String(PARTITIONS),
    KAFKA_CONSUMER_GROUP_PREFIX: `bench-${run}`,
    OPS_PORT: '0',
    LOG_LEVEL: 'warn',
    ...(configuration.analysisWorkers === undefined
      ? {}
      : { ANALYSIS_WORKERS: String(configuration.analysisWorkers) }),
  });
  const names = topicNames(settings);
  const topics = { raw: names.rawCalls, enriched: names.enrichedCalls, commands: names.crmCommands };
  const kafka = new Kafka({
    clientId: 'bench-stages',
    brokers: settings.KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  const logs = new LogTally();
  const logger = createLogger({ level: 'warn', destination: logs });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    {
      names,
      partitions: PARTITIONS,
      replicationFactor: settings.TOPIC_REPLICATION_FACTOR,
      maxRecordBytes: settings.KAFKA_MAX_RECORD_BYTES,
    },
    logger,
  );
  const registry = new SchemaRegistry({ host: settings.LEADSTREAM_REGISTRY_URL });
  const schemaOf = (name: 'RawCall' | 'EnrichedCall' | 'CrmCommand') => ({
    type: SchemaType.AVRO as const,
    schema: AVRO.get(name) ?? '',
  });
  const { id: rawId } = await registry.register(schemaOf('RawCall'), { subject: `${topics.raw}-value` });
  await registry.register(schemaOf('EnrichedCall'), { subject: `${topics.enriched}-value` });
  await registry.register(schemaOf('CrmCommand'), { subject: `${topics.commands}-value` });

  const transcription = transcriptOf(configuration.transcript);
  const preloader = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await preloader.connect();
  for (let start = 0; start < calls; start += PRELOAD_BATCH) {
    const messages = await Promise.all(
      Array.from({ length: Math.min(PRELOAD_BATCH, calls - start) }, async (_, j) => {
        const call = rawCall(run, start + j, transcription);
        return { key: call.tenant_id, value: await registry.encode(rawId, call) };
      }),
    );
    await preloader.send({ topic: topics.raw, acks: -1, messages });
  }
  await preloader.disconnect();

  const arrivals = new Arrivals();
  let firstTakenAt: number | undefined;
  const firstTaken = () => {
    firstTakenAt ??= performance.now();
  };
  const cpuBefore = process.cpuUsage();
  const mainBefore = mainThreadCpuMs();
  const preloaded = performance.now();
  let stop: () => Promise<void>;
  if (engine === 'passthrough') {
    stop = await startPassthrough(kafka, registry, topics, `bench-${run}-pass`, arrivals, firstTaken, logs);
  } else {
    const configs = DirectoryTenantSource.fromConfigs(tenantConfigs());
    // The enricher's first tenant lookup is its first message taken.
    const tenants = {
      get: (id: string) => {
        firstTaken();
        return configs.get(id);
      },
      findByCallRailCompany: (id: string) => configs.findByCallRailCompany(id),
    };
    const app = await startLeadstream(settings, ['enricher', 'mapper', 'delivery'], {
      tenants,
      crmAdapters: [new RecordingCrm(arrivals)],
      logger,
    });
    stop = () => app.stop();
  }
  let seen = 0;
  let progressAt = performance.now();
  while (arrivals.at.size < calls && performance.now() - progressAt < STALL_MS) {
    await sleep(20);
    if (arrivals.at.size !== seen) {
      seen = arrivals.at.size;
      progressAt = performance.now();
    }
  }
  const cpu = process.cpuUsage(cpuBefore);
  const mainMs = mainThreadCpuMs() - mainBefore;
  const delivered = arrivals.at.size;
  const processMs = (cpu.user + cpu.system) / 1000;
  const idleBefore = process.cpuUsage();
  await sleep(IDLE_MS);
  const idle = process.cpuUsage(idleBefore);
  const measurement: Measurement = {
    delivered,
    callsPerSecond: delivered / ((arrivals.last - (firstTakenAt ?? preloaded)) / 1000),
    cpuMsPerCall: {
      process: processMs / delivered,
      main: mainMs / delivered,
      other: (processMs - mainMs) / delivered,
    },
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    drainMs: arrivals.last - preloaded,
    idleCpuPercent: ((idle.user + idle.system) / 1000 / IDLE_MS) * 100,
    transcriptChars: transcription.length,
    warnings: logs.counts,
  };
  await stop();
  // The run's topics and groups are of no further use; the shared broker need not keep them.
  try {
    const groups = await admin.listGroups();
    await admin.deleteGroups(
      groups.groups.map(({ groupId }) => groupId).filter((groupId) => groupId.startsWith(`bench-${run}-`)),
    );
    const existing = await admin.listTopics();
    await admin.deleteTopics({ topics: existing.filter((topic) => topic.includes(run)) });
  } catch {
    // Left behind: harmless, only tidiness.
  } finally {
    await admin.disconnect();
  }
  return measurement;
}

/** Runs one configuration in a fresh process, so each has its own memory, connections, threads and CPU count. */
function measureInChild(configuration: Configuration, profile: boolean): Promise<Measurement | string> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  return new Promise((resolve) => {
    let result: Measurement | string = 'the process ended without a result';
    const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, BENCH_STAGES_CONFIGURATION: JSON.stringify(configuration) },
      execArgv: profile
        ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${join(root, '.bench', 'profiles')}`]
        : process.execArgv,
    });
    child.on('message', (message) => {
      result = message as Measurement | string;
    });
    child.on('exit', () => resolve(result));
  });
}

function labelOf(configuration: Configuration): string {
  if (configuration.engine === 'passthrough') return 'kafkajs passthrough';
  return configuration.analysisWorkers === undefined
    ? 'leadstream'
    : `leadstream, ANALYSIS_WORKERS=${configuration.analysisWorkers}`;
}

async function main(): Promise<void> {
  const calls = Number(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 20_000);
  const profile = process.argv.includes('--profile');
  console.log(
    `${calls} RawCalls preloaded on ${PARTITIONS} partitions from ${TENANTS} tenants; instant CRM; each configuration in a fresh process`,
  );
  const header = [
    'transcript',
    'engine',
    'delivered',
    'calls/s',
    '× passthrough',
    'CPU ms/call (process / main thread / other threads)',
    'peak RSS',
    'preload done → last call',
    'idle CPU',
  ];
  const rows: string[][] = [];
  for (const transcript of ['2 KB', 'one sentence'] as const) {
    const configurations: Configuration[] = [
      { engine: 'passthrough', transcript, calls },
      { engine: 'leadstream', transcript, calls, analysisWorkers: 1 },
      { engine: 'leadstream', transcript, calls, analysisWorkers: 0 },
    ];
    let passthrough: number | undefined;
    for (const configuration of configurations) {
      const result = await measureInChild(configuration, profile);
      const label = labelOf(configuration);
      if (typeof result === 'string') {
        console.log(`${transcript}, ${label}: failed: ${result}`);
        rows.push([transcript, label, 'failed', ...Array<string>(header.length - 3).fill('-')]);
        continue;
      }
      if (configuration.engine === 'passthrough') passthrough = result.callsPerSecond;
      const warnings = Object.entries(result.warnings)
        .map(([message, count]) => `${count}× ${message}`)
        .join('; ');
      console.log(
        `${transcript} (${result.transcriptChars} chars), ${label}: ${result.callsPerSecond.toFixed(0)} calls/s; logged ${warnings || 'no warnings'}`,
      );
      const { process: total, main: mainThread, other } = result.cpuMsPerCall;
      rows.push([
        `${transcript} (${result.transcriptChars} chars)`,
        label,
        String(result.delivered),
        result.callsPerSecond.toFixed(0),
        passthrough === undefined ? '-' : `${(result.callsPerSecond / passthrough).toFixed(2)}x`,
        [total, mainThread, other].map((ms) => ms.toFixed(3)).join(' / '),
        `${result.peakRssMiB.toFixed(0)} MiB`,
        `${(result.drainMs / 1000).toFixed(1)} s`,
        `${result.idleCpuPercent.toFixed(1)}%`,
      ]);
    }
  }
  printMarkdownTable(header, rows);
}

const own = process.env.BENCH_STAGES_CONFIGURATION;
if (own === undefined) {
  await main();
} else {
  let result: Measurement | string;
  try {
    result = await measure(JSON.parse(own) as Configuration);
  } catch (error) {
    result = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  // Run alone (to profile one configuration), it prints its result.
  if (process.send) process.send(result, () => process.exit(0));
  else {
    console.log(typeof result === 'string' ? result : JSON.stringify(result));
    process.exit(0);
  }
}
