import { parseArgs } from 'node:util';

export interface ChaosOptions {
  calmMs: number;
  outageMs: number;
  chaosMs: number;
  callsPerSecond: number;
  tenants: number;
  killsPerRole: number;
  bursts: number;
  downMs: number;
  drainTimeoutMs: number;
  searchLagMs: number;
  latency: { minMs: number; maxMs: number };
  brokerRestart: boolean;
  sourceDir: string | undefined;
  /** Run the roles from the build (dist/src/cli/main.js) instead of the TypeScript sources. */
  built: boolean;
  logLevel: string;
}

export const CHAOS_USAGE = `usage: npm run chaos -- [--short] [--duration S] [options]

The chaos suite of issue #12: every role as its own process on the real broker, CRM emulators answering
in 100-300 ms with a search-index lag, a steady stream of signed CallRail webhooks, and faults: SIGKILLs
of delivery, mapper and enricher, one broker restart, one tenant's CRM outage, 5xx and 429 bursts.
Prints what reached each CRM and exits 1 when a call was lost or written twice.

  --short              the CI version: 15 s calm, 60 s outage, 45 s of crashes, at most 120 s of drain
  --duration S         seconds of the crash phase (default 240; --short 45)
  --calm S             seconds of the calm phase measured as the latency baseline (default 60)
  --outage S           seconds one tenant's CRM answers 503 (default 300)
  --rate N             webhooks per second (default 2)
  --tenants N          tenants, at least 10, on HubSpot, Pipedrive and Salesforce in turn (default 11)
  --kills N            SIGKILLs of each of delivery, mapper, enricher (default 4; --short 2)
  --drain-timeout S    the longest wait for every accepted call to be delivered or dead-lettered (default 600; --short 120)
  --search-lag-ms MS   the CRMs' search-index lag (default 5000)
  --no-broker-restart  skip the broker restart (a broker this run may not restart)
  --source DIR         the checkout whose src/cli/main.ts the roles run (default: this one)
  --built              run the roles from that checkout's build (dist/src/cli/main.js, npm run build):
                       they start in half the time, which shortens every restart
  --log-level LEVEL    the roles' LOG_LEVEL; their logs go to the run directory printed at start (default warn)

Platform: KAFKA_BROKERS and LEADSTREAM_REGISTRY_URL (default: 127.0.0.1:$KAFKA_PORT and
127.0.0.1:$REGISTRY_PORT, 9092 and 8081); the broker restart runs scripts/platform.sh restart kafka with
KAFKA_PORT, KAFKA_CONTROLLER_PORT, REGISTRY_PORT and LEADSTREAM_PLATFORM_DIR as set, and is refused when
KAFKA_BROKERS names another broker.`;

function seconds(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number of seconds, not ${value}`);
  return Math.round(n * 1000);
}

function count(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${name} must be a whole number of at least ${min}, not ${value}`);
  return n;
}

/** The run's options from its arguments; throws with the flag named when one is wrong. */
export function parseChaosOptions(args: string[]): ChaosOptions | 'help' {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      short: { type: 'boolean', default: false },
      duration: { type: 'string' },
      calm: { type: 'string' },
      outage: { type: 'string' },
      rate: { type: 'string' },
      tenants: { type: 'string' },
      kills: { type: 'string' },
      'drain-timeout': { type: 'string' },
      'search-lag-ms': { type: 'string' },
      'no-broker-restart': { type: 'boolean', default: false },
      source: { type: 'string' },
      built: { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'warn' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const short = values.short === true;
  const rate = values.rate === undefined ? 2 : Number(values.rate);
  if (!(rate > 0 && rate <= 50))
    throw new Error(`--rate must be between 0 and 50 webhooks per second, not ${values.rate}`);
  const searchLagMs = count(values['search-lag-ms'], 'search-lag-ms', 5_000, 0);
  return {
    calmMs: seconds(values.calm, 'calm', short ? 15_000 : 60_000),
    outageMs: seconds(values.outage, 'outage', short ? 60_000 : 300_000),
    chaosMs: seconds(values.duration, 'duration', short ? 45_000 : 240_000),
    callsPerSecond: rate,
    tenants: count(values.tenants, 'tenants', 11, 10),
    killsPerRole: count(values.kills, 'kills', short ? 2 : 4, 0),
    bursts: short ? 3 : 8,
    downMs: 2_000,
    drainTimeoutMs: seconds(values['drain-timeout'], 'drain-timeout', short ? 120_000 : 600_000),
    searchLagMs,
    latency: { minMs: 100, maxMs: 300 },
    brokerRestart: values['no-broker-restart'] !== true,
    sourceDir: values.source,
    built: values.built === true,
    logLevel: values['log-level'] ?? 'warn',
  };
}
